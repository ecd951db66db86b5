#!/usr/bin/env bash
# Build build/function.zip from function/handler.py, before `terraform apply`
# (main.tf reads the zip and its hash; no archive provider is needed).
# handler.py uses the standard library only, so the zip holds that one file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mkdir -p build
rm -f build/function.zip
python3 -m zipfile -c build/function.zip function/handler.py
echo "built $(pwd)/build/function.zip"

# shellcheck shell=bash
# Helpers shared by scripts/install and scripts/release (sourced, not run).

# The package version from Cargo.toml: the first `version = "..."` of the
# [package] table.
lambdawire_version() {
    awk '
        /^\[/ { in_package = ($0 == "[package]") }
        in_package && /^version[[:space:]]*=/ {
            gsub(/^version[[:space:]]*=[[:space:]]*"|".*$/, "")
            print
            exit
        }
    ' "$1/Cargo.toml"
}

# Terraform's platform name for this machine: linux_amd64, darwin_arm64...
lambdawire_platform() {
    local os arch
    os="$(uname -s | tr '[:upper:]' '[:lower:]')"
    case "$(uname -m)" in
        x86_64 | amd64) arch=amd64 ;;
        aarch64 | arm64) arch=arm64 ;;
        i386 | i686) arch=386 ;;
        armv7l | armv6l) arch=arm ;;
        *) arch="$(uname -m)" ;;
    esac
    echo "${os}_${arch}"
}

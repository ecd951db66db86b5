//! The release zip installs the way users get it (issue 11, point 4):
//! `scripts/release` packs it, the zip is laid out as a filesystem mirror
//! in the packed layout, `terraform providers lock -fs-mirror` records its
//! hashes, and `terraform init` with a version constraint installs it and
//! accepts the lock file. The binary cargo built for the tests is packed
//! (`RELEASE_BINARY`): what is verified is the packaging, not the optimiser,
//! and a nested cargo build would wait on the lock of the running one.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what} failed:\n{text}");
    text
}

fn terraform(dir: &Path, cli_config: &Path, args: &[&str]) -> String {
    run(
        Command::new("terraform")
            .args(args)
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("TF_PLUGIN_CACHE_DIR"),
        &format!("terraform {}", args.join(" ")),
    )
}

#[test]
fn the_release_zip_installs_from_a_mirror_with_a_verified_lock_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dist = tmp.path().join("dist");
    run(
        Command::new("bash")
            .arg(root().join("scripts/release"))
            .env(
                "RELEASE_BINARY",
                env!("CARGO_BIN_EXE_terraform-provider-lambdawire"),
            )
            .env("DIST_DIR", &dist)
            .current_dir(root()),
        "scripts/release",
    );
    let zip = std::fs::read_dir(&dist)
        .expect("dist")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "zip"))
        .expect("a zip in dist");
    let zip_name = zip
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_string();
    // terraform-provider-lambdawire_<version>_<os>_<arch>.zip
    let parts: Vec<&str> = zip_name.trim_end_matches(".zip").split('_').collect();
    let (version, platform) = (parts[1], format!("{}_{}", parts[2], parts[3]));
    let sums = std::fs::read_to_string(dist.join(format!(
        "terraform-provider-lambdawire_{version}_SHA256SUMS"
    )))
    .expect("SHA256SUMS");
    let zip_sha = hex::encode(Sha256::digest(std::fs::read(&zip).expect("zip")));
    assert!(
        sums.contains(&format!("{zip_sha}  {zip_name}")),
        "SHA256SUMS lists the zip:\n{sums}"
    );

    // The packed layout: HOST/NAMESPACE/TYPE/<the zip as released>.
    let mirror = tmp.path().join("mirror");
    let packed = mirror.join("registry.terraform.io/lambdawire/lambdawire");
    std::fs::create_dir_all(&packed).expect("mirror");
    std::fs::copy(&zip, packed.join(&zip_name)).expect("copy zip");
    let cli_config = tmp.path().join("terraformrc");
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/lambdawire/lambdawire\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .expect("cli config");
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).expect("work");
    std::fs::write(
        work.join("main.tf"),
        format!(
            r#"terraform {{
  required_providers {{
    lambdawire = {{
      source  = "lambdawire/lambdawire"
      version = "~> {version}"
    }}
  }}
}}

provider "lambdawire" {{
  region = "us-east-1"
}}

output "at" {{
  value = provider::lambdawire::at("2030-01-01T09:00:00Z", "UTC")
}}
"#
        ),
    )
    .expect("main.tf");

    terraform(
        &work,
        &cli_config,
        &[
            "providers",
            "lock",
            &format!("-fs-mirror={}", mirror.display()),
            &format!("-platform={platform}"),
        ],
    );
    let lock = std::fs::read_to_string(work.join(".terraform.lock.hcl")).expect("lock file");
    assert!(
        lock.contains(&format!("version     = \"{version}\"")),
        "{lock}"
    );
    // A filesystem mirror has no published checksums, so Terraform records
    // the package's content hash (h1: Go's dirhash over the unpacked files)
    // and no zh: (the registry's zip checksum, which SHA256SUMS above
    // carries for publication). The h1: must be exactly the released
    // binary's.
    let binary = format!("terraform-provider-lambdawire_v{version}");
    // The zip was packed from this binary; Terraform hashes what it unpacks.
    let unpacked =
        std::fs::read(env!("CARGO_BIN_EXE_terraform-provider-lambdawire")).expect("binary");
    let summary = format!("{}  {binary}\n", hex::encode(Sha256::digest(&unpacked)));
    let h1 = format!(
        "h1:{}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            Sha256::digest(summary.as_bytes())
        )
    );
    assert!(
        lock.contains(&format!("\"{h1}\"")),
        "the lock file's h1: hash is the released binary's ({h1}):\n{lock}"
    );

    // init installs from the mirror and checks the package against the
    // lock file's hashes (a mismatch fails init); the provider then runs.
    let init = terraform(&work, &cli_config, &["init", "-input=false", "-no-color"]);
    assert!(
        init.contains(&format!("Installed lambdawire/lambdawire v{version}")),
        "{init}"
    );
    let installed = work.join(format!(
        ".terraform/providers/registry.terraform.io/lambdawire/lambdawire/{version}/{platform}/terraform-provider-lambdawire_v{version}"
    ));
    assert!(installed.is_file(), "{}", installed.display());
    let after_init = std::fs::read_to_string(work.join(".terraform.lock.hcl")).expect("lock");
    assert_eq!(after_init, lock, "init accepted the lock file as it was");
    let plan = terraform(&work, &cli_config, &["plan", "-input=false", "-no-color"]);
    assert!(plan.contains("at(2030-01-01T09:00:00)"), "{plan}");
}

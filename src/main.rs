//! Binary entry point: set up logging on stderr, then serve the provider over
//! tfplugin 6. Everything else lives in the library so it can be tested.

#![deny(clippy::unwrap_used, clippy::expect_used)]

#[tokio::main]
async fn main() {
    if std::env::args().nth(1).as_deref() == Some("--version") {
        println!(
            "terraform-provider-lambdawire {}",
            env!("CARGO_PKG_VERSION")
        );
        return;
    }
    // Terraform (and OpenTofu) set the cookie when they launch a provider; a
    // person running the binary by hand gets an explanation instead.
    let cookie = std::env::var(lambdawire::plugin::handshake::MAGIC_COOKIE_KEY).ok();
    if cookie.as_deref() != Some(lambdawire::plugin::handshake::MAGIC_COOKIE_VALUE) {
        eprintln!(
            "terraform-provider-lambdawire {} is a Terraform provider plugin: Terraform or OpenTofu \
             starts it. Install it with scripts/install, or point a dev_overrides CLI config at it.",
            env!("CARGO_PKG_VERSION")
        );
        std::process::exit(1);
    }
    lambdawire::logging::init();
    if let Err(err) = lambdawire::serve().await {
        // stdout belongs to the plugin handshake; failures go to stderr only.
        eprintln!("terraform-provider-lambdawire: {err:#}");
        std::process::exit(1);
    }
    // Served to the end: exit now rather than wait, as dropping the runtime
    // would, for blocking tasks (DNS lookups) nobody needs any more.
    std::process::exit(0);
}

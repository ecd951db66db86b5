//! Binary entry point: set up logging on stderr, then serve the provider over
//! tfplugin 6. Everything else lives in the library so it can be tested.

#[tokio::main]
async fn main() {
    lambdawire::logging::init();
    if let Err(err) = lambdawire::serve().await {
        // stdout belongs to the plugin handshake; failures go to stderr only.
        eprintln!("terraform-provider-lambdawire: {err:#}");
        std::process::exit(1);
    }
}

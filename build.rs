//! Generates the gRPC bindings for the Terraform plugin protocol (tfplugin6)
//! and the go-plugin / gRPC health services that a provider must serve.
//!
//! The `.proto` files are parsed with `protox`, a pure-Rust protobuf compiler
//! that ships the Google well-known types (`timestamp.proto`, `empty.proto`).
//! That way no system `protoc` binary and no `/usr/include/google` headers are
//! needed on developer machines or in CI. The resulting descriptor set is then
//! handed to `tonic-build` for Rust code generation.

use std::error::Error;

/// Directory holding the protocol definitions, relative to the crate root.
const PROTO_DIR: &str = "proto";

/// Every file to compile, relative to `PROTO_DIR`.
const PROTO_FILES: &[&str] = &[
    "tfplugin6.proto",
    "grpc_broker.proto",
    "grpc_controller.proto",
    "grpc_stdio.proto",
    "health.proto",
];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={PROTO_DIR}");

    let paths: Vec<String> = PROTO_FILES
        .iter()
        .map(|file| format!("{PROTO_DIR}/{file}"))
        .collect();
    for path in &paths {
        println!("cargo:rerun-if-changed={path}");
    }

    let fds = protox::compile(&paths, [PROTO_DIR])?;

    tonic_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_fds(fds)?;

    Ok(())
}

//! The protocol's generated messages and services (see `build.rs`). Our
//! `.proto` files live in `proto/`; these modules are what tonic and prost
//! make of them, server and client (the client drives the protocol tests).

// Generated code: prost and tonic write no docs for what the .proto files
// leave uncommented, and we do not edit their output; lint our code only.
#![allow(clippy::all, clippy::pedantic, missing_docs)]

/// Terraform's plugin protocol, version 6 (`proto/tfplugin6.proto`).
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin's broker, controller and stdio services.
pub mod plugin {
    tonic::include_proto!("plugin");
}

/// gRPC's standard health service, which go-plugin polls.
pub mod health {
    tonic::include_proto!("grpc.health.v1");
}

//! The protocol's generated messages and services (see `build.rs`). Our
//! `.proto` files live in `proto/`; these modules are what tonic and prost
//! make of them, server and client (the client drives the protocol tests).

#![allow(clippy::all, clippy::pedantic, missing_docs)]

pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin's broker, controller and stdio services.
pub mod plugin {
    tonic::include_proto!("plugin");
}

pub mod health {
    tonic::include_proto!("grpc.health.v1");
}

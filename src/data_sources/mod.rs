//! Data sources, one module each.

pub mod lambda_function_policy;

use std::sync::Arc;

use crate::plugin::resource::{DynDataSource, Erased};
use crate::provider::Shared;

pub fn all(shared: &Arc<Shared>) -> Vec<Box<dyn DynDataSource>> {
    vec![Box::new(Erased(
        lambda_function_policy::LambdaFunctionPolicy {
            shared: shared.clone(),
        },
    ))]
}

//! Data sources, one module each, each behind the one
//! [`DataAdapter`](crate::resources::adapter::DataAdapter).

pub mod lambda_function_policy;

use std::sync::Arc;

use crate::plugin::resource::DynDataSource;
use crate::resources::adapter::DataAdapter;
use crate::shared::Shared;

/// Every data source type.
pub fn all(shared: &Arc<Shared>) -> Vec<Box<dyn DynDataSource>> {
    vec![DataAdapter::boxed(
        shared,
        lambda_function_policy::LambdaFunctionPolicy,
    )]
}

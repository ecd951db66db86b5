//! Data sources, one module each.

pub mod lambda_function_policy;

use std::collections::HashMap;
use std::sync::Arc;

use tf_provider::DynamicDataSource;

use crate::provider::Shared;

pub fn all(shared: &Arc<Shared>) -> HashMap<String, Box<dyn DynamicDataSource>> {
    let mut sources: HashMap<String, Box<dyn DynamicDataSource>> = HashMap::new();
    sources.insert(
        "lambda_function_policy".into(),
        Box::new(lambda_function_policy::LambdaFunctionPolicy {
            shared: shared.clone(),
        }),
    );
    sources
}

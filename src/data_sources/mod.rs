//! Data sources, one module each.

use std::collections::HashMap;
use std::sync::Arc;

use tf_provider::DynamicDataSource;

use crate::provider::Shared;

pub fn all(_shared: &Arc<Shared>) -> HashMap<String, Box<dyn DynamicDataSource>> {
    HashMap::new()
}

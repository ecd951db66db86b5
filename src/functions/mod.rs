//! Provider functions (Terraform >= 1.8), one module each.

use std::collections::HashMap;

use tf_provider::DynamicFunction;

pub fn all() -> HashMap<String, Box<dyn DynamicFunction>> {
    HashMap::new()
}

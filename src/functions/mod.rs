//! Provider functions (Terraform >= 1.8): pure, no AWS call. One module each.

pub mod at;
pub mod principal_for_arn;

use std::collections::HashMap;

use tf_provider::DynamicFunction;

pub fn all() -> HashMap<String, Box<dyn DynamicFunction>> {
    let mut functions: HashMap<String, Box<dyn DynamicFunction>> = HashMap::new();
    functions.insert("at".into(), Box::new(at::At));
    functions.insert(
        "principal_for_arn".into(),
        Box::new(principal_for_arn::PrincipalForArn),
    );
    functions
}

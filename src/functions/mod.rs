//! Provider functions (Terraform >= 1.8): pure, no AWS call. One module each.

pub mod at;
pub mod principal_for_arn;

use crate::plugin::resource::{DynFunction, Erased};

/// Every provider function, each behind [`Erased`].
pub fn all() -> Vec<Box<dyn DynFunction>> {
    vec![
        Box::new(Erased(at::At)),
        Box::new(Erased(principal_for_arn::PrincipalForArn)),
    ]
}

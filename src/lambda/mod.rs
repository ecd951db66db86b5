//! Lambda's vocabulary, pure (no I/O): how a function is referred to (name,
//! full or partial ARN, qualifier), which principal a source invokes as and
//! whether a principal agrees with its source, and the statements of a
//! function's resource-based policy as Lambda stores them, and the findings
//! of an audit of those statements, the content-derived ids of generated
//! statements, and the plan of a statement swap with
//! no window of denial. Shared by every resource and data source that
//! touches a function's policy.

pub mod findings;
pub mod function_ref;
pub mod grant;
pub mod principal;
pub mod statement;
pub mod statement_id;
pub mod swap;

//! Pure validation layer, no I/O: schedule expressions, time zones and
//! timestamps, AWS names, and the table that configurations' checks are
//! written as (`rules`). Everything here is a plain function of its
//! inputs (the current time included) so it can run during planning and be
//! tested without AWS.

pub mod arn;
pub mod duration;
pub mod names;
pub mod rules;
pub mod schedule_expression;
pub mod time;

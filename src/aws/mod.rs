//! The only code that sends AWS SDK calls: clients, error classification and
//! diagnostics, named bounded retries, the keyed lock, and per-service calls
//! whose finders return `Option` and own "not found".

pub mod attempts;
pub mod clients;
pub mod error;
pub mod event_source;
pub mod eventbridge;
pub mod iam;
pub mod lambda;
pub mod lock;
pub mod log;
pub mod plan_reads;
pub mod policy_reads;
pub mod retry;
pub mod s3;
pub mod scheduler;
pub mod sns;

pub use clients::AwsClients;
pub use error::{AwsError, ErrorKind};

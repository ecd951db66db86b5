//! Acceptance tests: the real `terraform` binary drives the built provider
//! against the embedded AWS (moto with scripts/local_aws); every test checks the AWS side with the SDK and ends with an
//! empty `plan -detailed-exitcode`.

mod support;
mod acceptance {
    pub mod cross_account_role;
    pub mod dynamic_example;
    pub mod every_step;
    pub mod function_url_access;
    pub mod install;
    pub mod interrupt;
    pub mod invoker;
    pub mod invoker_faults;
    pub mod invoker_input;
    pub mod invoker_moved;
    pub mod load;
    pub mod local_aws;
    pub mod ownership;
    pub mod permission;
    pub mod permission_state;
    pub mod policy_audit;
    pub mod provider;
    pub mod request_counts;
    pub mod role_drift;
    pub mod roles;
    pub mod secrets;
    pub mod sqs_event_source;
    pub mod storm;
    pub mod wildcards;
}

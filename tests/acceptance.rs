//! Acceptance tests: the real `terraform` binary drives the built provider
//! against the embedded AWS (moto with scripts/local_aws); every test checks
//! the AWS side with the SDK and ends with an empty `plan -detailed-exitcode`.
//!
//! `resources/` and `data_sources/` hold one file per type, its tests named
//! `<type>_<case>`; `suites/` the cross-cutting suites, each over several
//! types. tests/README.md says where each suite lives and how to run one.

mod support;
mod acceptance {
    pub mod all_triggers_example;
    pub mod data_sources {
        pub mod lambda_function_policy;
    }
    pub mod dynamic_example;
    pub mod provider;
    pub mod resources {
        pub mod cross_account_invoker_role;
        pub mod eventbridge_trigger;
        pub mod function_url_access;
        pub mod lambda_execution_role;
        pub mod lambda_invoke_permission;
        pub mod managed_role;
        pub mod s3_trigger;
        pub mod scheduled_lambda_invoker;
        pub mod scheduler_invoke_role;
        pub mod sns_trigger;
        pub mod sqs_event_source;
    }
    pub mod suites {
        pub mod every_step;
        pub mod install;
        pub mod interrupt;
        pub mod load;
        pub mod local_aws;
        pub mod ownership;
        pub mod plan_checks;
        pub mod request_counts;
        pub mod secrets;
        pub mod storm;
        pub mod wildcards;
    }
}

//! The SDK chains the tests check AWS with, one method of [`Aws`] each:
//! a test says what it looks at or changes out of band ("the statements of
//! this function", "delete this schedule"), not how the SDK spells it.

use std::io::Write;

use super::{json, percent_decode, Aws, SCHEDULER_TRUST};

impl Aws {
    /// A Lambda function to invoke (with the execution role moto requires).
    /// A function whose execution role is `{name}-exec` (created if missing).
    pub async fn create_function(&self, name: &str) -> String {
        self.create_function_with_role(name, &format!("{name}-exec"))
            .await
    }

    /// A function whose execution role is `role` (created if missing).
    pub async fn create_function_with_role(&self, name: &str, role: &str) -> String {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let role_arn = match self
            .iam
            .create_role()
            .role_name(role)
            .assume_role_policy_document(trust)
            .send()
            .await
        {
            Ok(out) => out.role.expect("role").arn().to_string(),
            Err(_) => self
                .iam
                .get_role()
                .role_name(role)
                .send()
                .await
                .expect("role")
                .role
                .expect("role")
                .arn()
                .to_string(),
        };
        let out = self
            .lambda
            .create_function()
            .function_name(name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(role_arn)
            .handler("index.handler")
            .code(
                aws_sdk_lambda::types::FunctionCode::builder()
                    .zip_file(aws_sdk_lambda::primitives::Blob::new(handler_zip()))
                    .build(),
            )
            .send()
            .await
            .expect("create function");
        out.function_arn().expect("function arn").to_string()
    }

    /// The statement `sid` of the function's policy, as Lambda returns it.
    pub async fn statement(&self, function: &str, sid: &str) -> Option<serde_json::Value> {
        let policy = self
            .lambda
            .get_policy()
            .function_name(function)
            .send()
            .await
            .ok()?;
        let doc = json(policy.policy()?);
        doc["Statement"]
            .as_array()?
            .iter()
            .find(|s| s["Sid"] == sid)
            .cloned()
    }

    /// How many statements the function's policy holds (0 without one).
    pub async fn statement_count(&self, function: &str) -> usize {
        let Ok(policy) = self
            .lambda
            .get_policy()
            .function_name(function)
            .send()
            .await
        else {
            return 0;
        };
        json(policy.policy().unwrap_or("{}"))["Statement"]
            .as_array()
            .map_or(0, Vec::len)
    }

    pub async fn role_exists(&self, name: &str) -> bool {
        self.iam.get_role().role_name(name).send().await.is_ok()
    }

    /// Names of every role whose name starts with `prefix` (all pages).
    pub async fn roles_with_prefix(&self, prefix: &str) -> Vec<String> {
        let pages: Vec<_> = self
            .iam
            .list_roles()
            .into_paginator()
            .send()
            .collect()
            .await;
        pages
            .into_iter()
            .flat_map(|page| page.expect("list roles").roles)
            .map(|r| r.role_name().to_string())
            .filter(|n| n.starts_with(prefix))
            .collect()
    }

    /// Names of every schedule (all pages).
    pub async fn schedule_names(&self) -> Vec<String> {
        let pages: Vec<_> = self
            .scheduler
            .list_schedules()
            .into_paginator()
            .send()
            .collect()
            .await;
        pages
            .into_iter()
            .flat_map(|page| page.expect("list schedules").schedules)
            .filter_map(|s| s.name)
            .collect()
    }

    pub async fn role_policy(&self, role: &str, policy: &str) -> Option<String> {
        let out = self
            .iam
            .get_role_policy()
            .role_name(role)
            .policy_name(policy)
            .send()
            .await
            .ok()?;
        Some(percent_decode(out.policy_document()))
    }

    pub async fn trust_policy(&self, role: &str) -> Option<String> {
        let out = self.iam.get_role().role_name(role).send().await.ok()?;
        out.role()?
            .assume_role_policy_document()
            .map(percent_decode)
    }
}

/// A deployment package with one Python handler (moto never runs it).
fn handler_zip() -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("index.py", options).expect("zip entry");
        zip.write_all(b"def handler(event, context):\n    return event\n")
            .expect("zip write");
        zip.finish().expect("zip finish");
    }
    buffer.into_inner()
}

impl Aws {
    /// GetSchedule in `group`; `None` when it does not exist.
    pub async fn schedule(
        &self,
        group: &str,
        name: &str,
    ) -> Option<aws_sdk_scheduler::operation::get_schedule::GetScheduleOutput> {
        self.scheduler
            .get_schedule()
            .group_name(group)
            .name(name)
            .send()
            .await
            .ok()
    }

    /// The role ARN a schedule's target assumes.
    pub async fn schedule_role_arn(&self, name: &str) -> String {
        let schedule = self.schedule("default", name).await.expect("schedule");
        schedule.target().expect("target").role_arn().to_string()
    }

    /// A role made by the user (not by lambdawire), with one inline policy.
    pub async fn create_user_role(&self, name: &str, policy_name: &str, policy: &str) -> String {
        let arn = self
            .iam
            .create_role()
            .role_name(name)
            .assume_role_policy_document(SCHEDULER_TRUST)
            .send()
            .await
            .expect("create role")
            .role
            .expect("role")
            .arn()
            .to_string();
        self.iam
            .put_role_policy()
            .role_name(name)
            .policy_name(policy_name)
            .policy_document(policy)
            .send()
            .await
            .expect("put role policy");
        arn
    }

    /// Delete a role the way a person would out of band: inline policies first
    /// (IAM refuses to delete a role that still has one).
    pub async fn delete_role_with_policies(&self, name: &str) {
        let policies = self
            .iam
            .list_role_policies()
            .role_name(name)
            .send()
            .await
            .expect("list role policies");
        for policy in policies.policy_names() {
            self.iam
                .delete_role_policy()
                .role_name(name)
                .policy_name(policy)
                .send()
                .await
                .expect("delete role policy");
        }
        self.iam
            .delete_role()
            .role_name(name)
            .send()
            .await
            .expect("delete role");
    }

    /// A role's tags, sorted by key.
    pub async fn role_tags(&self, name: &str) -> Vec<(String, String)> {
        let out = self
            .iam
            .list_role_tags()
            .role_name(name)
            .send()
            .await
            .expect("list role tags");
        let mut tags: Vec<(String, String)> = out
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        tags.sort();
        tags
    }

    /// Nothing lambdawire creates is left: no schedule, no `lambdawire-` role.
    pub async fn assert_nothing_left(&self) {
        assert_eq!(
            self.schedule_names().await,
            Vec::<String>::new(),
            "schedules left"
        );
        assert_eq!(
            self.roles_with_prefix("lambdawire-").await,
            Vec::<String>::new(),
            "managed roles left"
        );
    }
}

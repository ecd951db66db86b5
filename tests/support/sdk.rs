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

    /// The function's execution role ARN, as GetFunctionConfiguration says.
    pub async fn function_role_arn(&self, name: &str) -> String {
        self.lambda
            .get_function_configuration()
            .function_name(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("function configuration {name}: {e:?}"))
            .role()
            .expect("role")
            .to_string()
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
        self.statements(function, None)
            .await
            .into_iter()
            .find(|s| s["Sid"] == sid)
    }

    /// How many statements the function's policy holds (0 without one).
    pub async fn statement_count(&self, function: &str) -> usize {
        self.statements(function, None).await.len()
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
        let arn = self.create_role(name, "/", SCHEDULER_TRUST).await;
        self.put_role_policy(name, policy_name, policy).await;
        arn
    }

    /// Delete a role the way a person would out of band: inline policies first
    /// (IAM refuses to delete a role that still has one).
    pub async fn delete_role_with_policies(&self, name: &str) {
        for policy in self.role_policy_names(name).await {
            self.delete_role_policy(name, &policy).await;
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

/// Lambda: function policies, aliases, functions and event source mappings.
impl Aws {
    /// Every statement of the function's (or qualifier's) policy; empty when
    /// it has none, so "gone" is checked the same way as "present".
    pub async fn statements(
        &self,
        function: &str,
        qualifier: Option<&str>,
    ) -> Vec<serde_json::Value> {
        let Ok(policy) = self
            .lambda
            .get_policy()
            .function_name(function)
            .set_qualifier(qualifier.map(str::to_string))
            .send()
            .await
        else {
            return Vec::new();
        };
        let doc = json(policy.policy().unwrap_or("{}"));
        doc["Statement"].as_array().cloned().unwrap_or_default()
    }

    /// The statement ids of the function's policy, in its order.
    pub async fn statement_ids(&self, function: &str) -> Vec<String> {
        self.statements(function, None)
            .await
            .iter()
            .filter_map(|s| s["Sid"].as_str().map(str::to_string))
            .collect()
    }

    /// AddPermission of `lambda:InvokeFunction` for `principal`, as a person
    /// or another tool would add it.
    pub async fn add_permission(
        &self,
        function: &str,
        qualifier: Option<&str>,
        sid: &str,
        principal: &str,
        source_arn: Option<&str>,
    ) {
        self.lambda
            .add_permission()
            .function_name(function)
            .set_qualifier(qualifier.map(str::to_string))
            .statement_id(sid)
            .action("lambda:InvokeFunction")
            .principal(principal)
            .set_source_arn(source_arn.map(str::to_string))
            .send()
            .await
            .unwrap_or_else(|e| panic!("add permission {function}/{sid}: {e:?}"));
    }

    /// AddPermission of `lambda:InvokeFunctionUrl` with `auth_type`.
    pub async fn add_url_permission(
        &self,
        function: &str,
        sid: &str,
        principal: &str,
        auth_type: aws_sdk_lambda::types::FunctionUrlAuthType,
    ) {
        self.lambda
            .add_permission()
            .function_name(function)
            .statement_id(sid)
            .action("lambda:InvokeFunctionUrl")
            .principal(principal)
            .function_url_auth_type(auth_type)
            .send()
            .await
            .unwrap_or_else(|e| panic!("add URL permission {function}/{sid}: {e:?}"));
    }

    /// RemovePermission out of band.
    pub async fn remove_permission(&self, function: &str, sid: &str) {
        self.lambda
            .remove_permission()
            .function_name(function)
            .statement_id(sid)
            .send()
            .await
            .unwrap_or_else(|e| panic!("remove permission {function}/{sid}: {e:?}"));
    }

    /// Publish a version of `function` and point the alias `alias` at it.
    pub async fn create_alias(&self, function: &str, alias: &str) {
        let version = self
            .lambda
            .publish_version()
            .function_name(function)
            .send()
            .await
            .expect("publish version");
        self.lambda
            .create_alias()
            .function_name(function)
            .name(alias)
            .function_version(version.version().expect("version number"))
            .send()
            .await
            .expect("create alias");
    }

    /// Publish `count` versions of `function`, changing its description
    /// before each (Lambda publishes no version when nothing changed);
    /// their numbers, in order.
    pub async fn publish_versions(&self, function: &str, count: usize) -> Vec<String> {
        let mut versions = Vec::new();
        for n in 0..count {
            self.lambda
                .update_function_configuration()
                .function_name(function)
                .description(format!("version {n}"))
                .send()
                .await
                .expect("update configuration");
            let published = self
                .lambda
                .publish_version()
                .function_name(function)
                .send()
                .await
                .expect("publish version");
            versions.push(published.version().expect("version number").to_string());
        }
        versions
    }

    pub async fn delete_function(&self, name: &str) {
        self.lambda
            .delete_function()
            .function_name(name)
            .send()
            .await
            .expect("delete function");
    }

    pub async fn function_exists(&self, name: &str) -> bool {
        self.lambda
            .get_function()
            .function_name(name)
            .send()
            .await
            .is_ok()
    }

    /// Give the function another execution role, out of band.
    pub async fn set_function_role(&self, function: &str, role_arn: &str) {
        self.lambda
            .update_function_configuration()
            .function_name(function)
            .role(role_arn)
            .send()
            .await
            .expect("update function configuration");
    }

    /// Every mapping that reads from `queue`.
    pub async fn mappings(
        &self,
        queue: &str,
    ) -> Vec<aws_sdk_lambda::types::EventSourceMappingConfiguration> {
        self.lambda
            .list_event_source_mappings()
            .event_source_arn(queue)
            .send()
            .await
            .expect("list event source mappings")
            .event_source_mappings
            .unwrap_or_default()
    }

    /// GetEventSourceMapping; the mapping must exist.
    pub async fn mapping(
        &self,
        uuid: &str,
    ) -> aws_sdk_lambda::operation::get_event_source_mapping::GetEventSourceMappingOutput {
        self.lambda
            .get_event_source_mapping()
            .uuid(uuid)
            .send()
            .await
            .expect("get event source mapping")
    }

    /// A mapping made outside Terraform; its UUID.
    pub async fn create_mapping(&self, function: &str, queue: &str) -> String {
        self.lambda
            .create_event_source_mapping()
            .function_name(function)
            .event_source_arn(queue)
            .send()
            .await
            .expect("create event source mapping")
            .uuid
            .expect("uuid")
    }

    /// Change a mapping's batch size and state out of band.
    pub async fn update_mapping(&self, uuid: &str, batch_size: i32, enabled: bool) {
        self.lambda
            .update_event_source_mapping()
            .uuid(uuid)
            .batch_size(batch_size)
            .enabled(enabled)
            .send()
            .await
            .expect("update event source mapping");
    }

    pub async fn delete_mapping(&self, uuid: &str) {
        self.lambda
            .delete_event_source_mapping()
            .uuid(uuid)
            .send()
            .await
            .expect("delete event source mapping");
    }
}

/// IAM: roles, their inline policies, trust, tags and settings.
impl Aws {
    /// GetRole; the role must exist.
    pub async fn role(&self, name: &str) -> aws_sdk_iam::types::Role {
        self.iam
            .get_role()
            .role_name(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("get role {name}: {e:?}"))
            .role
            .expect("role")
    }

    /// A role at `path` with the trust policy `trust`; its ARN.
    pub async fn create_role(&self, name: &str, path: &str, trust: &str) -> String {
        self.iam
            .create_role()
            .role_name(name)
            .path(path)
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap_or_else(|e| panic!("create role {name}: {e:?}"))
            .role
            .expect("role")
            .arn()
            .to_string()
    }

    /// The names of the role's inline policies.
    pub async fn role_policy_names(&self, role: &str) -> Vec<String> {
        self.iam
            .list_role_policies()
            .role_name(role)
            .send()
            .await
            .expect("list role policies")
            .policy_names
    }

    /// PutRolePolicy out of band (a new inline policy, or one overwritten).
    pub async fn put_role_policy(&self, role: &str, policy_name: &str, document: &str) {
        self.iam
            .put_role_policy()
            .role_name(role)
            .policy_name(policy_name)
            .policy_document(document)
            .send()
            .await
            .expect("put role policy");
    }

    pub async fn delete_role_policy(&self, role: &str, policy_name: &str) {
        self.iam
            .delete_role_policy()
            .role_name(role)
            .policy_name(policy_name)
            .send()
            .await
            .expect("delete role policy");
    }

    /// UpdateAssumeRolePolicy out of band.
    pub async fn update_trust_policy(&self, role: &str, document: &str) {
        self.iam
            .update_assume_role_policy()
            .role_name(role)
            .policy_document(document)
            .send()
            .await
            .expect("update trust policy");
    }

    pub async fn tag_role(&self, role: &str, key: &str, value: &str) {
        self.iam
            .tag_role()
            .role_name(role)
            .tags(
                aws_sdk_iam::types::Tag::builder()
                    .key(key)
                    .value(value)
                    .build()
                    .expect("tag"),
            )
            .send()
            .await
            .expect("tag role");
    }

    pub async fn untag_role(&self, role: &str, key: &str) {
        self.iam
            .untag_role()
            .role_name(role)
            .tag_keys(key)
            .send()
            .await
            .expect("untag role");
    }

    pub async fn delete_role_boundary(&self, role: &str) {
        self.iam
            .delete_role_permissions_boundary()
            .role_name(role)
            .send()
            .await
            .expect("delete permissions boundary");
    }

    /// PutRolePermissionsBoundary out of band.
    pub async fn set_role_boundary(&self, role: &str, policy_arn: &str) {
        self.iam
            .put_role_permissions_boundary()
            .role_name(role)
            .permissions_boundary(policy_arn)
            .send()
            .await
            .expect("put permissions boundary");
    }

    /// A customer managed policy (the embedded AWS loads none of AWS's own);
    /// its ARN.
    pub async fn create_policy(&self, name: &str, document: &str) -> String {
        self.iam
            .create_policy()
            .policy_name(name)
            .policy_document(document)
            .send()
            .await
            .expect("create policy")
            .policy()
            .and_then(|p| p.arn())
            .expect("policy arn")
            .to_string()
    }

    /// AttachRolePolicy out of band.
    pub async fn attach_role_policy(&self, role: &str, policy_arn: &str) {
        self.iam
            .attach_role_policy()
            .role_name(role)
            .policy_arn(policy_arn)
            .send()
            .await
            .expect("attach role policy");
    }

    /// The ARNs of the managed policies attached to the role.
    pub async fn attached_policies(&self, role: &str) -> Vec<String> {
        self.iam
            .list_attached_role_policies()
            .role_name(role)
            .send()
            .await
            .expect("list attached role policies")
            .attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_string))
            .collect()
    }

    pub async fn set_max_session_duration(&self, role: &str, seconds: i32) {
        self.iam
            .update_role()
            .role_name(role)
            .max_session_duration(seconds)
            .send()
            .await
            .expect("update role");
    }
}

/// Scheduler: schedules and groups made or removed outside Terraform.
impl Aws {
    /// A schedule in the default group with the window off, as another tool
    /// would make it.
    pub async fn create_schedule(
        &self,
        name: &str,
        expression: &str,
        function_arn: &str,
        role_arn: &str,
    ) {
        self.scheduler
            .create_schedule()
            .name(name)
            .schedule_expression(expression)
            .flexible_time_window(
                aws_sdk_scheduler::types::FlexibleTimeWindow::builder()
                    .mode(aws_sdk_scheduler::types::FlexibleTimeWindowMode::Off)
                    .build()
                    .expect("window"),
            )
            .target(
                aws_sdk_scheduler::types::Target::builder()
                    .arn(function_arn)
                    .role_arn(role_arn)
                    .build()
                    .expect("target"),
            )
            .send()
            .await
            .expect("create schedule");
    }

    /// DeleteSchedule, as Scheduler does once a one-time schedule has fired.
    pub async fn delete_schedule(&self, group: &str, name: &str) {
        self.scheduler
            .delete_schedule()
            .group_name(group)
            .name(name)
            .send()
            .await
            .expect("delete schedule");
    }

    pub async fn create_schedule_group(&self, name: &str) {
        self.scheduler
            .create_schedule_group()
            .name(name)
            .send()
            .await
            .expect("create schedule group");
    }

    pub async fn schedule_group_names(&self) -> Vec<String> {
        self.scheduler
            .list_schedule_groups()
            .send()
            .await
            .expect("list schedule groups")
            .schedule_groups()
            .iter()
            .filter_map(|g| g.name().map(str::to_string))
            .collect()
    }
}

/// The statements of `all` whose Sid is `sid`.
pub fn with_sid<'a>(all: &'a [serde_json::Value], sid: &str) -> Vec<&'a serde_json::Value> {
    all.iter().filter(|s| s["Sid"] == sid).collect()
}

/// Real Lambda writes the auth type as a `lambda:FunctionUrlAuthType`
/// condition; moto keeps it as a top-level statement key.
pub fn function_url_auth_type(stmt: &serde_json::Value) -> &serde_json::Value {
    let condition = &stmt["Condition"]["StringEquals"]["lambda:FunctionUrlAuthType"];
    if condition.is_null() {
        &stmt["FunctionUrlAuthType"]
    } else {
        condition
    }
}

/// moto stores an account principal as the bare id; real Lambda writes the
/// account's root ARN. Both grant the same account.
pub fn is_account_principal(principal: &serde_json::Value, account: &str) -> bool {
    *principal == serde_json::json!(account)
        || principal["AWS"] == account
        || principal["AWS"] == format!("arn:aws:iam::{account}:root")
}

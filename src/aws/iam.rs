//! IAM calls for the roles this provider manages. Finders return `Option`
//! and own "not found"; deletes take "not found" as success.

use std::collections::BTreeMap;

use aws_sdk_iam::types::Tag;

use super::error::{not_found_is_none, not_found_is_ok, AwsError, ErrorKind};
use super::AwsClients;
use crate::policy::document::decode_iam_document;

/// A role as the provider wants it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSpec {
    /// The role name, unique in the account (up to 64 characters).
    pub name: String,
    /// IAM path, `/` or `/a/b/`: part of the role's ARN, so a change replaces the role.
    pub path: String,
    /// The trust policy (AssumeRolePolicyDocument), JSON: who may assume the role.
    pub trust_policy: String,
    /// ARN of the managed policy that bounds the role's permissions; `None`: no boundary.
    pub permissions_boundary: Option<String>,
    /// Every tag the role carries, the provider's default tags included.
    pub tags: BTreeMap<String, String>,
    /// Sent at create and with every UpdateRole (see [`update_max_session_duration`]).
    pub description: String,
    /// Seconds a session of the role may last (IAM's `MaxSessionDuration`);
    /// `None` leaves it to IAM (3600 at create, unchanged after).
    pub max_session_duration: Option<i32>,
}

/// A role as IAM has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteRole {
    /// ARN of the role, which names its path and account.
    pub arn: String,
    /// The role name.
    pub name: String,
    /// IAM path, `/` or `/a/b/`.
    pub path: String,
    /// Decoded (IAM returns the document percent-encoded).
    pub trust_policy: String,
    /// ARN of the permissions boundary; `None` when there is none.
    pub permissions_boundary: Option<String>,
    /// Every tag IAM has on the role.
    pub tags: BTreeMap<String, String>,
}

/// A role as IAM has it, with its maximum session duration. Kept apart from
/// [`RemoteRole`] because only the role resources that manage the duration
/// read it; the invoker's managed role leaves it at IAM's default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundRole {
    /// The role as [`find_role`] reports it.
    pub role: RemoteRole,
    /// Seconds (3600-43200); IAM's default 3600 when GetRole omits it.
    pub max_session_duration: i32,
    /// IAM's description (empty when none).
    pub description: String,
    /// Whether any session of the role was ever used (`RoleLastUsed`):
    /// the leftover of a create that never finished has none.
    pub used: bool,
}

/// GetRole; `Ok(None)` when IAM has no role of this name.
pub async fn find_role(c: &AwsClients, name: &str) -> Result<Option<RemoteRole>, AwsError> {
    Ok(find_role_with_session(c, name)
        .await?
        .map(|found| found.role))
}

/// GetRole, with the role's maximum session duration.
pub async fn find_role_with_session(
    c: &AwsClients,
    name: &str,
) -> Result<Option<FoundRole>, AwsError> {
    let out = c.iam.get_role().role_name(name).send().await;
    let out = not_found_is_none(out.map_err(|e| AwsError::from_sdk("GetRole", e)))?;
    Ok(out.and_then(|o| o.role).map(|role| FoundRole {
        max_session_duration: role
            .max_session_duration()
            .unwrap_or(DEFAULT_SESSION_SECONDS),
        description: role.description().unwrap_or_default().to_string(),
        used: role
            .role_last_used()
            .is_some_and(|u| u.last_used_date().is_some()),
        role: RemoteRole {
            arn: role.arn().to_string(),
            name: role.role_name().to_string(),
            path: role.path().to_string(),
            trust_policy: role
                .assume_role_policy_document()
                .map(decode_iam_document)
                .unwrap_or_default(),
            permissions_boundary: role
                .permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn())
                .map(str::to_string),
            tags: role
                .tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect(),
        },
    }))
}

/// IAM's maximum session duration when none is set (CreateRole's default).
pub const DEFAULT_SESSION_SECONDS: i32 = 3600;

/// UpdateRole with the role's new maximum session duration. The
/// description is sent again with it: UpdateRole's `Description` is
/// optional, but emulators (moto) clear a description that is left out.
pub async fn update_max_session_duration(
    c: &AwsClients,
    spec: &RoleSpec,
    seconds: i32,
) -> Result<(), AwsError> {
    c.iam
        .update_role()
        .role_name(&spec.name)
        .description(&spec.description)
        .max_session_duration(seconds)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| AwsError::from_sdk("UpdateRole", e))
}

fn tag_list(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, AwsError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| AwsError {
                    operation: "TagRole",
                    code: "InvalidTag".into(),
                    message: e.to_string(),
                    request_id: None,
                    kind: ErrorKind::Other,
                })
        })
        .collect()
}

/// What CreateRole did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleCreation {
    /// Created.
    Created,
    /// The name is taken: the caller decides whether the role is provably
    /// its own.
    Taken,
    /// The name is taken, and the SDK had sent this call more than once: the
    /// role may be the one an unanswered attempt of this call created.
    TakenAfterResend,
}

/// CreateRole, and whether the name was taken (and after a resend).
pub async fn create_role(c: &AwsClients, spec: &RoleSpec) -> Result<RoleCreation, AwsError> {
    let attempts = super::attempts::Attempts::default();
    let mut call = c
        .iam
        .create_role()
        .role_name(&spec.name)
        .path(&spec.path)
        .assume_role_policy_document(&spec.trust_policy)
        .description(&spec.description)
        .set_max_session_duration(spec.max_session_duration)
        .set_tags(Some(tag_list(&spec.tags)?));
    if let Some(boundary) = &spec.permissions_boundary {
        call = call.permissions_boundary(boundary);
    }
    match call.customize().interceptor(attempts.clone()).send().await {
        Ok(out) => {
            tracing::info!(role = %spec.name, request_id = ?aws_types::request_id::RequestId::request_id(&out), "created IAM role");
            Ok(RoleCreation::Created)
        }
        Err(e) => {
            let err = AwsError::from_sdk("CreateRole", e);
            match (err.is(ErrorKind::AlreadyExists), attempts.count() > 1) {
                (true, true) => Ok(RoleCreation::TakenAfterResend),
                (true, false) => Ok(RoleCreation::Taken),
                (false, _) => Err(err),
            }
        }
    }
}

/// UpdateAssumeRolePolicy: replace the role's trust policy with `document` (JSON).
pub async fn update_trust_policy(
    c: &AwsClients,
    role: &str,
    document: &str,
) -> Result<(), AwsError> {
    c.iam
        .update_assume_role_policy()
        .role_name(role)
        .policy_document(document)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| AwsError::from_sdk("UpdateAssumeRolePolicy", e))
}

/// PutRolePermissionsBoundary with `Some`, DeleteRolePermissionsBoundary with
/// `None` (a role that has none already is success).
pub async fn set_permissions_boundary(
    c: &AwsClients,
    role: &str,
    boundary: Option<&str>,
) -> Result<(), AwsError> {
    match boundary {
        Some(arn) => c
            .iam
            .put_role_permissions_boundary()
            .role_name(role)
            .permissions_boundary(arn)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AwsError::from_sdk("PutRolePermissionsBoundary", e)),
        None => not_found_is_ok(
            c.iam
                .delete_role_permissions_boundary()
                .role_name(role)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| AwsError::from_sdk("DeleteRolePermissionsBoundary", e)),
        ),
    }
}

/// Make the role's tags exactly `wanted`.
pub async fn sync_tags(
    c: &AwsClients,
    role: &str,
    current: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
) -> Result<(), AwsError> {
    let stale: Vec<String> = current
        .keys()
        .filter(|k| !wanted.contains_key(*k))
        .cloned()
        .collect();
    if !stale.is_empty() {
        c.iam
            .untag_role()
            .role_name(role)
            .set_tag_keys(Some(stale))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("UntagRole", e))?;
    }
    let changed: BTreeMap<String, String> = wanted
        .iter()
        .filter(|(k, v)| current.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !changed.is_empty() {
        c.iam
            .tag_role()
            .role_name(role)
            .set_tags(Some(tag_list(&changed)?))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("TagRole", e))?;
    }
    Ok(())
}

/// GetRolePolicy: the inline policy `policy` of `role`, decoded JSON;
/// `Ok(None)` when the role or the policy does not exist.
pub async fn find_role_policy(
    c: &AwsClients,
    role: &str,
    policy: &str,
) -> Result<Option<String>, AwsError> {
    let out = c
        .iam
        .get_role_policy()
        .role_name(role)
        .policy_name(policy)
        .send()
        .await;
    let out = not_found_is_none(out.map_err(|e| AwsError::from_sdk("GetRolePolicy", e)))?;
    Ok(out.map(|o| decode_iam_document(o.policy_document())))
}

/// PutRolePolicy: create or replace the inline policy `policy` of `role`.
pub async fn put_role_policy(
    c: &AwsClients,
    role: &str,
    policy: &str,
    document: &str,
) -> Result<(), AwsError> {
    c.iam
        .put_role_policy()
        .role_name(role)
        .policy_name(policy)
        .policy_document(document)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| AwsError::from_sdk("PutRolePolicy", e))
}

/// DeleteRolePolicy; a role or policy already gone is success.
pub async fn delete_role_policy(c: &AwsClients, role: &str, policy: &str) -> Result<(), AwsError> {
    not_found_is_ok(
        c.iam
            .delete_role_policy()
            .role_name(role)
            .policy_name(policy)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AwsError::from_sdk("DeleteRolePolicy", e)),
    )
}

/// Delete a role this provider owns. The common case is two calls: its own
/// inline policy `policy`, then the role. Only when IAM refuses with
/// DeleteConflict (someone attached a managed policy or put another inline
/// one, which IAM requires to be removed first) are the role's policies
/// listed and removed, so nothing is left behind. A missing role is success.
pub async fn delete_role(c: &AwsClients, role: &str, policy: &str) -> Result<(), AwsError> {
    delete_role_policy(c, role, policy).await?;
    match delete_role_call(c, role).await {
        Err(e) if e.code == "DeleteConflict" => {
            if remove_every_policy(c, role).await? {
                delete_role_call(c, role).await
            } else {
                Ok(())
            }
        }
        other => other,
    }
}

async fn delete_role_call(c: &AwsClients, role: &str) -> Result<(), AwsError> {
    let deleted = not_found_is_ok(
        c.iam
            .delete_role()
            .role_name(role)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AwsError::from_sdk("DeleteRole", e)),
    );
    if deleted.is_ok() {
        tracing::info!(role = %role, "deleted IAM role");
    }
    deleted
}

/// The policies on a role: the names of its inline policies and the ARNs
/// of its attached managed policies. `None` when the role is gone.
pub struct RolePolicies {
    /// Names of the role's inline policies.
    pub inline: Vec<String>,
    /// ARNs of the managed policies attached to the role.
    pub attached: Vec<String>,
}

/// ListRolePolicies and ListAttachedRolePolicies (one page each: a role
/// holds at most 10 attachments by default, and a role this provider
/// would adopt or delete holds one inline policy).
pub async fn list_role_policies(
    c: &AwsClients,
    role: &str,
) -> Result<Option<RolePolicies>, AwsError> {
    let inline = c.iam.list_role_policies().role_name(role).send().await;
    let Some(inline) =
        not_found_is_none(inline.map_err(|e| AwsError::from_sdk("ListRolePolicies", e)))?
    else {
        return Ok(None);
    };
    let attached = c
        .iam
        .list_attached_role_policies()
        .role_name(role)
        .send()
        .await;
    let attached =
        not_found_is_none(attached.map_err(|e| AwsError::from_sdk("ListAttachedRolePolicies", e)))?;
    Ok(Some(RolePolicies {
        inline: inline.policy_names().to_vec(),
        attached: attached
            .map(|a| {
                a.attached_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }))
}

/// Every inline policy and managed policy attachment of a role, removed.
/// `false` when the role is gone already.
async fn remove_every_policy(c: &AwsClients, role: &str) -> Result<bool, AwsError> {
    let Some(policies) = list_role_policies(c, role).await? else {
        return Ok(false);
    };
    for name in &policies.inline {
        delete_role_policy(c, role, name).await?;
    }
    for arn in &policies.attached {
        not_found_is_ok(
            c.iam
                .detach_role_policy()
                .role_name(role)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| AwsError::from_sdk("DetachRolePolicy", e)),
        )?;
    }
    Ok(true)
}

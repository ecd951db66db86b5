//! Resource types the contract names whose behaviour is not built yet. Their
//! schema is published (so configurations validate and docs list them), and
//! any plan that would create one fails with a diagnostic saying so: never a
//! pretended success.

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{ValueAny, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::tf::schema::*;

pub struct Unbuilt {
    pub type_name: &'static str,
    pub schema: fn() -> Schema,
}

impl Unbuilt {
    fn refuse(&self, diags: &mut Diagnostics) {
        diags.root_error(
            format!(
                "{} is not available in this build of lambdawire",
                self.type_name
            ),
            format!(
                "The schema of {} is published so configurations can be written against it, but \
                 creating, updating or importing it is not available yet. Nothing was sent to AWS.",
                self.type_name
            ),
        );
    }
}

#[async_trait]
impl Resource for Unbuilt {
    type State<'a> = ValueAny;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some((self.schema)())
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Some((state, private_state))
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: Self::State<'a>,
        _config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.refuse(diags);
        None
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        _proposed: Self::State<'a>,
        _config: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        self.refuse(diags);
        None
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        _planned: Self::State<'a>,
        _config: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.refuse(diags);
        None
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        _planned: Self::State<'a>,
        _config: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.refuse(diags);
        None
    }

    async fn destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        // Nothing of this type can have been created: nothing to remove.
        Some(())
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        _id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.refuse(diags);
        None
    }
}

fn role_block() -> tf_provider::schema::NestedBlock {
    optional_block(block(
        "Settings of the role: name generated when null (64-character IAM limit respected).",
        vec![
            (
                "name",
                attr(string(), Optional, "Role name, 1-64 of `[\\w+=,.@-]`."),
            ),
            (
                "name_prefix",
                attr(
                    string(),
                    Optional,
                    "Prefix of the generated role name. Conflicts with `name`.",
                ),
            ),
            ("path", attr(string(), Optional, "IAM path; default `/`.")),
            (
                "permissions_boundary",
                attr(
                    string(),
                    Optional,
                    "ARN of the permissions boundary policy.",
                ),
            ),
            (
                "tags",
                attr(
                    string_map(),
                    Optional,
                    "Tags of the role, merged over the provider's `default_tags`.",
                ),
            ),
        ],
        vec![],
    ))
}

fn computed_role_attributes() -> Vec<(&'static str, tf_provider::schema::Attribute)> {
    vec![
        ("id", attr(string(), Computed, "The role's name.")),
        ("arn", attr(string(), Computed, "ARN of the role.")),
        ("name", attr(string(), Computed, "Name of the role.")),
        (
            "policy_json",
            attr(string(), Computed, "The exact inline policy."),
        ),
        (
            "trust_policy_json",
            attr(string(), Computed, "The exact trust policy."),
        ),
    ]
}

pub fn execution_role_schema() -> Schema {
    let mut attributes = vec![
        ("function_name", attr(string(), Required, "Name of the function the role serves; scopes the CloudWatch Logs grant to `/aws/lambda/<function_name>`.")),
        ("sqs_queue_arns", attr(string_list(), Optional, "Queues the function consumes: ReceiveMessage, DeleteMessage, GetQueueAttributes.")),
        ("dynamodb_table_arns", attr(string_list(), Optional, "Tables the function uses, with `dynamodb_actions`.")),
        ("dynamodb_actions", attr(string_list(), Optional, "DynamoDB actions on those tables; a least-privilege read/write set when null.")),
        ("secret_arns", attr(string_list(), Optional, "Secrets the function reads (GetSecretValue).")),
        ("s3_read_arns", attr(string_list(), Optional, "Buckets or object ARNs the function reads.")),
        ("allow_wildcard_resources", attr(boolean(), Optional, "Allow `Resource = \"*\"` in `statement` blocks. Default false.")),
    ];
    attributes.extend(computed_role_attributes());
    schema(block(
        "**Not available in this build: the schema is published, planning a create fails.** The \
         function's own execution role, least privilege by default: trust for lambda.amazonaws.com, \
         CloudWatch Logs writes scoped to the function's log group, and shorthands that expand to \
         scoped statements.",
        attributes,
        vec![
            ("role", role_block()),
            ("statement", tf_provider::schema::NestedBlock::List(block(
                "A free Allow statement.",
                vec![
                    ("sid", attr(string(), Optional, "Statement id.")),
                    ("actions", attr(string_list(), Required, "Actions allowed.")),
                    ("resources", attr(string_list(), Required, "Resources; `*` needs `allow_wildcard_resources`.")),
                ],
                vec![],
            ))),
        ],
    ))
}

pub fn scheduler_invoke_role_schema() -> Schema {
    let mut attributes = vec![
        ("function_arns", attr(string_list(), Required, "Functions the schedules may invoke (and their qualified forms).")),
        ("schedule_group", attr(string(), Optional, "Scope `aws:SourceArn` to this schedule group; without it, to `schedule-group/*` of this account.")),
        ("dead_letter_arns", attr(string_list(), Optional, "SQS queues the schedules may send undelivered events to.")),
    ];
    attributes.extend(computed_role_attributes());
    schema(block(
        "**Not available in this build: the schema is published, planning a create fails.** A role \
         and policy for schedules created at run time by an application, or shared by many \
         invokers (`existing_role_arn`) to stay far under the IAM role quota.",
        attributes,
        vec![("role", role_block())],
    ))
}

//! IAM action names that the execution role's shorthands accept: pure, no
//! I/O. One normalisation, used by validation and by the policy builder, so
//! the plan shows exactly what was checked.

const DYNAMODB_PREFIX: &str = "dynamodb";

/// Every action of the `dynamodb` service prefix, from the Service
/// Authorization Reference
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html>),
/// permission-only actions included. A name missing here is refused at plan
/// time; add it when AWS adds the action.
pub const DYNAMODB_ACTIONS: [&str; 79] = [
    "AssociateTableReplica",
    "BatchGetItem",
    "BatchWriteItem",
    "ConditionCheckItem",
    "CreateBackup",
    "CreateGlobalTable",
    "CreateGlobalTableWitness",
    "CreateTable",
    "CreateTableReplica",
    "DeleteBackup",
    "DeleteGlobalTableWitness",
    "DeleteItem",
    "DeleteResourcePolicy",
    "DeleteTable",
    "DeleteTableReplica",
    "DescribeBackup",
    "DescribeContinuousBackups",
    "DescribeContributorInsights",
    "DescribeEndpoints",
    "DescribeExport",
    "DescribeGlobalTable",
    "DescribeGlobalTableSettings",
    "DescribeImport",
    "DescribeKinesisStreamingDestination",
    "DescribeLimits",
    "DescribeReservedCapacity",
    "DescribeReservedCapacityOfferings",
    "DescribeStream",
    "DescribeTable",
    "DescribeTableReplicaAutoScaling",
    "DescribeTimeToLive",
    "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination",
    "ExportTableToPointInTime",
    "GetAbacStatus",
    "GetItem",
    "GetRecords",
    "GetResourcePolicy",
    "GetShardIterator",
    "ImportTable",
    "InjectError",
    "ListBackups",
    "ListContributorInsights",
    "ListExports",
    "ListGlobalTables",
    "ListImports",
    "ListStreams",
    "ListTables",
    "ListTagsOfResource",
    "PartiQLDelete",
    "PartiQLInsert",
    "PartiQLSelect",
    "PartiQLUpdate",
    "PurchaseReservedCapacityOfferings",
    "PutItem",
    "PutResourcePolicy",
    "Query",
    "ReadDataForReplication",
    "ReplicateSettings",
    "RestoreTableFromAwsBackup",
    "RestoreTableFromBackup",
    "RestoreTableToPointInTime",
    "Scan",
    "SearchVectors",
    "StartAwsBackupJob",
    "TagResource",
    "UntagResource",
    "UpdateAbacStatus",
    "UpdateContinuousBackups",
    "UpdateContributorInsights",
    "UpdateGlobalTable",
    "UpdateGlobalTableSettings",
    "UpdateGlobalTableVersion",
    "UpdateItem",
    "UpdateKinesisStreamingDestination",
    "UpdateTable",
    "UpdateTableReplicaAutoScaling",
    "UpdateTimeToLive",
    "WriteDataForReplication",
];

/// A `dynamodb_actions` element as the policy grants it: a bare name gets
/// the `dynamodb:` prefix (`GetItem` becomes `dynamodb:GetItem`), a prefixed
/// one is kept as written.
pub fn qualified_dynamodb_action(text: &str) -> String {
    if text.contains(':') {
        text.to_string()
    } else {
        format!("{DYNAMODB_PREFIX}:{text}")
    }
}

/// A `dynamodb_actions` element checked, as [`qualified_dynamodb_action`]
/// writes it. IAM compares action names without regard to case, so
/// `dynamodb:getitem` is accepted. A wildcard, another service's action or
/// an unknown name is an error that says what is allowed.
pub fn dynamodb_action(text: &str) -> Result<String, String> {
    let (prefix, name) = text.split_once(':').unwrap_or((DYNAMODB_PREFIX, text));
    if !prefix.eq_ignore_ascii_case(DYNAMODB_PREFIX) {
        return Err(format!(
            "{text:?} is not a DynamoDB action: dynamodb_actions take DynamoDB action names such as GetItem or dynamodb:Query; put other services' actions in a statement block"
        ));
    }
    if name.contains(['*', '?']) {
        return Err(format!(
            "{text:?} is a wildcard, which would grant every matching DynamoDB action, table administration included: list the actions, such as GetItem and Query"
        ));
    }
    if DYNAMODB_ACTIONS
        .iter()
        .any(|known| known.eq_ignore_ascii_case(name))
    {
        Ok(qualified_dynamodb_action(text))
    } else {
        Err(format!(
            "{text:?} is not a DynamoDB action: use an action name of the Service Authorization Reference, such as GetItem, Query, PutItem or UpdateItem"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_prefixes() {
        for (text, want) in [
            ("GetItem", "dynamodb:GetItem"),
            ("dynamodb:Query", "dynamodb:Query"),
            ("dynamodb:getitem", "dynamodb:getitem"),
            ("DynamoDB:PartiQLSelect", "DynamoDB:PartiQLSelect"),
            ("ConditionCheckItem", "dynamodb:ConditionCheckItem"),
        ] {
            assert_eq!(dynamodb_action(text).as_deref(), Ok(want), "{text}");
        }
    }

    #[test]
    fn wildcards_other_services_and_unknown_names_are_refused() {
        for (text, fragment) in [
            ("*", "wildcard"),
            ("dynamodb:*", "wildcard"),
            ("Get*", "wildcard"),
            ("dynamodb:Get?tem", "wildcard"),
            ("s3:GetObject", "not a DynamoDB action"),
            ("*:GetItem", "not a DynamoDB action"),
            ("GetItems", "not a DynamoDB action"),
            ("", "not a DynamoDB action"),
            ("dynamodb:", "not a DynamoDB action"),
            (" GetItem", "not a DynamoDB action"),
            ("dynamodb:GetItem:x", "not a DynamoDB action"),
        ] {
            let err = dynamodb_action(text).expect_err(text);
            assert!(err.contains(fragment), "{text:?}: {err}");
        }
    }

    #[test]
    fn the_list_has_no_repeats_and_only_plain_names() {
        for (i, name) in DYNAMODB_ACTIONS.iter().enumerate() {
            assert!(name.bytes().all(|b| b.is_ascii_alphanumeric()), "{name}");
            assert!(!DYNAMODB_ACTIONS[..i].contains(name), "{name} twice");
        }
    }
}

//! The one ARN parser of the provider: pure, no I/O.
//!
//! Every ARN in a configuration goes through [`parse`] (an ARN that names one
//! object) or [`parse_pattern`] (a condition value such as a permission's
//! `source_arn`, which may hold wildcards in its region and account). Both
//! check the partition, service, region and account fields character by
//! character, so that a typo is a plan-time error on the attribute instead
//! of an AWS ValidationException, and a wildcard never slips into a grant:
//! `arn:aws:lambda:*:123456789012:function:f` is an IAM resource AWS accepts,
//! and it matches that function in every region.
//!
//! On top sit the shapes of the ARNs this provider grants ([`lambda_function`],
//! [`sqs_queue`], [`sns_topic`], [`kms_key`], [`dynamodb_table`], [`secret`], [`s3_read`])
//! and of the IAM ARNs it is given ([`iam_role`], [`iam_policy`]). Each says
//! which of region and account its service sets and checks the resource
//! part, where a wildcard is refused unless it stays inside the named object
//! (the indexes of one table, the keys of one bucket, the random suffix of
//! one secret).

use std::fmt;

use crate::validate::names::{self, is_valid_function_name, is_valid_qualifier};

/// The partitions an ARN may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    /// The commercial regions, and any region of no other prefix.
    Aws,
    /// China (`cn-` regions).
    AwsCn,
    /// AWS GovCloud (US) (`us-gov-` regions).
    AwsUsGov,
    /// The `us-iso-` regions.
    AwsIso,
    /// The `us-isob-` regions.
    AwsIsoB,
    /// The `eu-isoe-` regions.
    AwsIsoE,
    /// The `us-isof-` regions.
    AwsIsoF,
    /// The AWS European Sovereign Cloud (`eusc-` regions).
    AwsEusc,
}

impl Partition {
    /// Every partition, in the order error messages list them.
    pub const ALL: [Partition; 8] = [
        Partition::Aws,
        Partition::AwsCn,
        Partition::AwsUsGov,
        Partition::AwsIso,
        Partition::AwsIsoB,
        Partition::AwsIsoE,
        Partition::AwsIsoF,
        Partition::AwsEusc,
    ];

    /// The partition as ARNs spell it (`aws-us-gov`).
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsIso => "aws-iso",
            Partition::AwsIsoB => "aws-iso-b",
            Partition::AwsIsoE => "aws-iso-e",
            Partition::AwsIsoF => "aws-iso-f",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    /// The partition an ARN's first field names; `None` for any other text.
    pub fn from_name(name: &str) -> Option<Partition> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The partition of a region, from the region's prefix (the
    /// `regionRegex` of each partition in the SDKs' `partitions.json`). A
    /// region of no known prefix is in `aws`, which covers every commercial
    /// region added later.
    pub fn of_region(region: &str) -> Partition {
        const PREFIXES: [(&str, Partition); 7] = [
            ("cn-", Partition::AwsCn),
            ("us-gov-", Partition::AwsUsGov),
            ("us-iso-", Partition::AwsIso),
            ("us-isob-", Partition::AwsIsoB),
            ("eu-isoe-", Partition::AwsIsoE),
            ("us-isof-", Partition::AwsIsoF),
            ("eusc-", Partition::AwsEusc),
        ];
        PREFIXES
            .iter()
            .find(|(prefix, _)| region.starts_with(prefix))
            .map_or(Partition::Aws, |(_, partition)| *partition)
    }

    fn names() -> String {
        Self::ALL.map(Partition::as_str).join(", ")
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The partition of a region, for building ARNs.
pub fn partition_of(region: &str) -> &'static str {
    Partition::of_region(region).as_str()
}

/// The six fields of an ARN, each checked (see [`parse`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    /// The field after `arn:`: one of [`Partition::ALL`], never a pattern.
    pub partition: Partition,
    /// Lowercase letters, digits and hyphens (`lambda`, `iam`).
    pub service: &'a str,
    /// Empty, a region name, or (from [`parse_pattern`] only) a pattern.
    pub region: &'a str,
    /// Empty, 12 digits, `aws` (AWS managed policies), or (from
    /// [`parse_pattern`] only) a pattern.
    pub account: &'a str,
    /// Everything after the fifth `:`, unchecked here: its shape is the service's
    /// (`function:f:live`, `role/path/name`, `bucket/key`).
    pub resource: &'a str,
}

/// IAM's wildcards: `*` (any run of characters) and `?` (any one).
pub fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// The word before a region's number: every AWS region names a direction
/// (`us-east-1`, `ap-southeast-5`, `il-central-1`, `eusc-de-east-1`), so a
/// typo such as `us-est-1` is caught at plan instead of granting to a
/// region that does not exist.
const REGION_DIRECTIONS: [&str; 9] = [
    "east",
    "west",
    "north",
    "south",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

/// A region name: lowercase words, the last a direction, and a number of
/// one or two digits joined by dashes, such as `us-east-1`,
/// `us-gov-west-1` or `eu-isoe-west-1`.
pub fn is_region(region: &str) -> bool {
    let mut words: Vec<&str> = region.split('-').collect();
    let number = words.pop().unwrap_or_default();
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && words.last().is_some_and(|w| REGION_DIRECTIONS.contains(w))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// A pattern's region or account that is neither valid nor a wildcard: a
/// malformed ARN (`us-est-1`, an 11-digit account), not an unscoped one,
/// in the same words as [`parse`] uses. `None` for a pattern that does
/// not parse (its own error says why) or whose fields are well formed.
pub fn malformed_pattern_field(text: &str) -> Option<String> {
    let a = parse_pattern(text).ok()?;
    if !a.region.is_empty() && !has_wildcard(a.region) && !is_region(a.region) {
        return Some(field_error(text, "region", a.region, REGION_RULE));
    }
    let account_ok = is_account(a.account) || a.account == AWS_OWNED;
    if !a.account.is_empty() && !has_wildcard(a.account) && !account_ok {
        return Some(field_error(text, "account", a.account, ACCOUNT_RULE));
    }
    None
}

/// A 12-digit AWS account id.
pub fn is_account(account: &str) -> bool {
    account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())
}

fn is_service(service: &str) -> bool {
    !service.is_empty()
        && service
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The owner of AWS managed policies (`arn:aws:iam::aws:policy/...`).
const AWS_OWNED: &str = "aws";

const FORM: &str = "arn:<partition>:<service>:<region>:<account>:<resource>";
const REGION_RULE: &str =
    "the region is empty (for global services such as IAM) or one region name such as us-east-1";
const ACCOUNT_RULE: &str = "the account is empty (for S3 buckets, say) or a 12-digit account id";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wildcards {
    Refused,
    InRegionAndAccount,
}

/// An ARN that names one object: no wildcard in partition, service, region
/// or account (the resource part is the shape functions' business).
pub fn parse(text: &str) -> Result<Arn<'_>, String> {
    parse_with(text, Wildcards::Refused)
}

/// An ARN pattern as IAM's `ArnLike` reads it: like [`parse`], but the region
/// and account may hold `*` and `?` among their own characters. Whether such
/// a pattern still scopes anything is [`Arn::unscoped_because`]'s question.
pub fn parse_pattern(text: &str) -> Result<Arn<'_>, String> {
    parse_with(text, Wildcards::InRegionAndAccount)
}

fn parse_with(text: &str, wildcards: Wildcards) -> Result<Arn<'_>, String> {
    if text.trim() != text {
        return Err(format!(
            "{text:?} has spaces around it: write the ARN alone, {FORM}"
        ));
    }
    let fields: Vec<&str> = text.splitn(6, ':').collect();
    let ["arn", partition, service, region, account, resource] = fields[..] else {
        return Err(format!("{text:?} is not an ARN: expected {FORM}"));
    };
    let Some(partition) = Partition::from_name(partition) else {
        let rule = format!("the partition is one of {}", Partition::names());
        return Err(field_error(text, "partition", partition, &rule));
    };
    if !is_service(service) {
        let rule = "the service is lowercase letters, digits and hyphens, such as lambda";
        return Err(field_error(text, "service", service, rule));
    }
    let pattern_allowed = |value: &str, allowed: fn(u8) -> bool| {
        wildcards == Wildcards::InRegionAndAccount
            && value.bytes().all(|b| allowed(b) || b == b'*' || b == b'?')
    };
    let region_ok = region.is_empty()
        || is_region(region)
        || pattern_allowed(region, |b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
        });
    if !region_ok {
        return Err(field_error(text, "region", region, REGION_RULE));
    }
    if is_region(region) && Partition::of_region(region) != partition {
        return Err(format!(
            "{text:?} is not an ARN of one object: region {region:?} is in partition {}, not {partition}",
            Partition::of_region(region)
        ));
    }
    let account_ok = account.is_empty()
        || is_account(account)
        || account == AWS_OWNED
        || pattern_allowed(account, |b| b.is_ascii_digit());
    if !account_ok {
        return Err(field_error(text, "account", account, ACCOUNT_RULE));
    }
    check_resource(text, resource)?;
    Ok(Arn {
        partition,
        service,
        region,
        account,
        resource,
    })
}

/// The resource field: not empty, no control character.
fn check_resource(text: &str, resource: &str) -> Result<(), String> {
    if resource.is_empty() {
        return Err(format!(
            "{text:?} is not an ARN: its resource is empty; expected {FORM}"
        ));
    }
    if let Some(c) = resource.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{text:?} is not an ARN: its resource holds the control character {c:?}"
        ));
    }
    Ok(())
}

/// What is wrong with one field, and what the field may hold.
fn field_error(text: &str, field: &str, value: &str, rule: &str) -> String {
    if has_wildcard(value) {
        format!(
            "{text:?} has a wildcard in its {field} ({value:?}), which would match more than one {field}: {rule}"
        )
    } else if value.is_empty() {
        format!("{text:?} is not an ARN: its {field} is empty; {rule}")
    } else {
        format!("{text:?} is not an ARN: {field} {value:?} is not allowed; {rule}")
    }
}

/// Which of region and account a service's ARNs carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Every ARN of the service has it.
    Set,
    /// No ARN of the service has it (IAM's region, an S3 bucket's account).
    Empty,
    /// Some of the service's ARNs have it and some do not.
    Either,
}

/// Region and account of a service's ARNs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    /// Whether the ARNs carry a region.
    pub region: Field,
    /// Whether the ARNs carry an account.
    pub account: Field,
}

/// What a service's ARNs carry. Most are regional and owned by an account;
/// the exceptions are the global services (no region) and the ones whose
/// main resources are named without an account.
pub fn scope_of(service: &str) -> Scope {
    match service {
        // Buckets and objects carry neither; access points carry both.
        "s3" => Scope {
            region: Field::Either,
            account: Field::Either,
        },
        // Hosted zones and health checks carry neither.
        "route53" => Scope {
            region: Field::Empty,
            account: Field::Either,
        },
        "iam" | "sts" | "cloudfront" | "organizations" | "globalaccelerator" | "shield" | "waf"
        | "budgets" | "ce" | "networkmanager" => Scope {
            region: Field::Empty,
            account: Field::Set,
        },
        _ => Scope {
            region: Field::Set,
            account: Field::Set,
        },
    }
}

impl Arn<'_> {
    /// Why this ARN, as a condition value such as `aws:SourceArn`, does not
    /// pin one region and one account where its service has them, or `None`
    /// when it does. `arn:aws:sns:*:*:topic` matches a topic of that name in
    /// every account, so it scopes nothing.
    pub fn unscoped_because(&self) -> Option<String> {
        let scope = scope_of(self.service);
        let region = match scope.region {
            Field::Set if self.region.is_empty() => Some(format!(
                "its region is empty, while {} ARNs name one",
                self.service
            )),
            Field::Set if !is_region(self.region) => {
                Some(format!("its region {:?} is not one region", self.region))
            }
            _ if has_wildcard(self.region) => {
                Some(format!("its region {:?} is a wildcard", self.region))
            }
            _ => None,
        };
        let account = match scope.account {
            Field::Set if self.account.is_empty() => Some(format!(
                "its account is empty, while {} ARNs name one",
                self.service
            )),
            Field::Set if !is_account(self.account) => Some(format!(
                "its account {:?} is not one 12-digit account",
                self.account
            )),
            _ if has_wildcard(self.account) => {
                Some(format!("its account {:?} is a wildcard", self.account))
            }
            _ => None,
        };
        match (region, account) {
            (Some(r), Some(a)) => Some(format!("{r} and {a}")),
            (one, other) => one.or(other),
        }
    }
}

/// The shape of one kind of ARN this provider grants or is given.
struct Shape {
    service: &'static str,
    what: &'static str,
    form: &'static str,
    region: Field,
    account: Field,
}

impl Shape {
    fn error(&self, text: &str, why: &str) -> String {
        format!(
            "{text:?} is not a {} ARN: {why}; expected {}",
            self.what, self.form
        )
    }

    /// Parse `text` and check its service, region and account.
    fn parse<'a>(&self, text: &'a str) -> Result<Arn<'a>, String> {
        let arn = parse(text)?;
        if arn.service != self.service {
            return Err(self.error(text, &format!("it is a {} ARN", arn.service)));
        }
        let region = match self.region {
            Field::Set if arn.region.is_empty() => Some("its region is empty".to_string()),
            Field::Empty if !arn.region.is_empty() => Some(format!(
                "{} ARNs have an empty region, not {:?}",
                self.service, arn.region
            )),
            _ => None,
        };
        let account = match self.account {
            Field::Set if !is_account(arn.account) => Some(format!(
                "its account {:?} is not a 12-digit account id",
                arn.account
            )),
            Field::Empty if !arn.account.is_empty() => Some(format!(
                "{} ARNs have an empty account, not {:?}",
                self.service, arn.account
            )),
            _ => None,
        };
        match region.or(account) {
            Some(why) => Err(self.error(text, &why)),
            None => Ok(arn),
        }
    }

    /// Refuse a wildcard in the resource part: it would grant more than the
    /// one object named.
    fn no_wildcard(&self, text: &str, part: &str) -> Result<(), String> {
        if has_wildcard(part) {
            Err(self.error(
                text,
                &format!(
                    "{part:?} holds a wildcard, which would grant more than one {}",
                    self.what
                ),
            ))
        } else {
            Ok(())
        }
    }
}

const LAMBDA_FUNCTION: Shape = Shape {
    service: "lambda",
    what: "Lambda function",
    form: "arn:<partition>:lambda:<region>:<12-digit account>:function:<name>[:<version or alias>]",
    region: Field::Set,
    account: Field::Set,
};

/// A Lambda function ARN, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionArn<'a> {
    /// The ARN's checked fields.
    pub arn: Arn<'a>,
    /// The function's name, between `function:` and the qualifier.
    pub name: &'a str,
    /// A version or alias after the name; `None` when unqualified.
    pub qualifier: Option<&'a str>,
    text: &'a str,
}

impl<'a> FunctionArn<'a> {
    /// The ARN without its qualifier.
    pub fn unqualified(&self) -> &'a str {
        match self.qualifier {
            Some(q) => &self.text[..self.text.len() - q.len() - 1],
            None => self.text,
        }
    }
}

/// `arn:<p>:lambda:<region>:<account>:function:<name>[:<version or alias>]`
pub fn lambda_function(text: &str) -> Result<FunctionArn<'_>, String> {
    let shape = &LAMBDA_FUNCTION;
    let arn = shape.parse(text)?;
    shape.no_wildcard(text, arn.resource)?;
    let mut segments = arn.resource.split(':');
    if segments.next() != Some("function") {
        return Err(shape.error(text, "its resource does not start with function:"));
    }
    let name = segments.next().unwrap_or_default();
    if !is_valid_function_name(name) {
        return Err(shape.error(
            text,
            &format!(
                "invalid function name {name:?} (1-64 letters, digits, hyphens and underscores)"
            ),
        ));
    }
    let qualifier = segments.next();
    if let Some(q) = qualifier.filter(|q| !is_valid_qualifier(q)) {
        return Err(shape.error(
            text,
            &format!(
                "invalid qualifier {q:?} (a version or alias: 1-128 letters, digits, $, hyphens and underscores)"
            ),
        ));
    }
    if segments.next().is_some() {
        return Err(shape.error(text, "it has more parts than a name and a qualifier"));
    }
    Ok(FunctionArn {
        arn,
        name,
        qualifier,
        text,
    })
}

const SQS_QUEUE: Shape = Shape {
    service: "sqs",
    what: "SQS queue",
    form: "arn:<partition>:sqs:<region>:<12-digit account>:<queue name>",
    region: Field::Set,
    account: Field::Set,
};

/// `arn:<p>:sqs:<region>:<account>:<queue name>`: 1-80 letters, digits,
/// hyphens and underscores, `.fifo` included for a FIFO queue.
pub fn sqs_queue(text: &str) -> Result<Arn<'_>, String> {
    let shape = &SQS_QUEUE;
    let arn = shape.parse(text)?;
    shape.no_wildcard(text, arn.resource)?;
    let name = arn.resource;
    let stem = name.strip_suffix(".fifo").unwrap_or(name);
    let ok = name.len() <= 80
        && !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(arn)
    } else {
        Err(shape.error(
            text,
            &format!("invalid queue name {name:?} (1-80 letters, digits, hyphens and underscores, ending in .fifo for a FIFO queue)"),
        ))
    }
}

const SNS_TOPIC: Shape = Shape {
    service: "sns",
    what: "SNS topic",
    form: "arn:<partition>:sns:<region>:<12-digit account>:<topic name>",
    region: Field::Set,
    account: Field::Set,
};

/// Whether `name` is an SNS topic name: 1-256 letters, digits, hyphens and
/// underscores, a FIFO topic's ending in `.fifo` ("CreateTopic", Amazon SNS
/// API Reference: "Topic names must be made up of only uppercase and
/// lowercase ASCII letters, numbers, underscores, and hyphens, and must be
/// between 1 and 256 characters long"; FIFO topic names end in `.fifo`).
fn is_topic_name(name: &str) -> bool {
    let stem = name.strip_suffix(".fifo").unwrap_or(name);
    name.len() <= 256
        && !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `arn:<p>:sns:<region>:<account>:<topic name>`: one topic, never a
/// pattern, never a subscription (which adds `:<id>` to its topic's ARN).
pub fn sns_topic(text: &str) -> Result<Arn<'_>, String> {
    let shape = &SNS_TOPIC;
    let arn = shape.parse(text)?;
    shape.no_wildcard(text, arn.resource)?;
    if arn.resource.contains(':') {
        return Err(shape.error(
            text,
            "it names a subscription (a topic ARN followed by :<subscription id>), not a topic",
        ));
    }
    if is_topic_name(arn.resource) {
        Ok(arn)
    } else {
        Err(shape.error(
            text,
            &format!(
                "invalid topic name {:?} (1-256 letters, digits, hyphens and underscores, ending in .fifo for a FIFO topic)",
                arn.resource
            ),
        ))
    }
}

/// An SNS subscription ARN, `<topic ARN>:<subscription id>`, split into
/// the topic's ARN and the id (letters, digits and hyphens: SNS gives a
/// UUID).
pub fn sns_subscription(text: &str) -> Result<(&str, &str), String> {
    let form = "arn:<partition>:sns:<region>:<12-digit account>:<topic name>:<subscription id>";
    let bad =
        |why: &str| format!("{text:?} is not an SNS subscription ARN: {why}; expected {form}");
    let (topic, id) = text
        .rsplit_once(':')
        .ok_or_else(|| bad("it has no subscription id"))?;
    sns_topic(topic).map_err(|why| bad(&why))?;
    let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if id_ok {
        Ok((topic, id))
    } else {
        Err(bad(&format!("invalid subscription id {id:?}")))
    }
}

const KMS_KEY: Shape = Shape {
    service: "kms",
    what: "KMS key",
    form: "arn:<partition>:kms:<region>:<12-digit account>:key/<key id>",
    region: Field::Set,
    account: Field::Set,
};

/// `arn:<p>:kms:<region>:<account>:key/<id>`. An alias ARN is refused: the
/// key ARN is what a policy must name, since IAM matches a `kms:` action's
/// `Resource` against the key's ARN and never an alias ("Using aliases to
/// control access to KMS keys", AWS KMS Developer Guide: alias ARNs in the
/// Resource element of a policy do not control access to the key).
pub fn kms_key(text: &str) -> Result<Arn<'_>, String> {
    let shape = &KMS_KEY;
    let arn = shape.parse(text)?;
    shape.no_wildcard(text, arn.resource)?;
    if arn.resource.starts_with("alias/") {
        return Err(shape.error(
            text,
            "an alias ARN grants nothing: IAM matches kms:Decrypt against the key ARN \
             (key/<id>, as aws_kms_key.<name>.arn gives it), never an alias",
        ));
    }
    let key = arn.resource.strip_prefix("key/").is_some_and(|id| {
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if key {
        Ok(arn)
    } else {
        Err(shape.error(text, &format!("invalid key {:?}", arn.resource)))
    }
}

const DYNAMODB_TABLE: Shape = Shape {
    service: "dynamodb",
    what: "DynamoDB table",
    form: "arn:<partition>:dynamodb:<region>:<12-digit account>:table/<name>, optionally followed by /index/<index or *> or /stream/<label or *>",
    region: Field::Set,
    account: Field::Set,
};

/// `arn:<p>:dynamodb:<region>:<account>:table/<name>`, or the table's indexes
/// (`/index/<name>`, `/index/*`) or streams (`/stream/<label>`,
/// `/stream/*`): a wildcard is allowed only for the whole last part, where it
/// stays inside the named table.
pub fn dynamodb_table(text: &str) -> Result<Arn<'_>, String> {
    let shape = &DYNAMODB_TABLE;
    let arn = shape.parse(text)?;
    let is_name = |n: &str| {
        (3..=255).contains(&n.len())
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    };
    let is_label = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'-'))
    };
    let parts: Vec<&str> = arn.resource.split('/').collect();
    let ok = match parts[..] {
        ["table", table] => is_name(table),
        ["table", table, "index", index] => is_name(table) && (index == "*" || is_name(index)),
        ["table", table, "stream", label] => is_name(table) && (label == "*" || is_label(label)),
        _ => false,
    };
    if ok {
        Ok(arn)
    } else if has_wildcard(arn.resource) {
        Err(shape.error(
            text,
            &format!(
                "{:?} holds a wildcard that reaches beyond one table",
                arn.resource
            ),
        ))
    } else {
        Err(shape.error(text, &format!("invalid table {:?}", arn.resource)))
    }
}

const SECRET: Shape = Shape {
    service: "secretsmanager",
    what: "Secrets Manager secret",
    form: "arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 random characters>, or <name>-?????? for any suffix",
    region: Field::Set,
    account: Field::Set,
};

/// `arn:<p>:secretsmanager:<region>:<account>:secret:<name>-<suffix>`.
///
/// Secrets Manager ends every secret's ARN with `-` and 6 random characters.
/// The one wildcard accepted stands for exactly those: `<name>-??????`, as
/// the Secrets Manager guide recommends for naming a secret without its
/// suffix. A `*` is refused: `<name>-*` also matches `<name>-other-AbCdEf`,
/// another secret
/// (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html>).
pub fn secret(text: &str) -> Result<Arn<'_>, String> {
    let shape = &SECRET;
    let arn = shape.parse(text)?;
    let Some(full_name) = arn.resource.strip_prefix("secret:") else {
        return Err(shape.error(text, "its resource does not start with secret:"));
    };
    let (name, suffix) = full_name.rsplit_once('-').unwrap_or((full_name, ""));
    let suffix_ok = suffix.len() == 6
        && (suffix.bytes().all(|b| b.is_ascii_alphanumeric()) || suffix == "??????");
    let name_ok = (1..=512).contains(&name.len())
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'+' | b'=' | b'.' | b'@' | b'-')
        });
    if suffix_ok && name_ok {
        return Ok(arn);
    }
    let why = if full_name.contains('*') {
        format!("{full_name:?} holds \"*\", which would also match other secrets whose names start the same way; write <name>-?????? for the random suffix")
    } else if !name_ok {
        format!("invalid secret name {name:?} (1-512 letters, digits and /_+=.@-, no wildcard)")
    } else {
        format!("{full_name:?} does not end with - and the 6-character suffix (or -??????)")
    };
    Err(shape.error(text, &why))
}

const S3_READ: Shape = Shape {
    service: "s3",
    what: "S3 bucket or object",
    form: "arn:<partition>:s3:::<bucket> or arn:<partition>:s3:::<bucket>/<key or key prefix*>",
    region: Field::Empty,
    account: Field::Empty,
};

/// `arn:<p>:s3:::<bucket>` or `arn:<p>:s3:::<bucket>/<key>`. The bucket is
/// a name (3-63 lowercase letters, digits, dots and hyphens); the key may
/// hold wildcards, which match keys of that one bucket (`reports/*`).
pub fn s3_read(text: &str) -> Result<Arn<'_>, String> {
    let shape = &S3_READ;
    let arn = shape.parse(text)?;
    let (bucket, key) = match arn.resource.split_once('/') {
        Some((bucket, key)) => (bucket, Some(key)),
        None => (arn.resource, None),
    };
    shape.no_wildcard(text, bucket)?;
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !bucket_ok {
        return Err(shape.error(text, &format!("invalid bucket name {bucket:?}")));
    }
    if key == Some("") {
        return Err(shape.error(text, "the key after the bucket's / is empty"));
    }
    Ok(arn)
}

const IAM_ROLE: Shape = Shape {
    service: "iam",
    what: "IAM role",
    form: "arn:<partition>:iam::<12-digit account>:role/<path/>name",
    region: Field::Empty,
    account: Field::Set,
};

/// `arn:<p>:iam::<account>:role/<path/>name`; returns the role's name.
pub fn iam_role(text: &str) -> Result<&str, String> {
    iam_named(&IAM_ROLE, "role/", text)
}

const IAM_USER: Shape = Shape {
    service: "iam",
    what: "IAM user",
    form: "arn:<partition>:iam::<12-digit account>:user/<path/>name",
    region: Field::Empty,
    account: Field::Set,
};

/// `arn:<p>:iam::<account>:user/<path/>name`; returns the user's name
/// (user names follow the role names' rule: 1-64 of `[\w+=,.@-]`).
pub fn iam_user(text: &str) -> Result<&str, String> {
    iam_named(&IAM_USER, "user/", text)
}

/// An IAM role or user ARN: `<kind>/`, an optional path, and a name.
fn iam_named<'a>(shape: &Shape, kind: &str, text: &'a str) -> Result<&'a str, String> {
    let arn = shape.parse(text)?;
    let Some(rest) = arn.resource.strip_prefix(kind) else {
        return Err(shape.error(text, &format!("its resource does not start with {kind}")));
    };
    let (path, name) = match rest.rsplit_once('/') {
        Some((path, name)) => (Some(format!("/{path}/")), name),
        None => (None, rest),
    };
    names::iam_role_name(name).map_err(|why| shape.error(text, &why))?;
    if let Some(path) = path {
        names::iam_path(&path).map_err(|why| shape.error(text, &why))?;
    }
    Ok(name)
}

/// The path of a role ARN (`/` when it has none).
pub fn iam_role_path(text: &str) -> String {
    let resource = parse(text).map(|a| a.resource).unwrap_or_default();
    let rest = resource.strip_prefix("role").unwrap_or("/");
    match rest.rfind('/') {
        Some(end) if end > 0 => rest[..=end].to_string(),
        _ => "/".to_string(),
    }
}

const IAM_POLICY: Shape = Shape {
    service: "iam",
    what: "IAM policy",
    form: "arn:<partition>:iam::<12-digit account or aws>:policy/<path/>name",
    region: Field::Empty,
    account: Field::Either,
};

/// `arn:<p>:iam::<account or aws>:policy/<path/>name`
pub fn iam_policy(text: &str) -> Result<Arn<'_>, String> {
    let shape = &IAM_POLICY;
    let arn = shape.parse(text)?;
    if !is_account(arn.account) && arn.account != AWS_OWNED {
        return Err(shape.error(
            text,
            &format!(
                "its account {:?} is neither a 12-digit account id nor aws",
                arn.account
            ),
        ));
    }
    let name = arn
        .resource
        .strip_prefix("policy/")
        .map(|rest| rest.rsplit('/').next().unwrap_or(rest));
    let ok = name.is_some_and(|n| {
        (1..=128).contains(&n.len())
            && n.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'_' | b'+' | b'=' | b',' | b'.' | b'@' | b'-')
            })
    });
    if ok {
        Ok(arn)
    } else {
        Err(shape.error(text, &format!("invalid policy {:?}", arn.resource)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_names_a_direction_so_a_typo_is_malformed_not_unscoped() {
        for region in [
            "us-east-1",
            "us-gov-west-1",
            "ap-southeast-5",
            "il-central-1",
            "eusc-de-east-1",
        ] {
            assert!(is_region(region), "{region}");
        }
        for typo in ["us-est-1", "eu-wst-1", "us-east1", "useast-1"] {
            assert!(!is_region(typo), "{typo}");
        }
        let typo = "arn:aws:events:us-est-1:123456789012:rule/nightly";
        let why = malformed_pattern_field(typo).expect("malformed");
        assert!(why.contains("region \"us-est-1\" is not allowed"), "{why}");
        let short = "arn:aws:events:us-east-1:12345678901:rule/nightly";
        assert!(malformed_pattern_field(short)
            .expect("malformed")
            .contains("account"));
        // A wildcard is unscoped, not malformed; a good ARN is neither.
        assert_eq!(
            malformed_pattern_field("arn:aws:events:*:123456789012:rule/x"),
            None
        );
        assert_eq!(
            malformed_pattern_field("arn:aws:events:us-east-1:*:rule/x"),
            None
        );
        assert_eq!(
            malformed_pattern_field("arn:aws:events:us-east-1:123456789012:rule/x"),
            None
        );
        // The invoker's parser says the same words.
        assert!(parse(typo)
            .unwrap_err()
            .contains("region \"us-est-1\" is not allowed"));
    }

    const GOOD: &str = "arn:aws:lambda:us-east-1:123456789012:function:hook";

    /// `GOOD` with field `index` (0 = "arn" .. 5 = resource) replaced.
    fn with_field(index: usize, value: &str) -> String {
        let mut fields: Vec<&str> = GOOD.splitn(6, ':').collect();
        fields[index] = value;
        fields.join(":")
    }

    #[test]
    fn parses_the_six_fields() {
        let arn = parse("arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts:sub").unwrap();
        assert_eq!(
            arn,
            Arn {
                partition: Partition::AwsUsGov,
                service: "sns",
                region: "us-gov-west-1",
                account: "123456789012",
                resource: "alerts:sub",
            }
        );
        let bucket = parse("arn:aws:s3:::my-bucket/a:b/c").unwrap();
        assert_eq!(
            (bucket.region, bucket.account, bucket.resource),
            ("", "", "my-bucket/a:b/c")
        );
        let managed = parse("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
        assert_eq!(managed.account, "aws");
    }

    #[test]
    fn every_partition_parses_with_its_regions() {
        let cases = [
            ("aws", "us-east-1"),
            ("aws", "ap-southeast-5"),
            ("aws-cn", "cn-north-1"),
            ("aws-us-gov", "us-gov-west-1"),
            ("aws-iso", "us-iso-east-1"),
            ("aws-iso-b", "us-isob-east-1"),
            ("aws-iso-e", "eu-isoe-west-1"),
            ("aws-iso-f", "us-isof-south-1"),
            ("aws-eusc", "eusc-de-east-1"),
        ];
        for (partition, region) in cases {
            let text = format!("arn:{partition}:sqs:{region}:123456789012:q");
            let arn = parse(&text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(arn.partition.as_str(), partition);
            assert_eq!(Partition::of_region(region).as_str(), partition);
        }
        assert_eq!(Partition::ALL.len(), 8);
        for partition in Partition::ALL {
            assert_eq!(Partition::from_name(partition.as_str()), Some(partition));
        }
    }

    /// Every field of `GOOD`, replaced by each bad value, is refused by
    /// `parse` with a message naming that field.
    #[test]
    fn each_field_is_checked_character_by_character() {
        let bad_values: &[&str] = &[
            "*",
            "?",
            "a*",
            "a?b",
            "UPPER",
            "with space",
            " lead",
            "tab\t",
            "ünï",
            "ａｗｓ",
            "a\u{0}b",
        ];
        for (index, field) in [
            (1, "partition"),
            (2, "service"),
            (3, "region"),
            (4, "account"),
        ] {
            for bad in bad_values {
                let text = with_field(index, bad);
                let err = parse(&text).expect_err(&text);
                assert!(err.contains(field), "{text:?}: {err}");
                if has_wildcard(bad) {
                    assert!(err.contains("wildcard"), "{text:?}: {err}");
                }
            }
        }
    }

    #[test]
    fn field_specific_values() {
        let refused: &[(usize, &str, &str)] = &[
            (0, "ARN", "is not an ARN"),
            (0, "arn ", "is not an ARN"),
            (1, "", "partition is empty"),
            (1, "aws-mars", "partition \"aws-mars\""),
            (1, "AWS", "partition"),
            (1, "aws-", "partition"),
            (2, "", "service is empty"),
            (2, "Lambda", "service \"Lambda\""),
            (2, "lambda_x", "service"),
            (3, "US-EAST-1", "region"),
            (3, "us-east", "region"),
            (3, "useast1", "region"),
            (3, "us_east_1", "region"),
            (3, "us-east-1a", "region"),
            (3, "us-east-123", "region"),
            (3, "-east-1", "region"),
            (3, "us--1", "region"),
            (3, "cn-north-1", "partition aws-cn, not aws"),
            (4, "12345678901", "account"),
            (4, "1234567890123", "account"),
            (4, "12345678901a", "account"),
            (4, "-23456789012", "account"),
            (4, "AWS", "account"),
            (5, "", "resource is empty"),
        ];
        for (index, value, fragment) in refused {
            let text = with_field(*index, value);
            let err = parse(&text).expect_err(&text);
            assert!(err.contains(fragment), "{text:?}: {err}");
        }
        for (index, value) in [(3, ""), (4, ""), (4, "aws"), (5, "*"), (5, "a b")] {
            let text = with_field(index, value);
            assert!(parse(&text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn too_few_or_too_many_colons() {
        for text in [
            "",
            "arn",
            "arn:",
            "arn:aws",
            "arn:aws:s3",
            "arn:aws:s3::",
            "arn:aws:s3:::",
            "hook",
            "aws:s3:::bucket:x",
            "urn:aws:s3:::bucket",
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.contains("is not an ARN"), "{text:?}: {err}");
        }
        // Colons past the fifth belong to the resource part...
        let arn = parse("arn:aws:lambda:us-east-1:123456789012:function:f:1:2").unwrap();
        assert_eq!(arn.resource, "function:f:1:2");
        // ...where each shape decides what they mean.
        assert!(lambda_function("arn:aws:lambda:us-east-1:123456789012:function:f:1:2").is_err());
        assert!(s3_read("arn:aws:s3:::::bucket").is_err());
    }

    #[test]
    fn whitespace_around_an_arn_is_refused() {
        for text in [
            " arn:aws:s3:::b",
            "arn:aws:s3:::b ",
            "arn:aws:s3:::b\n",
            "\tarn:aws:s3:::b",
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.contains("spaces around"), "{text:?}: {err}");
        }
    }

    #[test]
    fn patterns_admit_wildcards_in_region_and_account_only() {
        for text in [
            "arn:aws:sns:*:*:topic",
            "arn:aws:sns:us-*-1:12345678901?:topic",
            "arn:aws:execute-api:us-east-1:123456789012:api/*/GET/*",
        ] {
            assert!(parse_pattern(text).is_ok(), "{text}");
        }
        assert!(parse("arn:aws:sns:*:*:topic").is_err());
        for (text, field) in [
            ("arn:*:sns:us-east-1:123456789012:t", "partition"),
            ("arn:aws:*:us-east-1:123456789012:t", "service"),
            ("arn:aws:s*s:us-east-1:123456789012:t", "service"),
            ("arn:aws:sns:US-*:123456789012:t", "region"),
            ("arn:aws:sns:us-east-1:12*a:t", "account"),
            ("arn:aws:sns:us east*:123456789012:t", "region"),
        ] {
            let err = parse_pattern(text).expect_err(text);
            assert!(err.contains(field), "{text}: {err}");
        }
    }

    #[test]
    fn scoping_of_condition_values() {
        for text in [
            "arn:aws:sns:us-east-1:123456789012:topic",
            "arn:aws:execute-api:us-east-1:123456789012:api/*/GET/*",
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::*",
            "arn:aws:cloudfront::123456789012:distribution/E2",
            "arn:aws:logs:us-east-1:123456789012:log-group:/app/x:*",
        ] {
            let arn = parse_pattern(text).unwrap();
            assert_eq!(arn.unscoped_because(), None, "{text}");
        }
        for (text, fragment) in [
            (
                "arn:aws:sns:*:*:topic",
                "region \"*\" is not one region and its account \"*\"",
            ),
            ("arn:aws:sns:*:123456789012:topic", "region \"*\""),
            ("arn:aws:sns:us-east-1:*:topic", "account \"*\""),
            (
                "arn:aws:sns:us-east-?:123456789012:topic",
                "region \"us-east-?\"",
            ),
            ("arn:aws:sns:us-east-1:12345678901?:topic", "account"),
            ("arn:aws:sns::123456789012:topic", "region is empty"),
            ("arn:aws:sns:us-east-1::topic", "account is empty"),
            ("arn:aws:s3:*:*:accesspoint/x", "wildcard"),
            ("arn:aws:cloudfront::*:distribution/E2", "account \"*\""),
        ] {
            let arn = parse_pattern(text).unwrap();
            let why = arn.unscoped_because().expect(text);
            assert!(why.contains(fragment), "{text}: {why}");
        }
    }

    #[test]
    fn function_arns() {
        for good in [
            "arn:aws:lambda:us-east-1:123456789012:function:hook",
            "arn:aws:lambda:us-east-1:123456789012:function:hook:live",
            "arn:aws:lambda:us-east-1:123456789012:function:hook:7",
            "arn:aws:lambda:us-east-1:123456789012:function:hook:$LATEST",
            "arn:aws-cn:lambda:cn-north-1:123456789012:function:my_fn-2",
        ] {
            assert!(lambda_function(good).is_ok(), "{good}");
        }
        let cases = [
            ("hook", "is not an ARN"),
            (
                "arn:aws:lambda:*:123456789012:function:f",
                "wildcard in its region",
            ),
            (
                "arn:aws:lambda:us-east-1:*:function:f",
                "wildcard in its account",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:*",
                "wildcard",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f:*",
                "wildcard",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f?",
                "wildcard",
            ),
            ("arn:aws:lambda:us-east-1:123456789012:layer:x", "function:"),
            (
                "arn:aws:lambda:us-east-1:12345:function:hook",
                "account \"12345\"",
            ),
            (
                "arn:aws:lambda:us-east-1:aws:function:hook",
                "account \"aws\"",
            ),
            (
                "arn:aws:lambda::123456789012:function:hook",
                "region is empty",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:",
                "invalid function name",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:a.b",
                "invalid function name",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:a:b.c",
                "invalid qualifier",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:a:b:c",
                "more parts",
            ),
            ("arn:aws:sqs:us-east-1:123456789012:q", "it is a sqs ARN"),
        ];
        for (text, fragment) in cases {
            let err = lambda_function(text).expect_err(text);
            assert!(err.contains(fragment), "{text}: {err}");
        }
    }

    #[test]
    fn function_arn_parts() {
        let f =
            lambda_function("arn:aws:lambda:us-east-1:123456789012:function:hook:live").unwrap();
        assert_eq!((f.name, f.qualifier), ("hook", Some("live")));
        assert_eq!(
            f.unqualified(),
            "arn:aws:lambda:us-east-1:123456789012:function:hook"
        );
        let f = lambda_function(GOOD).unwrap();
        assert_eq!((f.qualifier, f.unqualified()), (None, GOOD));
    }

    #[test]
    fn queue_arns() {
        for good in [
            "arn:aws:sqs:us-east-1:123456789012:dlq",
            "arn:aws:sqs:us-east-1:123456789012:dlq.fifo",
            "arn:aws:sqs:us-east-1:123456789012:my_queue-2",
        ] {
            assert!(sqs_queue(good).is_ok(), "{good}");
        }
        let long = format!("arn:aws:sqs:us-east-1:123456789012:{}", "q".repeat(81));
        for bad in [
            "arn:aws:sqs:*:*:*",
            "arn:aws:sqs:us-east-1:123456789012:*",
            "arn:aws:sqs:us-east-1:123456789012:dlq-?",
            "arn:aws:sqs:us-east-1:123456789012:.fifo",
            "arn:aws:sqs:us-east-1:123456789012:a.b",
            "arn:aws:sqs:us-east-1::dlq",
            "arn:aws:sqs::123456789012:dlq",
            "arn:aws:sns:us-east-1:123456789012:t",
            long.as_str(),
        ] {
            assert!(sqs_queue(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn topic_arns() {
        let longest = format!("arn:aws:sns:us-east-1:123456789012:{}", "t".repeat(256));
        for good in [
            "arn:aws:sns:us-east-1:123456789012:alerts",
            "arn:aws:sns:eu-west-1:210987654321:orders.fifo",
            "arn:aws-cn:sns:cn-north-1:123456789012:My_Topic-2",
            longest.as_str(),
        ] {
            assert!(sns_topic(good).is_ok(), "{good}");
        }
        let long = format!("arn:aws:sns:us-east-1:123456789012:{}", "t".repeat(257));
        for bad in [
            "arn:aws:sns:*:*:alerts",
            "arn:aws:sns:us-east-1:123456789012:*",
            "arn:aws:sns:us-east-1:123456789012:alert?",
            "arn:aws:sns:us-east-1:123456789012:.fifo",
            "arn:aws:sns:us-east-1:123456789012:a.b",
            "arn:aws:sns:us-east-1::alerts",
            "arn:aws:sns::123456789012:alerts",
            "arn:aws:sns:us-est-1:123456789012:alerts",
            "arn:aws:sqs:us-east-1:123456789012:alerts",
            "arn:aws:sns:us-east-1:123456789012:alerts:6f1c3a52-9b0e-4c1e-8f59-2d3c1b0a9e77",
            long.as_str(),
        ] {
            assert!(sns_topic(bad).is_err(), "{bad}");
        }
        let subscription = sns_topic(
            "arn:aws:sns:us-east-1:123456789012:alerts:6f1c3a52-9b0e-4c1e-8f59-2d3c1b0a9e77",
        );
        assert!(
            subscription.is_err_and(|why| why.contains("subscription")),
            "says why"
        );
    }

    #[test]
    fn subscription_arns() {
        let arn = "arn:aws:sns:us-east-1:123456789012:alerts:6f1c3a52-9b0e-4c1e-8f59-2d3c1b0a9e77";
        assert_eq!(
            sns_subscription(arn),
            Ok((
                "arn:aws:sns:us-east-1:123456789012:alerts",
                "6f1c3a52-9b0e-4c1e-8f59-2d3c1b0a9e77"
            ))
        );
        for bad in [
            "arn:aws:sns:us-east-1:123456789012:alerts",
            "arn:aws:sns:us-east-1:123456789012:alerts:",
            "arn:aws:sns:us-east-1:123456789012:alerts:a/b",
            "arn:aws:sns:us-east-1:123456789012:*:6f1c3a52",
            "pending confirmation",
        ] {
            assert!(sns_subscription(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn key_arns() {
        for good in [
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        ] {
            assert!(kms_key(good).is_ok(), "{good}");
        }
        for bad in [
            "arn:aws:kms:us-east-1:123456789012:key/*",
            "arn:aws:kms:*:123456789012:key/1234",
            "arn:aws:kms:us-east-1:123456789012:alias/*",
            "arn:aws:kms:us-east-1:123456789012:alias/app/keys",
            "arn:aws:kms:us-east-1:123456789012:1234",
            "arn:aws:kms:us-east-1:123456789012:key/",
            "arn:aws:kms:us-east-1:123456789012:key/a b",
        ] {
            assert!(kms_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn table_arns() {
        for good in [
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/*",
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/by-date",
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/*",
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000",
        ] {
            assert!(dynamodb_table(good).is_ok(), "{good}");
        }
        for (bad, fragment) in [
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/*",
                "wildcard",
            ),
            ("arn:aws:dynamodb:us-east-1:123456789012:*", "wildcard"),
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/ord*",
                "wildcard",
            ),
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/by*",
                "wildcard",
            ),
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/orders/*",
                "wildcard",
            ),
            (
                "arn:aws:dynamodb:*:123456789012:table/orders",
                "wildcard in its region",
            ),
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/ab",
                "invalid table",
            ),
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/x",
                "invalid table",
            ),
        ] {
            let err = dynamodb_table(bad).expect_err(bad);
            assert!(err.contains(fragment), "{bad}: {err}");
        }
    }

    #[test]
    fn secret_arns() {
        for good in [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-pass-a1B2c3",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-??????",
        ] {
            assert!(secret(good).is_ok(), "{good}");
        }
        for (bad, fragment) in [
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
                "\"*\"",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-*",
                "\"*\"",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db*",
                "\"*\"",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf*",
                "\"*\"",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-??????*",
                "\"*\"",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-?????",
                "suffix",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:d?-AbCdEf",
                "invalid secret name",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
                "suffix",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:-AbCdEf",
                "invalid secret name",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:db-AbCdEf",
                "secret:",
            ),
            (
                "arn:aws:secretsmanager:*:123456789012:secret:db-AbCdEf",
                "wildcard in its region",
            ),
        ] {
            let err = secret(bad).expect_err(bad);
            assert!(err.contains(fragment), "{bad}: {err}");
        }
    }

    #[test]
    fn s3_read_arns() {
        for good in [
            "arn:aws:s3:::assets",
            "arn:aws:s3:::uploads/incoming/*",
            "arn:aws:s3:::b.example.com/reports/2024.csv",
        ] {
            assert!(s3_read(good).is_ok(), "{good}");
        }
        for (bad, fragment) in [
            ("arn:aws:s3:::*", "wildcard"),
            ("arn:aws:s3:::asset*", "wildcard"),
            ("arn:aws:s3:::*/key", "wildcard"),
            ("arn:aws:s3:::ab", "invalid bucket name"),
            ("arn:aws:s3:::Assets", "invalid bucket name"),
            ("arn:aws:s3:::assets/", "empty"),
            ("arn:aws:s3:us-east-1::assets", "empty region"),
            ("arn:aws:s3::123456789012:assets", "empty account"),
        ] {
            let err = s3_read(bad).expect_err(bad);
            assert!(err.contains(fragment), "{bad}: {err}");
        }
    }

    #[test]
    fn role_and_policy_arns() {
        assert_eq!(
            iam_role("arn:aws:iam::123456789012:role/ops/scheduler-x"),
            Ok("scheduler-x")
        );
        assert_eq!(iam_role("arn:aws:iam::123456789012:role/x"), Ok("x"));
        for bad in [
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::*:role/x",
            "arn:aws:iam:us-east-1:123456789012:role/x",
            "arn:aws:iam::123456789012:role/x*",
            "arn:aws:iam::aws:role/x",
        ] {
            assert!(iam_role(bad).is_err(), "{bad}");
        }
        assert_eq!(
            iam_user("arn:aws:iam::123456789012:user/ops/alice"),
            Ok("alice")
        );
        for bad in [
            "arn:aws:iam::123456789012:role/x",
            "arn:aws:iam::123456789012:user/",
            "arn:aws:iam::123456789012:user/a*",
        ] {
            assert!(iam_user(bad).is_err(), "{bad}");
        }
        assert!(iam_policy("arn:aws:iam::aws:policy/PowerUserAccess").is_ok());
        assert!(iam_policy("arn:aws:iam::123456789012:policy/team/boundary").is_ok());
        for bad in [
            "arn:aws:iam::123456789012:role/x",
            "arn:aws:iam::123456789012:policy/",
            "arn:aws:iam::123456789012:policy/*",
            "arn:aws:iam::amazon:policy/x",
            "arn:aws:iam:::policy/x",
        ] {
            assert!(iam_policy(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn role_paths() {
        assert_eq!(iam_role_path("arn:aws:iam::123456789012:role/x"), "/");
        assert_eq!(
            iam_role_path("arn:aws:iam::123456789012:role/ops/team/x"),
            "/ops/team/"
        );
    }

    #[test]
    fn region_names() {
        for good in [
            "us-east-1",
            "eu-west-3",
            "us-gov-west-1",
            "cn-north-1",
            "eu-isoe-west-1",
            "eusc-de-east-1",
            "ap-southeast-2",
        ] {
            assert!(is_region(good), "{good}");
        }
        for bad in [
            "",
            "useast1",
            "us-east",
            "US-EAST-1",
            "us_east_1",
            "us-east-1a",
            "us-east-100",
            "not a region",
            "us-east-*",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }
}

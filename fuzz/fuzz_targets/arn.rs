//! Any text through the ARN parser and every ARN shape built on it: no panic,
//! and what `parse` accepts has no wildcard outside its resource part.
#![no_main]

use lambdawire::validate::arn;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(parsed) = arn::parse(text) {
        assert!(!arn::has_wildcard(parsed.region) && !arn::has_wildcard(parsed.account));
    }
    let _ = arn::parse_pattern(text).map(|a| a.unscoped_because());
    let _ = arn::lambda_function(text).map(|f| f.unqualified().len());
    let _ = arn::sqs_queue(text);
    let _ = arn::kms_key(text);
    let _ = arn::dynamodb_table(text);
    let _ = arn::secret(text);
    let _ = arn::s3_read(text);
    let _ = arn::iam_role(text);
    let _ = arn::iam_role_path(text);
    let _ = arn::iam_policy(text);
});

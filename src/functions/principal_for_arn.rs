//! `provider::lambdawire::principal_for_arn(arn)`: the service principal that
//! invokes Lambda on behalf of the resource an ARN names.

use crate::plugin::resource::Function;
use crate::plugin::schema::{FunctionSchema, Parameter, Type};
use crate::plugin::Diagnostics;
use serde::Deserialize;

use crate::lambda::principal::principal_for_arn;

/// The `principal_for_arn` function; pure, no state.
pub struct PrincipalForArn;

const NAME: &str = "principal_for_arn";

/// The one argument: the source's ARN.
#[derive(Deserialize)]
pub struct PrincipalArgs {
    arn: String,
}

impl Function for PrincipalForArn {
    type Args = PrincipalArgs;
    type Output = String;

    fn name(&self) -> &'static str {
        NAME
    }

    fn schema(&self) -> FunctionSchema {
        FunctionSchema {
            parameters: vec![Parameter {
                name: "arn".into(),
                param_type: Type::String,
                description: "ARN of the calling resource, such as an S3 bucket or an EventBridge rule.".into(),
            }],
            return_type: Type::String,
            summary: "Service principal for a source ARN".into(),
            description: "Returns the service principal Lambda expects for a source: \
                 `principal_for_arn(\"arn:aws:s3:::uploads\")` is `\"s3.amazonaws.com\"`, an `execute-api` ARN \
                 gives `apigateway.amazonaws.com`."
            .into(),
        }
    }

    fn call(&self, diags: &mut Diagnostics, args: PrincipalArgs) -> Option<String> {
        match principal_for_arn(&args.arn) {
            Ok(principal) => Some(principal),
            Err(why) => {
                diags.function_error(0, why);
                None
            }
        }
    }
}

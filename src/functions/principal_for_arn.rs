//! `provider::lambdawire::principal_for_arn(arn)`: the service principal that
//! invokes Lambda on behalf of the resource an ARN names.

use async_trait::async_trait;
use serde::Deserialize;
use tf_provider::schema::{Description, FunctionSchema, Parameter, Type};
use tf_provider::{Diagnostics, Function};

use crate::resources::lambda_invoke_permission::principal::principal_for_arn;

pub struct PrincipalForArn;

#[derive(Deserialize)]
pub struct PrincipalArgs {
    arn: String,
}

#[async_trait]
impl Function for PrincipalForArn {
    type Input<'a> = PrincipalArgs;
    type Output<'a> = String;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<FunctionSchema> {
        Some(FunctionSchema {
            parameters: vec![Parameter {
                name: "arn".into(),
                param_type: Type::String,
                description: Description::plain("ARN of the calling resource, such as an S3 bucket or an EventBridge rule."),
                ..Default::default()
            }],
            return_type: Type::String,
            summary: "Service principal for a source ARN".into(),
            description: Description::markdown(
                "Returns the service principal Lambda expects for a source: \
                 `principal_for_arn(\"arn:aws:s3:::uploads\")` is `\"s3.amazonaws.com\"`, an `execute-api` ARN \
                 gives `apigateway.amazonaws.com`.",
            ),
            ..Default::default()
        })
    }

    async fn call<'a>(
        &self,
        diags: &mut Diagnostics,
        args: Self::Input<'a>,
    ) -> Option<Self::Output<'a>> {
        match principal_for_arn(&args.arn) {
            Ok(principal) => Some(principal),
            Err(why) => {
                diags.function_error(0, why);
                None
            }
        }
    }
}

//! `provider::lambdawire::at(timestamp, timezone)`: an RFC 3339 timestamp as
//! an EventBridge Scheduler one-time expression, in the wall-clock time of the
//! zone the schedule will be evaluated in.

use async_trait::async_trait;
use serde::Deserialize;
use tf_provider::schema::{Description, FunctionSchema, Parameter, Type};
use tf_provider::{Diagnostics, Function};

use crate::validate::time::at_expression;

pub struct At;

#[derive(Deserialize)]
pub struct AtArgs {
    timestamp: String,
    timezone: String,
}

#[async_trait]
impl Function for At {
    type Input<'a> = AtArgs;
    type Output<'a> = String;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<FunctionSchema> {
        Some(FunctionSchema {
            parameters: vec![
                Parameter {
                    name: "timestamp".into(),
                    param_type: Type::String,
                    description: Description::plain("RFC 3339 timestamp, such as 2030-01-01T09:00:00Z."),
                    ..Default::default()
                },
                Parameter {
                    name: "timezone".into(),
                    param_type: Type::String,
                    description: Description::plain("IANA time zone of the schedule, such as Europe/Paris; use the same value as schedule_expression_timezone."),
                    ..Default::default()
                },
            ],
            return_type: Type::String,
            summary: "One-time schedule expression from a timestamp".into(),
            description: Description::markdown(
                "Returns `at(yyyy-mm-ddThh:mm:ss)` for `timestamp`, rendered as wall-clock time in `timezone`: \
                 `at(\"2030-01-01T09:00:00Z\", \"Europe/Paris\")` is `\"at(2030-01-01T10:00:00)\"`.",
            ),
            ..Default::default()
        })
    }

    async fn call<'a>(
        &self,
        diags: &mut Diagnostics,
        args: Self::Input<'a>,
    ) -> Option<Self::Output<'a>> {
        match at_expression(&args.timestamp, &args.timezone) {
            Ok(expression) => Some(expression),
            Err(why) => {
                // Point at the argument that is wrong.
                let index = if why.contains("time zone") { 1 } else { 0 };
                diags.function_error(index, why);
                None
            }
        }
    }
}

//! `provider::lambdawire::at(timestamp, timezone)`: an RFC 3339 timestamp as
//! an EventBridge Scheduler one-time expression, in the wall-clock time of the
//! zone the schedule will be evaluated in.

use crate::plugin::resource::Function;
use crate::plugin::schema::{FunctionSchema, Parameter, Type};
use crate::plugin::Diagnostics;
use serde::Deserialize;

use crate::validate::time::at_expression;

/// The `at` function; pure, no state.
pub struct At;

const NAME: &str = "at";

/// The arguments in parameter order: the timestamp, then the IANA zone.
#[derive(Deserialize)]
pub struct AtArgs {
    timestamp: String,
    timezone: String,
}

impl Function for At {
    type Args = AtArgs;
    type Output = String;

    fn name(&self) -> &'static str {
        NAME
    }

    fn schema(&self) -> FunctionSchema {
        FunctionSchema {
            parameters: vec![
                Parameter {
                    name: "timestamp".into(),
                    param_type: Type::String,
                    description: "RFC 3339 timestamp, such as 2030-01-01T09:00:00Z.".into(),
                },
                Parameter {
                    name: "timezone".into(),
                    param_type: Type::String,
                    description: "IANA time zone of the schedule, such as Europe/Paris; use the same value as schedule_expression_timezone.".into(),
                },
            ],
            return_type: Type::String,
            summary: "One-time schedule expression from a timestamp".into(),
            description: "Returns `at(yyyy-mm-ddThh:mm:ss)` for `timestamp`, rendered as wall-clock time in `timezone`: \
                 `at(\"2030-01-01T09:00:00Z\", \"Europe/Paris\")` is `\"at(2030-01-01T10:00:00)\"`."
            .into(),
        }
    }

    fn call(&self, diags: &mut Diagnostics, args: AtArgs) -> Option<String> {
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

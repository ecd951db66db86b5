//! One log line per answered AWS call, success or failure: service,
//! operation, HTTP status and request id, so that `TF_LOG_PROVIDER=DEBUG`
//! ties every step to AWS's own records. Nothing of the request or response
//! body is logged: bodies can carry policies, tokens and credentials.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// The headers AWS services put their request id in.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"];

/// The SDK interceptor that writes one line per answered call; every client
/// is built with it.
#[derive(Debug)]
pub struct RequestLog;

impl Intercept for RequestLog {
    fn name(&self) -> &'static str {
        "lambdawire-request-log"
    }

    fn read_after_transmit(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        let request_id = REQUEST_ID_HEADERS
            .iter()
            .find_map(|h| response.headers().get(*h))
            .unwrap_or("none");
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service(), m.name()))
            .unwrap_or(("unknown", "unknown"));
        tracing::debug!(
            service,
            operation,
            status = response.status().as_u16(),
            request_id,
            "AWS call answered"
        );
        Ok(())
    }
}

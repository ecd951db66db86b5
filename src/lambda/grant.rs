//! What one statement of a function's resource policy lets in: who may
//! call, and which actions. Pure, over the statement's parts, so that the
//! data source's findings and a resource's validation judge a grant the
//! same way (SPEC, "Grants: one meaning").

use crate::lambda::principal::is_service_principal;
use crate::validate::arn;

/// The parts of a statement that decide what it lets in.
#[derive(Clone, Copy, Debug, Default)]
pub struct Grant<'a> {
    /// `"*"`, a service, an account id, or a role, user or root ARN.
    pub principal: &'a str,
    /// As written: `lambda:InvokeFunction`, `lambda:*`, ...
    pub action: &'a str,
    /// The account that owns the function, when known.
    pub function_account: Option<&'a str>,
    /// The `AWS:SourceArn` condition.
    pub source_arn: Option<&'a str>,
    /// The `AWS:SourceAccount` condition.
    pub source_account: Option<&'a str>,
    /// The `aws:PrincipalOrgID` condition.
    pub principal_org_id: Option<&'a str>,
    /// The `lambda:FunctionUrlAuthType` condition.
    pub function_url_auth_type: Option<&'a str>,
    /// The `lambda:InvokedViaFunctionUrl` condition is true.
    pub invoked_via_function_url: bool,
    /// An `lambda:EventSourceToken` condition is set.
    pub event_source_token: bool,
}

/// Who a statement lets call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, signed or not.
    Public,
    /// Every authenticated principal of every AWS account: `"*"` through a
    /// function URL whose auth type is `AWS_IAM`, with no account or
    /// organisation condition.
    AnyAccount,
    /// Principals of one AWS Organization.
    Organisation(String),
    /// Principals of one account other than the function's.
    OtherAccount(String),
    /// Principals of the function's own account.
    OwnAccount,
    /// A service, on behalf of the named source only.
    ServiceScoped,
    /// A service, on behalf of any of its customers' resources.
    ServiceUnscoped,
    /// Whoever holds the event-source token (an Alexa skill, say).
    TokenHolders,
    /// A `"*"` statement scoped by its source ARN alone.
    SourceScoped,
}

/// Which actions a statement grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actions {
    /// The function may be invoked directly (`lambda:InvokeFunction`
    /// without the URL condition, `lambda:*`, `*`).
    pub invoke: bool,
    /// Only invocations through the function URL.
    pub url_only: bool,
    /// Actions beyond invoking (`lambda:GetFunction`, `lambda:*`, `*`).
    pub beyond_invoke: bool,
}

/// The actions a statement grants.
pub fn actions(g: &Grant) -> Actions {
    let action = g.action.to_ascii_lowercase();
    let wide = action == "lambda:*" || action == "*";
    let invoke_function = action == "lambda:invokefunction";
    let url = action == "lambda:invokefunctionurl";
    Actions {
        invoke: wide || (invoke_function && !g.invoked_via_function_url),
        url_only: url || (invoke_function && g.invoked_via_function_url),
        beyond_invoke: wide || !(invoke_function || url),
    }
}

/// The account a principal belongs to: an account id, or the account field
/// of a role, user or root ARN.
fn principal_account(principal: &str) -> Option<&str> {
    if arn::is_account(principal) {
        return Some(principal);
    }
    arn::parse(principal)
        .ok()
        .filter(|a| a.service == "iam")
        .map(|a| a.account)
}

/// Who a statement lets call.
pub fn audience(g: &Grant) -> Audience {
    let account_audience = |account: &str| match g.function_account {
        Some(own) if own == account => Audience::OwnAccount,
        _ => Audience::OtherAccount(account.to_string()),
    };
    if g.principal != "*" {
        if is_service_principal(g.principal) {
            return if g.source_arn.is_some() {
                Audience::ServiceScoped
            } else {
                Audience::ServiceUnscoped
            };
        }
        return match principal_account(g.principal) {
            Some(account) => account_audience(account),
            None => Audience::Public,
        };
    }
    if let Some(org) = g.principal_org_id {
        return Audience::Organisation(org.to_string());
    }
    if let Some(account) = g.source_account {
        return account_audience(account);
    }
    if g.event_source_token {
        return Audience::TokenHolders;
    }
    if g.source_arn.is_some() {
        return Audience::SourceScoped;
    }
    match (actions(g).url_only, g.function_url_auth_type) {
        (true, Some(auth)) if auth.eq_ignore_ascii_case("AWS_IAM") => Audience::AnyAccount,
        _ => Audience::Public,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "123456789012";

    fn grant(principal: &'static str, action: &'static str) -> Grant<'static> {
        Grant {
            principal,
            action,
            function_account: Some(OWN),
            ..Default::default()
        }
    }

    /// Principals x actions x conditions against the audience each means.
    #[test]
    fn the_audience_of_every_principal_action_and_condition() {
        type Condition = fn(&mut Grant<'static>);
        let none: Condition = |_| {};
        let org: Condition = |g| g.principal_org_id = Some("o-a1b2c3d4e5");
        let own_account: Condition = |g| g.source_account = Some(OWN);
        let other_account: Condition = |g| g.source_account = Some("210987654321");
        let source: Condition =
            |g| g.source_arn = Some("arn:aws:events:us-east-1:123456789012:rule/r");
        let token: Condition = |g| g.event_source_token = true;
        let url_iam: Condition = |g| g.function_url_auth_type = Some("AWS_IAM");
        let url_none: Condition = |g| g.function_url_auth_type = Some("NONE");
        let via_url: Condition = |g| {
            g.invoked_via_function_url = true;
            g.function_url_auth_type = Some("AWS_IAM");
        };
        let other = Audience::OtherAccount("210987654321".into());
        let organisation = Audience::Organisation("o-a1b2c3d4e5".into());
        let table: Vec<(&'static str, &'static str, Condition, Audience)> = vec![
            ("*", "lambda:InvokeFunction", none, Audience::Public),
            ("*", "lambda:InvokeFunction", org, organisation.clone()),
            (
                "*",
                "lambda:InvokeFunction",
                own_account,
                Audience::OwnAccount,
            ),
            ("*", "lambda:InvokeFunction", other_account, other.clone()),
            ("*", "lambda:InvokeFunction", source, Audience::SourceScoped),
            ("*", "lambda:InvokeFunction", token, Audience::TokenHolders),
            ("*", "lambda:InvokeFunction", via_url, Audience::AnyAccount),
            (
                "*",
                "lambda:InvokeFunctionUrl",
                url_iam,
                Audience::AnyAccount,
            ),
            ("*", "lambda:InvokeFunctionUrl", url_none, Audience::Public),
            ("*", "lambda:InvokeFunctionUrl", none, Audience::Public),
            ("*", "lambda:GetFunction", none, Audience::Public),
            ("*", "lambda:*", url_iam, Audience::Public),
            (
                "events.amazonaws.com",
                "lambda:InvokeFunction",
                none,
                Audience::ServiceUnscoped,
            ),
            (
                "events.amazonaws.com",
                "lambda:InvokeFunction",
                source,
                Audience::ServiceScoped,
            ),
            (
                "s3.amazonaws.com",
                "lambda:InvokeFunction",
                own_account,
                Audience::ServiceUnscoped,
            ),
            ("210987654321", "lambda:InvokeFunction", none, other.clone()),
            (
                "arn:aws:iam::210987654321:root",
                "lambda:InvokeFunction",
                none,
                other.clone(),
            ),
            (
                "arn:aws:iam::210987654321:role/caller",
                "lambda:InvokeFunctionUrl",
                url_iam,
                other.clone(),
            ),
            (
                "123456789012",
                "lambda:InvokeFunction",
                none,
                Audience::OwnAccount,
            ),
            (
                "arn:aws:iam::123456789012:role/app",
                "lambda:GetFunction",
                none,
                Audience::OwnAccount,
            ),
        ];
        for (principal, action, condition, want) in table {
            let mut g = grant(principal, action);
            condition(&mut g);
            assert_eq!(audience(&g), want, "{principal} {action} {g:?}");
        }
    }

    #[test]
    fn the_actions_of_each_action_spelling() {
        let cases = [
            ("lambda:InvokeFunction", false, (true, false, false)),
            ("lambda:invokefunction", true, (false, true, false)),
            ("lambda:InvokeFunctionUrl", false, (false, true, false)),
            ("lambda:GetFunction", false, (false, false, true)),
            ("lambda:*", false, (true, false, true)),
            ("*", false, (true, false, true)),
        ];
        for (action, via_url, (invoke, url_only, beyond)) in cases {
            let g = Grant {
                invoked_via_function_url: via_url,
                ..grant("*", action)
            };
            let a = actions(&g);
            assert_eq!(
                (a.invoke, a.url_only, a.beyond_invoke),
                (invoke, url_only, beyond),
                "{action}"
            );
        }
    }
}

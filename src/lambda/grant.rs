//! What one statement of a function's resource policy lets in: who may
//! call ([`audience`]), which actions ([`actions`]), and what leaves it
//! wider than it should be ([`risks`]). Pure, over the statement's parts,
//! so that the data source's findings and every resource's validation
//! judge a grant the same way (SPEC, "Grants: one meaning"): a resource
//! refuses a grant for what it lets in only on a [`Risk`], and every risk
//! is a finding, so a grant a resource refuses is a finding when it comes
//! from elsewhere, and one it accepts with `allow_unscoped_source` is a
//! finding all the same.

use crate::lambda::principal::{is_service_principal, split_arn};
use crate::plugin::Value;
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

/// What an unknown part of a configuration stands for while a plan is
/// made: set, to a value no rule reads as anything (not an ARN, an auth
/// type, an account or an action). Every rule that refuses a grant needs a
/// part missing or one bad value, so none fires before the part is known.
pub const NOT_YET_KNOWN: &str = "(known after apply)";

/// An optional part of a grant as a configuration holds it: null is
/// missing, and unknown is [`NOT_YET_KNOWN`].
pub fn planned(part: Value<&str>) -> Option<&str> {
    match part {
        Value::Null => None,
        Value::Unknown => Some(NOT_YET_KNOWN),
        Value::Value(v) => Some(v),
    }
}

impl Grant<'_> {
    /// Whether the statement has a condition of any kind.
    fn has_condition(&self) -> bool {
        self.source_arn.is_some()
            || self.source_account.is_some()
            || self.principal_org_id.is_some()
            || self.function_url_auth_type.is_some()
            || self.invoked_via_function_url
            || self.event_source_token
    }

    /// Whether the auth type is `auth`; IAM compares condition values of
    /// `StringEquals` exactly, but Lambda takes the parameter in any case.
    fn auth_type_is(&self, auth: &str) -> bool {
        self.function_url_auth_type
            .is_some_and(|a| a.eq_ignore_ascii_case(auth))
    }
}

/// Who a statement lets call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, signed or not: `"*"` with no condition that narrows who.
    Public,
    /// Anyone, unsigned, through the function URL: `"*"` for the URL with
    /// auth type `NONE`.
    PublicUrl,
    /// Whoever the function URL's own `lambda:InvokeFunctionUrl` statement
    /// admits: `"*"` invoking only through the URL, with no auth type of
    /// its own (the second half of a URL grant, which alone admits no one).
    UrlCallers,
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
    /// A service, on behalf of the named source (how far the source ARN
    /// pins it is [`Risk::SourceArnScopesNothing`]'s and
    /// [`Risk::NoSourceAccount`]'s question).
    ServiceScoped,
    /// A service, on behalf of any of its customers' resources.
    ServiceUnscoped,
    /// Whoever holds the event-source token (an Alexa skill, say).
    TokenHolders,
    /// A `"*"` statement scoped by its source ARN alone.
    SourceScoped,
    /// A principal of a kind this table does not read (neither `"*"`, a
    /// service, nor an account's): nothing is claimed about it.
    Unrecognised,
}

/// Which actions a statement grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actions {
    /// The function may be invoked directly (`lambda:InvokeFunction`
    /// without the URL condition, `lambda:*`, `*`).
    pub invoke: bool,
    /// The function URL's own action, `lambda:InvokeFunctionUrl`.
    pub url: bool,
    /// `lambda:InvokeFunction` only through the function URL (the
    /// `lambda:InvokedViaFunctionUrl` condition).
    pub via_url: bool,
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
        url,
        via_url: invoke_function && g.invoked_via_function_url,
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

/// Services whose source ARNs name no account (an S3 bucket ARN is
/// `arn:aws:s3:::bucket`), so only `source_account` ties the grant to the
/// bucket's owner: without it, a bucket of that name in any account can
/// invoke the function once its owner deletes it and another takes the
/// name. The `.cn` form is the China partition's.
const BUCKET_STYLE_SERVICES: [&str; 2] = ["s3.amazonaws.com", "s3.amazonaws.com.cn"];

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
            } else if g.event_source_token {
                Audience::TokenHolders
            } else {
                Audience::ServiceUnscoped
            };
        }
        return match principal_account(g.principal) {
            Some(account) => account_audience(account),
            None => Audience::Unrecognised,
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
    let a = actions(g);
    if (a.url || a.via_url) && g.auth_type_is("AWS_IAM") {
        Audience::AnyAccount
    } else if (a.url || a.via_url) && g.auth_type_is("NONE") {
        Audience::PublicUrl
    } else if a.via_url && g.function_url_auth_type.is_none() {
        Audience::UrlCallers
    } else {
        Audience::Public
    }
}

/// What leaves a grant wider than it should be: each is one of the data
/// source's findings, and each a resource refuses is refused for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Risk {
    /// `"*"` with no condition at all: anyone may call.
    Unconditioned,
    /// `"*"` may invoke the function directly, not only through its URL,
    /// and not only within an organisation.
    InvokableDirectly,
    /// [`Audience::AnyAccount`]: every AWS account through the URL.
    AnyAccountUrl,
    /// [`Audience::ServiceUnscoped`]: the confused deputy.
    NoSourceArn,
    /// A bucket-style service without `source_account`.
    NoSourceAccount,
    /// A source ARN whose region or account does not pin one; why.
    SourceArnScopesNothing(String),
    /// An action beyond invoking, granted to anyone but the function's own
    /// account named as the principal (a `"*"` with an own-account
    /// condition still reaches services acting for that account).
    BeyondInvoke,
    /// [`Audience::PublicUrl`]: a public function URL, which may be meant.
    PublicUrl,
    /// [`Audience::OtherAccount`].
    OtherAccount(String),
    /// [`Audience::Organisation`].
    Organisation(String),
}

/// Every risk of a grant, in the order the data source lists them within
/// one severity.
pub fn risks(g: &Grant) -> Vec<Risk> {
    let who = audience(g);
    let what = actions(g);
    let public = g.principal == "*";
    let mut out = Vec::new();
    if who == Audience::Public && !g.has_condition() {
        out.push(Risk::Unconditioned);
    }
    // An organisation-wide grant is meant for callers of that
    // organisation; everything else public may only come through the URL.
    if public && what.invoke && !matches!(who, Audience::Organisation(_)) {
        out.push(Risk::InvokableDirectly);
    }
    if who == Audience::AnyAccount {
        out.push(Risk::AnyAccountUrl);
    }
    if who == Audience::ServiceUnscoped {
        out.push(Risk::NoSourceArn);
    }
    if BUCKET_STYLE_SERVICES.contains(&g.principal) && g.source_account.is_none() {
        out.push(Risk::NoSourceAccount);
    }
    if let Some(why) = g
        .source_arn
        .and_then(split_arn)
        .and_then(|a| a.unscoped_because())
    {
        out.push(Risk::SourceArnScopesNothing(why));
    }
    if what.beyond_invoke && (public || who != Audience::OwnAccount) {
        out.push(Risk::BeyondInvoke);
    }
    match who {
        Audience::PublicUrl => out.push(Risk::PublicUrl),
        Audience::OtherAccount(account) => out.push(Risk::OtherAccount(account)),
        Audience::Organisation(org) => out.push(Risk::Organisation(org)),
        _ => {}
    }
    out
}

/// `"*"` held neither to an organisation nor by a function-URL condition
/// (an auth type, or `lambda:InvokedViaFunctionUrl`): what
/// `lambdawire_lambda_invoke_permission` refuses for a public principal
/// (SPEC). Every such grant has a [`Risk`] but one: the URL's own action
/// with a source ARN, a token or the function's own account as its only
/// condition lets in no one the condition does not name, and is refused
/// only because a URL grant must say which auth type it is for.
pub fn public_unconfined(g: &Grant) -> bool {
    g.principal == "*"
        && !matches!(audience(g), Audience::Organisation(_))
        && g.function_url_auth_type.is_none()
        && !g.invoked_via_function_url
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "123456789012";
    const OTHER: &str = "210987654321";
    const ORG: &str = "o-a1b2c3d4e5";

    type Condition = fn(&mut Grant<'static>);

    fn none(_: &mut Grant<'static>) {}
    fn org(g: &mut Grant<'static>) {
        g.principal_org_id = Some(ORG);
    }
    fn own_account(g: &mut Grant<'static>) {
        g.source_account = Some(OWN);
    }
    fn other_account(g: &mut Grant<'static>) {
        g.source_account = Some(OTHER);
    }
    fn source(g: &mut Grant<'static>) {
        g.source_arn = Some("arn:aws:events:us-east-1:123456789012:rule/r");
    }
    fn any_region_source(g: &mut Grant<'static>) {
        g.source_arn = Some("arn:aws:sns:*:123456789012:topic");
    }
    fn bucket(g: &mut Grant<'static>) {
        g.source_arn = Some("arn:aws:s3:::uploads");
    }
    fn bucket_of_own_account(g: &mut Grant<'static>) {
        bucket(g);
        own_account(g);
    }
    fn token(g: &mut Grant<'static>) {
        g.event_source_token = true;
    }
    fn url_iam(g: &mut Grant<'static>) {
        g.function_url_auth_type = Some("AWS_IAM");
    }
    fn url_none(g: &mut Grant<'static>) {
        g.function_url_auth_type = Some("NONE");
    }
    fn via_url(g: &mut Grant<'static>) {
        g.invoked_via_function_url = true;
    }
    fn via_url_iam(g: &mut Grant<'static>) {
        via_url(g);
        url_iam(g);
    }
    fn org_url_iam(g: &mut Grant<'static>) {
        org(g);
        url_iam(g);
    }
    fn own_account_url_iam(g: &mut Grant<'static>) {
        own_account(g);
        url_iam(g);
    }

    fn grant(
        principal: &'static str,
        action: &'static str,
        condition: Condition,
    ) -> Grant<'static> {
        let mut g = Grant {
            principal,
            action,
            function_account: Some(OWN),
            ..Default::default()
        };
        condition(&mut g);
        g
    }

    /// Principals x actions x conditions against the audience each means
    /// and the risks it has.
    #[test]
    fn the_audience_and_risks_of_every_principal_action_and_condition() {
        use Audience as A;
        use Risk as R;
        let invoke = "lambda:InvokeFunction";
        let url = "lambda:InvokeFunctionUrl";
        let get = "lambda:GetFunction";
        let other = || A::OtherAccount(OTHER.into());
        let organisation = || A::Organisation(ORG.into());
        let scopes_nothing =
            || R::SourceArnScopesNothing("its region \"*\" is not one region".into());
        let table: Vec<(&str, &str, Condition, Audience, Vec<Risk>)> = vec![
            (
                "*",
                invoke,
                none,
                A::Public,
                vec![R::Unconditioned, R::InvokableDirectly],
            ),
            (
                "*",
                invoke,
                org,
                organisation(),
                vec![R::Organisation(ORG.into())],
            ),
            (
                "*",
                invoke,
                own_account,
                A::OwnAccount,
                vec![R::InvokableDirectly],
            ),
            (
                "*",
                invoke,
                other_account,
                other(),
                vec![R::InvokableDirectly, R::OtherAccount(OTHER.into())],
            ),
            (
                "*",
                invoke,
                source,
                A::SourceScoped,
                vec![R::InvokableDirectly],
            ),
            (
                "*",
                invoke,
                any_region_source,
                A::SourceScoped,
                vec![R::InvokableDirectly, scopes_nothing()],
            ),
            (
                "*",
                invoke,
                token,
                A::TokenHolders,
                vec![R::InvokableDirectly],
            ),
            ("*", invoke, via_url, A::UrlCallers, vec![]),
            (
                "*",
                invoke,
                via_url_iam,
                A::AnyAccount,
                vec![R::AnyAccountUrl],
            ),
            // An auth type on the action that is not the URL's narrows no one.
            ("*", invoke, url_none, A::Public, vec![R::InvokableDirectly]),
            ("*", url, none, A::Public, vec![R::Unconditioned]),
            ("*", url, url_iam, A::AnyAccount, vec![R::AnyAccountUrl]),
            ("*", url, url_none, A::PublicUrl, vec![R::PublicUrl]),
            (
                "*",
                url,
                org_url_iam,
                organisation(),
                vec![R::Organisation(ORG.into())],
            ),
            ("*", url, own_account_url_iam, A::OwnAccount, vec![]),
            ("*", url, own_account, A::OwnAccount, vec![]),
            (
                "*",
                get,
                none,
                A::Public,
                vec![R::Unconditioned, R::BeyondInvoke],
            ),
            // A "*" held to the own account still reaches services acting
            // for it: an action beyond invoking is a risk all the same.
            ("*", get, own_account, A::OwnAccount, vec![R::BeyondInvoke]),
            (
                "*",
                get,
                org,
                organisation(),
                vec![R::BeyondInvoke, R::Organisation(ORG.into())],
            ),
            (
                "*",
                "lambda:*",
                url_iam,
                A::Public,
                vec![R::InvokableDirectly, R::BeyondInvoke],
            ),
            (
                "events.amazonaws.com",
                invoke,
                none,
                A::ServiceUnscoped,
                vec![R::NoSourceArn],
            ),
            (
                "events.amazonaws.com",
                invoke,
                source,
                A::ServiceScoped,
                vec![],
            ),
            (
                "sns.amazonaws.com",
                invoke,
                any_region_source,
                A::ServiceScoped,
                vec![scopes_nothing()],
            ),
            (
                "s3.amazonaws.com",
                invoke,
                own_account,
                A::ServiceUnscoped,
                vec![R::NoSourceArn],
            ),
            (
                "s3.amazonaws.com",
                invoke,
                bucket,
                A::ServiceScoped,
                vec![R::NoSourceAccount],
            ),
            (
                "s3.amazonaws.com.cn",
                invoke,
                bucket,
                A::ServiceScoped,
                vec![R::NoSourceAccount],
            ),
            (
                "s3.amazonaws.com",
                invoke,
                bucket_of_own_account,
                A::ServiceScoped,
                vec![],
            ),
            (
                "s3.amazonaws.com",
                invoke,
                none,
                A::ServiceUnscoped,
                vec![R::NoSourceArn, R::NoSourceAccount],
            ),
            (
                "alexa-appkit.amazon.com",
                invoke,
                token,
                A::TokenHolders,
                vec![],
            ),
            (
                "alexa-appkit.amazon.com",
                invoke,
                none,
                A::ServiceUnscoped,
                vec![R::NoSourceArn],
            ),
            (
                "cloudfront.amazonaws.com",
                url,
                url_iam,
                A::ServiceUnscoped,
                vec![R::NoSourceArn],
            ),
            (
                OTHER,
                invoke,
                none,
                other(),
                vec![R::OtherAccount(OTHER.into())],
            ),
            (
                "arn:aws:iam::210987654321:root",
                invoke,
                none,
                other(),
                vec![R::OtherAccount(OTHER.into())],
            ),
            (
                "arn:aws:iam::210987654321:role/caller",
                url,
                url_iam,
                other(),
                vec![R::OtherAccount(OTHER.into())],
            ),
            (
                OTHER,
                get,
                none,
                other(),
                vec![R::BeyondInvoke, R::OtherAccount(OTHER.into())],
            ),
            (OWN, invoke, none, A::OwnAccount, vec![]),
            (
                "arn:aws:iam::123456789012:role/app",
                get,
                none,
                A::OwnAccount,
                vec![],
            ),
            (
                OWN,
                invoke,
                any_region_source,
                A::OwnAccount,
                vec![scopes_nothing()],
            ),
            ("friend", invoke, none, A::Unrecognised, vec![]),
        ];
        for (principal, action, condition, who, risky) in table {
            let g = grant(principal, action, condition);
            assert_eq!(audience(&g), who, "{g:?}");
            assert_eq!(risks(&g), risky, "{g:?}");
        }
    }

    #[test]
    fn a_public_principal_is_unconfined_without_an_organisation_or_a_url_condition() {
        let unconfined = [
            grant("*", "lambda:InvokeFunction", none),
            grant("*", "lambda:InvokeFunction", own_account),
            grant("*", "lambda:InvokeFunctionUrl", source),
            grant("*", "lambda:GetFunction", token),
        ];
        for g in unconfined {
            assert!(public_unconfined(&g), "{g:?}");
        }
        let confined = [
            grant("*", "lambda:InvokeFunction", org),
            grant("*", "lambda:InvokeFunction", via_url),
            grant("*", "lambda:InvokeFunctionUrl", url_none),
            grant("events.amazonaws.com", "lambda:InvokeFunction", none),
            grant(OTHER, "lambda:InvokeFunction", none),
        ];
        for g in confined {
            assert!(!public_unconfined(&g), "{g:?}");
        }
    }

    #[test]
    fn the_actions_of_each_action_spelling() {
        let cases = [
            ("lambda:InvokeFunction", false, (true, false, false, false)),
            ("lambda:invokefunction", true, (false, false, true, false)),
            (
                "lambda:InvokeFunctionUrl",
                false,
                (false, true, false, false),
            ),
            ("lambda:GetFunction", false, (false, false, false, true)),
            ("lambda:*", false, (true, false, false, true)),
            ("*", false, (true, false, false, true)),
        ];
        for (action, via_url, (invoke, url, via, beyond)) in cases {
            let g = Grant {
                invoked_via_function_url: via_url,
                ..grant("*", action, none)
            };
            let a = actions(&g);
            assert_eq!(
                (a.invoke, a.url, a.via_url, a.beyond_invoke),
                (invoke, url, via, beyond),
                "{action}"
            );
        }
    }

    #[test]
    fn an_unknown_part_is_set_to_nothing_a_rule_reads() {
        assert_eq!(planned(Value::Null), None);
        assert_eq!(planned(Value::Value("x")), Some("x"));
        let unknown_source = Grant {
            source_arn: planned(Value::Unknown),
            ..grant("events.amazonaws.com", "lambda:InvokeFunction", none)
        };
        assert_eq!(risks(&unknown_source), vec![]);
        let unknown_auth = Grant {
            function_url_auth_type: planned(Value::Unknown),
            ..grant("*", "lambda:InvokeFunctionUrl", none)
        };
        assert_eq!(audience(&unknown_auth), Audience::Public);
        assert_eq!(risks(&unknown_auth), vec![]);
        assert!(!public_unconfined(&unknown_auth));
    }
}

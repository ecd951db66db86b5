//! The invoker's `input`: what is allowed, and the text Scheduler is sent.
//!
//! Scheduler replaces context attributes such as
//! `<aws.scheduler.scheduled-time>` in a target's input when it invokes the
//! target ("Adding context attributes", EventBridge Scheduler User Guide),
//! but only where they appear literally. Terraform's `jsonencode` writes `<`
//! and `>` as `\u003c` and `\u003e` (Go's HTML-safe JSON encoding), so a
//! configured placeholder would reach the function unreplaced, silently. The
//! provider therefore sends the same JSON value with those two characters
//! unescaped; the state keeps the text as configured.

use std::borrow::Cow;

/// Scheduler's limit on a schedule's payload ("Payload (up to 256KB)",
/// Encryption at rest in EventBridge Scheduler).
pub const INPUT_LIMIT_BYTES: usize = 256 * 1024;

/// The context attributes Scheduler replaces in a target's input.
pub const CONTEXT_ATTRIBUTES: [&str; 4] = [
    "schedule-arn",
    "scheduled-time",
    "execution-id",
    "attempt-number",
];

const PLACEHOLDER_START: &str = "<aws.scheduler.";

/// Problems in a configured input: empty, not JSON, too large, or a
/// placeholder Scheduler does not know (a typo would be passed on as text).
pub fn check(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("input is empty: pass JSON text such as jsonencode({ key = \"value\" }), or leave input null.".into());
    }
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("input is not JSON ({e}); build it with jsonencode()."))?;
    let sent = as_sent(text);
    if sent.len() > INPUT_LIMIT_BYTES {
        return Err(format!(
            "input is {} bytes; Scheduler accepts at most {INPUT_LIMIT_BYTES} (256 KB). Pass a \
             reference (an S3 key, an id) instead of the payload.",
            sent.len()
        ));
    }
    let mut unknown = Vec::new();
    each_string(&value, &mut |s| {
        unknown.extend(unknown_placeholders(s).into_iter().map(str::to_string));
    });
    match unknown.first() {
        None => Ok(()),
        Some(name) => Err(format!(
            "input uses the context attribute <aws.scheduler.{name}>, which Scheduler does not \
             know: it would reach the function as plain text. Known: {}.",
            CONTEXT_ATTRIBUTES
                .iter()
                .map(|a| format!("<aws.scheduler.{a}>"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Every string in a JSON value, keys included.
fn each_string(value: &serde_json::Value, f: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(s) => f(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| each_string(v, f)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                f(k);
                each_string(v, f);
            }
        }
        _ => {}
    }
}

/// The names in `<aws.scheduler.NAME>` that are not context attributes.
fn unknown_placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(PLACEHOLDER_START) {
        let after = &rest[start + PLACEHOLDER_START.len()..];
        let Some(end) = after.find('>') else {
            break;
        };
        let name = &after[..end];
        if !CONTEXT_ATTRIBUTES.contains(&name) {
            out.push(name);
        }
        rest = &after[end..];
    }
    out
}

/// The text sent to Scheduler: `\u003c` and `\u003e` escapes (any case of
/// hex digits) written as `<` and `>`, everything else byte for byte. An
/// escape is only ever inside a JSON string, and an escaped backslash
/// (`\\u003c` is a backslash, then the letters `u003c`) is kept as it is.
pub fn as_sent(text: &str) -> Cow<'_, str> {
    if !text.contains("\\u") && !text.contains("\\U") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escape = text.get(i..i + 6).unwrap_or("");
        match escape.to_ascii_lowercase().as_str() {
            "\\u003c" => out.push('<'),
            "\\u003e" => out.push('>'),
            _ => {
                // Keep the backslash and the character it escapes together,
                // so that `\\` never starts a second escape.
                out.push('\\');
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
                continue;
            }
        }
        for _ in 0..5 {
            chars.next();
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonencoded_placeholders_are_sent_literally_and_mean_the_same() {
        // What `jsonencode({ at = "<aws.scheduler.scheduled-time>" })` gives.
        let configured = r#"{"at":"\u003caws.scheduler.scheduled-time\u003e","n":1}"#;
        let sent = as_sent(configured);
        assert_eq!(sent, r#"{"at":"<aws.scheduler.scheduled-time>","n":1}"#);
        let a: serde_json::Value = serde_json::from_str(configured).unwrap();
        let b: serde_json::Value = serde_json::from_str(&sent).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn other_escapes_and_escaped_backslashes_are_kept() {
        for (text, want) in [
            (r#""\u003C\u003E""#, r#""<>""#),
            (r#""\\u003c""#, r#""\\u003c""#),
            (r#""\\\u003c""#, r#""\\<""#),
            (r#""\u0026 \n \"q\" \u00e9""#, r#""\u0026 \n \"q\" \u00e9""#),
            (r#""plain""#, r#""plain""#),
            (r#""tail\"#, r#""tail\"#),
            (r#""\u003"#, r#""\u003"#),
            ("\"é\\u003e\"", "\"é>\""),
        ] {
            assert_eq!(as_sent(text), want, "{text}");
        }
    }

    #[test]
    fn the_limit_is_256_kb_of_what_is_sent() {
        let at_limit = format!("\"{}\"", "x".repeat(INPUT_LIMIT_BYTES - 2));
        assert_eq!(check(&at_limit), Ok(()));
        let over = format!("\"{}\"", "x".repeat(INPUT_LIMIT_BYTES - 1));
        assert!(check(&over).unwrap_err().contains("256 KB"));
        // 9000 bytes was refused by the former 8 KB limit.
        assert_eq!(check(&format!("\"{}\"", "x".repeat(9000))), Ok(()));
    }

    #[test]
    fn placeholders_are_checked_by_name() {
        for known in CONTEXT_ATTRIBUTES {
            let text = format!(r#"{{"v":"\u003caws.scheduler.{known}\u003e"}}"#);
            assert_eq!(check(&text), Ok(()), "{known}");
        }
        let typo = r#"{"when":"<aws.scheduler.scheduled_time>"}"#;
        assert!(check(typo).unwrap_err().contains("scheduled_time"));
        let in_key = r#"{"\u003caws.scheduler.nope\u003e":1}"#;
        assert!(check(in_key).unwrap_err().contains("<aws.scheduler.nope>"));
        assert_eq!(
            check(r#"{"html":"<b>bold</b>","open":"<aws.scheduler."}"#),
            Ok(())
        );
    }

    #[test]
    fn empty_and_malformed_input_are_refused() {
        assert!(check("  ").unwrap_err().contains("empty"));
        assert!(check("{not json").unwrap_err().contains("not JSON"));
    }
}

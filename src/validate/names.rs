//! Names, prefixes, paths and descriptions of AWS objects: pure validation
//! layer, no I/O. Also derives deterministic names that fit AWS length limits.

/// Length of the unique suffix Terraform-style `name_prefix` generation appends.
pub const GENERATED_SUFFIX_LEN: usize = 26;

const SCHEDULE_NAME_MAX: usize = 64;
const IAM_ROLE_NAME_MAX: usize = 64;
const IAM_PATH_MAX: usize = 512;
/// Lambda's limit on a statement id.
pub const STATEMENT_ID_MAX: usize = 100;

/// Characters of a name, as a predicate plus the words used in errors.
struct Charset {
    allows: fn(char) -> bool,
    description: &'static str,
}

const SCHEDULER_CHARS: Charset = Charset {
    allows: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'),
    description: "letters, digits, \"_\", \".\" and \"-\"",
};

const IAM_ROLE_CHARS: Charset = Charset {
    allows: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '=' | ',' | '.' | '@' | '-'),
    description: "letters, digits and \"_+=,.@-\"",
};

const STATEMENT_ID_CHARS: Charset = Charset {
    allows: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'),
    description: "letters, digits, \"_\" and \"-\"",
};

/// Checks length (in characters) and charset; `what` names the value in errors.
fn check(value: &str, what: &str, min: usize, max: usize, charset: &Charset) -> Result<(), String> {
    let len = value.chars().count();
    if len < min || len > max {
        let limit = if min == 0 {
            format!("at most {max} characters")
        } else {
            format!("{min}-{max} characters")
        };
        return Err(format!(
            "{what} {value:?} has {len} characters; it must be {limit} of {}",
            charset.description
        ));
    }
    if let Some(bad) = value.chars().find(|c| !(charset.allows)(*c)) {
        return Err(format!(
            "{what} {value:?} contains {bad:?}; only {} are allowed",
            charset.description
        ));
    }
    Ok(())
}

/// EventBridge Scheduler schedule name: 1-64 of `[0-9A-Za-z_.-]`.
pub fn schedule_name(s: &str) -> Result<(), String> {
    check(s, "schedule name", 1, SCHEDULE_NAME_MAX, &SCHEDULER_CHARS)
}

/// Schedule name prefix: leaves room for the generated suffix.
pub fn schedule_name_prefix(s: &str) -> Result<(), String> {
    check(
        s,
        "schedule name prefix",
        0,
        SCHEDULE_NAME_MAX - GENERATED_SUFFIX_LEN,
        &SCHEDULER_CHARS,
    )
}

/// EventBridge Scheduler schedule group name: 1-64 of `[0-9A-Za-z_.-]`.
pub fn schedule_group_name(s: &str) -> Result<(), String> {
    check(
        s,
        "schedule group name",
        1,
        SCHEDULE_NAME_MAX,
        &SCHEDULER_CHARS,
    )
}

/// IAM role name: 1-64 of `[\w+=,.@-]` (ASCII word characters).
pub fn iam_role_name(s: &str) -> Result<(), String> {
    check(s, "IAM role name", 1, IAM_ROLE_NAME_MAX, &IAM_ROLE_CHARS)
}

/// IAM role name prefix: leaves room for the generated suffix.
pub fn iam_role_name_prefix(s: &str) -> Result<(), String> {
    check(
        s,
        "IAM role name prefix",
        0,
        IAM_ROLE_NAME_MAX - GENERATED_SUFFIX_LEN,
        &IAM_ROLE_CHARS,
    )
}

/// IAM path: `/`, or 3-512 printable ASCII characters starting and ending with `/`.
pub fn iam_path(s: &str) -> Result<(), String> {
    const ALLOWED: &str = "\"/\" or a path that starts and ends with \"/\", up to 512 printable ASCII characters (no spaces), such as /service-role/";
    let len = s.chars().count();
    if len == 0 || len > IAM_PATH_MAX {
        return Err(format!(
            "IAM path {s:?} has {len} characters; expected {ALLOWED}"
        ));
    }
    if let Some(bad) = s.chars().find(|c| !matches!(c, '\u{21}'..='\u{7e}')) {
        return Err(format!(
            "IAM path {s:?} contains {bad:?}; expected {ALLOWED}"
        ));
    }
    // IAM's pattern is `/` or `/` + at least one character + `/`, so "//" is out.
    if s != "/" && (len < 3 || !s.starts_with('/') || !s.ends_with('/')) {
        return Err(format!("IAM path {s:?}: expected {ALLOWED}"));
    }
    Ok(())
}

/// AWS Organizations organization id: `o-` and 10-32 lowercase letters or
/// digits (the `aws:PrincipalOrgID` value).
pub fn organization_id(s: &str) -> Result<(), String> {
    let ok = s.strip_prefix("o-").is_some_and(|rest| {
        (10..=32).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not an organization id: \"o-\" and 10-32 lowercase letters or digits, such as o-a1b2c3d4e5"
        ))
    }
}

/// STS external id: 2-1224 of `[\w+=,.@:/-]` (AssumeRole's `ExternalId`
/// pattern). The value is a secret: errors never quote it.
pub fn sts_external_id(s: &str) -> Result<(), String> {
    const RULE: &str = "2-1224 characters of letters, digits and \"_+=,.@:/-\"";
    let len = s.chars().count();
    if !(2..=1224).contains(&len) {
        return Err(format!(
            "the external id has {len} characters; it must be {RULE}"
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c);
    if !s.chars().all(allowed) {
        return Err(format!(
            "the external id contains a character STS does not accept; it must be {RULE}"
        ));
    }
    Ok(())
}

/// Free-text description of at most `max` characters (not bytes: AWS counts characters).
pub fn description(s: &str, max: usize) -> Result<(), String> {
    let len = s.chars().count();
    if len > max {
        return Err(format!(
            "description has {len} characters; it must be at most {max} characters"
        ));
    }
    Ok(())
}

/// Lambda permission statement ID: 1-100 of `[A-Za-z0-9_-]`.
pub fn statement_id(s: &str) -> Result<(), String> {
    check(s, "statement ID", 1, STATEMENT_ID_MAX, &STATEMENT_ID_CHARS)
}

/// IAM's limits on a tag key and value (`Tag` in the IAM API reference).
const TAG_KEY_MAX: usize = 128;
const TAG_VALUE_MAX: usize = 256;

/// IAM's tag pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]`: Unicode letters, separators
/// and numbers plus `_.:/=+-@`. Separators are the white space that is not a
/// control character, so a newline or tab is refused while a space is not.
const TAG_CHARS: Charset = Charset {
    allows: |c| {
        c.is_alphabetic()
            || c.is_numeric()
            || (c.is_whitespace() && !c.is_control())
            || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
    },
    description: "letters, digits, spaces and \"_.:/=+-@\"",
};

/// IAM tag key: 1-128 characters of [`TAG_CHARS`], not starting with `aws:`,
/// which AWS keeps for its own tags.
pub fn tag_key(s: &str) -> Result<(), String> {
    check(s, "tag key", 1, TAG_KEY_MAX, &TAG_CHARS)?;
    if s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        return Err(format!(
            "tag key {s:?} starts with \"aws:\", which is reserved for AWS"
        ));
    }
    Ok(())
}

/// IAM tag value: at most 256 characters of [`TAG_CHARS`].
pub fn tag_value(s: &str) -> Result<(), String> {
    check(s, "tag value", 0, TAG_VALUE_MAX, &TAG_CHARS)
}

/// Length of the hash inserted when a name is shortened.
const HASH_LEN: usize = 8;

/// `prefix + unique` when that fits in `max_len` characters; otherwise the
/// prefix is cut and an 8-hex-digit hash of the full `prefix + unique` is
/// inserted before `unique`, so the result is exactly `max_len` characters.
/// Deterministic: the same input always yields the same name, so plans stay
/// stable, and two long inputs that share a truncated form still differ.
pub fn generated_name(prefix: &str, unique: &str, max_len: usize) -> String {
    let full = format!("{prefix}{unique}");
    let full_len = full.chars().count();
    if full_len <= max_len {
        return full;
    }
    let hash = format!("{:08x}", fold_to_32_bits(fnv1a_64(full.as_bytes())));
    let unique_len = unique.chars().count();
    if unique_len + HASH_LEN <= max_len {
        let keep = max_len - HASH_LEN - unique_len;
        let head: String = prefix.chars().take(keep).collect();
        return format!("{head}{hash}{unique}");
    }
    // `unique` alone is too long to keep whole; the hash still keeps distinct
    // inputs apart, so keep as much of the start as fits in front of it.
    let head_len = max_len.saturating_sub(HASH_LEN);
    let head: String = full.chars().take(head_len).collect();
    let tail: String = hash.chars().take(max_len - head_len).collect();
    format!("{head}{tail}")
}

/// FNV-1a, 64-bit: tiny, stable across platforms and releases, which is all a
/// name disambiguator needs (this is not a security boundary).
fn fnv1a_64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(PRIME)
    })
}

/// Mixes all 64 bits into the 32 that fit in 8 hex digits.
fn fold_to_32_bits(hash: u64) -> u32 {
    // Truncation to the low 32 bits is the point of the fold.
    ((hash >> 32) ^ hash) as u32
}

/// An EventBridge rule name: 1-64 of `[0-9A-Za-z_.-]` (PutRule's `Name`
/// pattern, `[\.\-_A-Za-z0-9]+`, EventBridge API reference).
pub fn event_rule_name(s: &str) -> Result<(), String> {
    check(s, "rule name", 1, 64, &SCHEDULER_CHARS)
}

/// An EventBridge target id: 1-64 of `[0-9A-Za-z_.-]` (Target's `Id`
/// pattern, EventBridge API reference).
pub fn event_target_id(s: &str) -> Result<(), String> {
    check(s, "target id", 1, 64, &SCHEDULER_CHARS)
}

const EVENT_BUS_CHARS: Charset = Charset {
    allows: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'),
    description: "letters, digits, \"_\", \".\", \"-\" and \"/\"",
};

/// An EventBridge event bus name (not an ARN): 1-256 of `[/\.\-_A-Za-z0-9]`
/// (PutRule's `EventBusName` pattern for a name, EventBridge API reference).
pub fn event_bus_name(s: &str) -> Result<(), String> {
    check(s, "event bus name", 1, 256, &EVENT_BUS_CHARS)
}

/// Lambda's own limit for a bare function name.
pub fn is_valid_function_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Versions are digits and aliases are names, but Lambda validates both with
/// one pattern, which also admits `$LATEST`.
pub fn is_valid_qualifier(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'$' || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(result: Result<(), String>) {
        if let Err(e) = result {
            panic!("unexpected error: {e}");
        }
    }

    fn err(result: Result<(), String>, fragment: &str) {
        match result {
            Ok(()) => panic!("expected an error containing {fragment:?}"),
            Err(e) => {
                assert!(e.contains(fragment), "{e:?} lacks {fragment:?}");
                assert!(!e.contains('\n'));
            }
        }
    }

    #[test]
    fn tags_follow_iam_rules() {
        ok(tag_key("team"));
        ok(tag_key("cost center/ops:a=b+c-d@e_f.g"));
        ok(tag_key("équipe"));
        ok(tag_key(&"k".repeat(128)));
        ok(tag_value(""));
        ok(tag_value("ops team"));
        ok(tag_value(&"v".repeat(256)));
        err(tag_key(""), "has 0 characters");
        err(tag_key(&"k".repeat(129)), "has 129 characters");
        err(tag_key("team;drop"), "contains ';'");
        err(tag_key("aws:cloudformation:stack-name"), "reserved for AWS");
        err(tag_key("AWS:x"), "reserved for AWS");
        err(tag_value("ops\",\"owner\":\"x"), "contains '\"'");
        err(tag_value("ops\nowner=x"), "contains '\\n'");
        err(tag_value("a\tb"), "contains '\\t'");
        err(tag_value(&"v".repeat(257)), "has 257 characters");
    }

    #[test]
    fn schedule_names() {
        ok(schedule_name("a"));
        ok(schedule_name("My_schedule.v2-prod"));
        ok(schedule_name(&"a".repeat(64)));
        err(
            schedule_name(""),
            "has 0 characters; it must be 1-64 characters",
        );
        err(schedule_name(&"a".repeat(65)), "has 65 characters");
        err(
            schedule_name("my schedule"),
            "contains ' '; only letters, digits, \"_\", \".\" and \"-\" are allowed",
        );
        err(schedule_name("a/b"), "contains '/'");
        err(schedule_name("a@b"), "contains '@'");
        err(schedule_name("café"), "contains 'é'");

        ok(schedule_name_prefix(""));
        ok(schedule_name_prefix("nightly-"));
        ok(schedule_name_prefix(&"p".repeat(38)));
        err(
            schedule_name_prefix(&"p".repeat(39)),
            "it must be at most 38 characters",
        );
        err(schedule_name_prefix("a+b"), "contains '+'");

        ok(schedule_group_name("default"));
        ok(schedule_group_name(&"g".repeat(64)));
        err(
            schedule_group_name(""),
            "schedule group name \"\" has 0 characters",
        );
        err(schedule_group_name(&"g".repeat(65)), "1-64 characters");
        err(schedule_group_name("a:b"), "contains ':'");
    }

    #[test]
    fn iam_role_names() {
        ok(iam_role_name("r"));
        ok(iam_role_name("Role_+=,.@-9"));
        ok(iam_role_name(&"r".repeat(64)));
        err(
            iam_role_name(""),
            "IAM role name \"\" has 0 characters; it must be 1-64",
        );
        err(iam_role_name(&"r".repeat(65)), "1-64 characters");
        err(
            iam_role_name("a/b"),
            "contains '/'; only letters, digits and \"_+=,.@-\" are allowed",
        );
        err(iam_role_name("a b"), "contains ' '");
        err(iam_role_name("rôle"), "contains 'ô'");

        ok(iam_role_name_prefix(""));
        ok(iam_role_name_prefix(&"r".repeat(38)));
        err(
            iam_role_name_prefix(&"r".repeat(39)),
            "at most 38 characters",
        );
        err(iam_role_name_prefix("a*"), "contains '*'");
    }

    #[test]
    fn iam_paths() {
        ok(iam_path("/"));
        ok(iam_path("/a/"));
        ok(iam_path("/service-role/"));
        ok(iam_path("/a/b/c/"));
        ok(iam_path("///"));
        ok(iam_path("/!~/"));
        ok(iam_path(&format!("/{}/", "p".repeat(510))));
        err(
            iam_path(&format!("/{}/", "p".repeat(511))),
            "has 513 characters",
        );
        err(
            iam_path(""),
            "has 0 characters; expected \"/\" or a path that starts and ends with \"/\"",
        );
        err(iam_path("//"), "starts and ends with");
        err(iam_path("a/"), "starts and ends with");
        err(iam_path("/a"), "starts and ends with");
        err(iam_path("service-role"), "starts and ends with");
        err(iam_path("/a b/"), "contains ' '");
        err(iam_path("/a\tb/"), "contains '\\t'");
        err(iam_path("/é/"), "contains 'é'");
    }

    #[test]
    fn descriptions() {
        ok(description("", 0));
        ok(description("", 512));
        ok(description(&"d".repeat(512), 512));
        err(
            description(&"d".repeat(513), 512),
            "has 513 characters; it must be at most 512",
        );
        // Four characters but eight bytes: characters are what count.
        ok(description("éééé", 4));
        err(description("ééééé", 4), "has 5 characters");
    }

    #[test]
    fn statement_ids() {
        ok(statement_id("AllowExecutionFromScheduler"));
        ok(statement_id("a-b_c"));
        ok(statement_id(&"s".repeat(100)));
        err(statement_id(""), "1-100 characters");
        err(statement_id(&"s".repeat(101)), "has 101 characters");
        err(
            statement_id("a.b"),
            "contains '.'; only letters, digits, \"_\" and \"-\" are allowed",
        );
    }

    #[test]
    fn fnv_reference_values() {
        // Published FNV-1a 64 test vectors pin the constants.
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn generated_name_fits_unchanged() {
        assert_eq!(generated_name("sched-", "role", 64), "sched-role");
        let p63 = "p".repeat(59);
        assert_eq!(generated_name(&p63, "-abc", 64), format!("{p63}-abc"));
        let p64 = "p".repeat(60);
        assert_eq!(generated_name(&p64, "-abc", 64), format!("{p64}-abc"));
        assert_eq!(generated_name("", "", 64), "");
    }

    #[test]
    fn generated_name_truncates_at_65() {
        let p65 = "p".repeat(61);
        let name = generated_name(&p65, "-abc", 64);
        assert_eq!(name.chars().count(), 64);
        assert!(name.starts_with(&"p".repeat(52)), "{name}");
        assert!(name.ends_with("-abc"), "{name}");
        let hash = &name[52..60];
        assert!(
            hash.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "{name}"
        );
        // Stable across calls, and valid as an IAM role name.
        assert_eq!(generated_name(&p65, "-abc", 64), name);
        ok(iam_role_name(&name));
        // Long names differing only in the cut-off part still differ.
        let other = format!("{}q", "p".repeat(60));
        let other_name = generated_name(&other, "-abc", 64);
        assert_eq!(other_name.chars().count(), 64);
        assert_eq!(other_name[..52], name[..52]);
        assert_ne!(other_name, name);
        // The hash covers the full string: prefix/unique boundary matters.
        assert_ne!(
            generated_name(&"p".repeat(62), "-ab", 64),
            generated_name(&"p".repeat(61), "p-ab", 64)
        );
    }

    #[test]
    fn generated_name_long_unique_and_tiny_limits() {
        let unique = "u".repeat(60);
        let name = generated_name("prefix-", &unique, 64);
        assert_eq!(name.chars().count(), 64);
        assert!(name.starts_with("prefix-"));
        assert_eq!(generated_name("prefix-", &unique, 64), name);
        for max_len in 0..=9 {
            let name = generated_name("abcdef", "ghij", max_len);
            assert_eq!(name.chars().count(), max_len, "{name}");
        }
        // Characters, not bytes, are counted and cut.
        let name = generated_name(&"é".repeat(70), "", 64);
        assert_eq!(name.chars().count(), 64);
        assert!(name.starts_with(&"é".repeat(56)));
    }

    #[test]
    fn organization_ids_and_external_ids() {
        assert!(organization_id("o-a1b2c3d4e5").is_ok());
        assert!(organization_id(&format!("o-{}", "a".repeat(32))).is_ok());
        for bad in [
            "o-a1b2c3d4e",
            "o-A1B2C3D4E5",
            "a1b2c3d4e5",
            &format!("o-{}", "a".repeat(33)),
        ] {
            assert!(organization_id(bad).is_err(), "{bad}");
        }
        assert!(sts_external_id("ab").is_ok());
        assert!(sts_external_id("Az09_+=,.@:/-").is_ok());
        assert!(sts_external_id(&"x".repeat(1224)).is_ok());
        for bad in ["a", "has space", "semi;colon", "ünï", &"x".repeat(1225)] {
            let why = sts_external_id(bad).expect_err(bad);
            assert!(!why.contains(&format!("{bad:?}")), "never quoted: {why}");
        }
    }
}

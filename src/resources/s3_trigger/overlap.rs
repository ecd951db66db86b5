//! Layer: pure. When two entries of one bucket's notification configuration
//! overlap, which S3 refuses: "Amazon S3 doesn't allow overlapping
//! prefixes or suffixes when they are for the same event type" — two
//! entries overlap when they share an event type (a wildcard type such as
//! `s3:ObjectCreated:*` shares every type under it), their prefixes
//! overlap (one begins the other; none is the empty prefix) and their
//! suffixes overlap (one ends the other)
//! (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html).

use crate::aws::s3::AnyEntry;

/// Whether two event types name a common event: equal, or one is the
/// wildcard of the other's family (`s3:ObjectCreated:*`, `s3:ObjectCreated:Put`).
pub fn events_meet(a: &str, b: &str) -> bool {
    let family = |e: &str| e.strip_suffix('*').map(str::to_string);
    a == b
        || family(a).is_some_and(|f| b.starts_with(&f))
        || family(b).is_some_and(|f| a.starts_with(&f))
}

/// Whether two optional key filters can match one key: a missing filter
/// matches every key, two prefixes meet when one begins the other (`meet`
/// is `starts_with` for prefixes, `ends_with` for suffixes).
fn filters_meet(a: Option<&str>, b: Option<&str>, meet: fn(&str, &str) -> bool) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => meet(a, b) || meet(b, a),
        _ => true,
    }
}

/// Whether S3 would refuse `a` and `b` in one configuration.
pub fn overlaps(a: &AnyEntry, b: &AnyEntry) -> bool {
    let shared = a
        .events
        .iter()
        .any(|x| b.events.iter().any(|y| events_meet(x, y)));
    shared
        && filters_meet(a.prefix.as_deref(), b.prefix.as_deref(), |x, y| {
            x.starts_with(y)
        })
        && filters_meet(a.suffix.as_deref(), b.suffix.as_deref(), |x, y| {
            x.ends_with(y)
        })
}

/// The first entry of `others`, of another id than `ours`, that `ours`
/// overlaps.
pub fn first_overlap<'a>(ours: &AnyEntry, others: &'a [AnyEntry]) -> Option<&'a AnyEntry> {
    others.iter().find(|o| o.id != ours.id && overlaps(ours, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(events: &[&str], prefix: Option<&str>, suffix: Option<&str>) -> AnyEntry {
        AnyEntry {
            id: "x".into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            prefix: prefix.map(str::to_string),
            suffix: suffix.map(str::to_string),
        }
    }

    #[test]
    fn the_overlap_table() {
        let all = "s3:ObjectCreated:*";
        let put = "s3:ObjectCreated:Put";
        let copy = "s3:ObjectCreated:Copy";
        let removed = "s3:ObjectRemoved:*";
        #[rustfmt::skip]
        let table: &[(AnyEntry, AnyEntry, bool)] = &[
            // Event types.
            (entry(&[all], None, None), entry(&[all], None, None), true),
            (entry(&[all], None, None), entry(&[put], None, None), true),
            (entry(&[put], None, None), entry(&[all], None, None), true),
            (entry(&[put], None, None), entry(&[copy], None, None), false),
            (entry(&[all], None, None), entry(&[removed], None, None), false),
            (entry(&[put, removed], None, None), entry(&["s3:ObjectRemoved:Delete"], None, None), true),
            // Prefixes, with one event type shared.
            (entry(&[all], Some("images/"), None), entry(&[all], Some("logs/"), None), false),
            (entry(&[all], Some("images/"), None), entry(&[all], Some("images/thumbs/"), None), true),
            (entry(&[all], Some("images/"), None), entry(&[all], None, None), true),
            // Suffixes.
            (entry(&[all], None, Some(".jpg")), entry(&[all], None, Some(".png")), false),
            (entry(&[all], None, Some(".jpg")), entry(&[all], None, Some("thumb.jpg")), true),
            (entry(&[all], None, Some(".jpg")), entry(&[all], None, None), true),
            // Both: apart in either is apart.
            (entry(&[all], Some("a/"), Some(".jpg")), entry(&[all], Some("b/"), Some(".jpg")), false),
            (entry(&[all], Some("a/"), Some(".jpg")), entry(&[all], Some("a/"), Some(".png")), false),
            (entry(&[all], Some("a/"), Some(".jpg")), entry(&[all], Some("a/x/"), None), true),
            // Filters apart, but no event in common anyway.
            (entry(&[put], Some("a/"), None), entry(&[copy], Some("a/"), None), false),
        ];
        for (a, b, want) in table {
            assert_eq!(overlaps(a, b), *want, "{a:?} vs {b:?}");
            assert_eq!(overlaps(b, a), *want, "symmetric: {b:?} vs {a:?}");
        }
    }

    #[test]
    fn the_entry_itself_is_never_its_own_overlap() {
        let ours = entry(&["s3:ObjectCreated:*"], None, None);
        let same_id = ours.clone();
        let other = AnyEntry {
            id: "queue".into(),
            ..ours.clone()
        };
        assert_eq!(first_overlap(&ours, &[same_id]), None);
        assert_eq!(
            first_overlap(&ours, std::slice::from_ref(&other)),
            Some(&other)
        );
    }
}

//! Layer: pure (no I/O). Plans the AddPermission/RemovePermission calls that
//! replace one policy statement with another without a gap in access.
//!
//! Lambda has no "update statement" call, and a statement id is unique within a
//! policy, so changing a statement in place would otherwise mean remove-then-add
//! and a window where invocations are denied.

/// Every `Add` carries the new arguments; every `Remove` deletes by id only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// AddPermission with the new statement's arguments.
    Add {
        /// The id it is added under: the new statement's, or the temporary one.
        statement_id: String,
    },
    /// RemovePermission.
    Remove {
        /// The id removed: the old statement's, or the temporary one.
        statement_id: String,
    },
}

use crate::validate::names::STATEMENT_ID_MAX;
const TEMP_SUFFIX: &str = "-lwtmp";
/// Used only when the id already ends in the usual suffix at maximum length.
const TEMP_SUFFIX_ALT: &str = "-lwtmq";

/// The ordered AddPermission/RemovePermission calls to move from the old
/// statement to the new one without a moment where neither grants access.
/// When the statement id is unchanged, add a temporary statement (id derived
/// from the old id), remove the old, re-add under the fixed id, remove the
/// temporary.
pub fn update_steps(old_sid: &str, new_sid: &str) -> Vec<Step> {
    let add = |sid: &str| Step::Add {
        statement_id: sid.to_string(),
    };
    let remove = |sid: &str| Step::Remove {
        statement_id: sid.to_string(),
    };
    if old_sid != new_sid {
        return vec![add(new_sid), remove(old_sid)];
    }
    let temp = temporary_statement_id(old_sid);
    vec![add(&temp), remove(old_sid), add(old_sid), remove(&temp)]
}

/// The update's calls when an earlier update failed after removing the prior
/// statement, so the grant stands only under the temporary id: the new
/// statement is added before the temporary one goes. Removing the temporary
/// statement first (as a sweep would) leaves a moment with no grant.
pub fn recovery_steps(old_sid: &str, new_sid: &str) -> Vec<Step> {
    vec![
        Step::Add {
            statement_id: new_sid.to_string(),
        },
        Step::Remove {
            statement_id: temporary_statement_id(old_sid),
        },
    ]
}

/// What undoes an update that failed at step `failed` (0-based): while no
/// removal has happened the prior statement still grants access, so each
/// statement this update added is removed again and the policy is back to
/// what the state records. Once a removal succeeded, removing the added
/// statement would leave a gap, so nothing is undone; what remains is swept
/// by the next apply or destroy (temporary ids are derived from the id).
pub fn rollback_steps(steps: &[Step], failed: usize) -> Vec<Step> {
    let done = &steps[..failed.min(steps.len())];
    if done.iter().any(|s| matches!(s, Step::Remove { .. })) {
        return Vec::new();
    }
    done.iter()
        .rev()
        .map(|s| match s {
            Step::Add { statement_id } | Step::Remove { statement_id } => Step::Remove {
                statement_id: statement_id.clone(),
            },
        })
        .collect()
}

/// Whether `sid` has the shape of a temporary statement id: such ids are
/// this provider's own, so a configuration may not choose one.
pub fn is_temporary_statement_id(sid: &str) -> bool {
    sid.ends_with(TEMP_SUFFIX) || sid.ends_with(TEMP_SUFFIX_ALT)
}

/// Deterministic so that a retry after a crash finds (and cleans up) the
/// temporary statement an earlier attempt left behind. Always a valid
/// statement id (1-100 of `[A-Za-z0-9_-]`) and never equal to `sid`.
pub fn temporary_statement_id(sid: &str) -> String {
    let stem: String = sid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(STATEMENT_ID_MAX - TEMP_SUFFIX.len())
        .collect();
    let candidate = format!("{stem}{TEMP_SUFFIX}");
    if candidate == sid {
        format!("{stem}{TEMP_SUFFIX_ALT}")
    } else {
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn add(s: &str) -> Step {
        Step::Add {
            statement_id: s.to_string(),
        }
    }

    fn remove(s: &str) -> Step {
        Step::Remove {
            statement_id: s.to_string(),
        }
    }

    #[test]
    fn a_failure_before_any_removal_is_undone_and_after_one_is_not() {
        let same = update_steps("s", "s");
        assert_eq!(rollback_steps(&same, 0), vec![]);
        assert_eq!(rollback_steps(&same, 1), vec![remove("s-lwtmp")]);
        assert_eq!(rollback_steps(&same, 2), vec![]);
        assert_eq!(rollback_steps(&same, 3), vec![]);
        let renamed = update_steps("old", "new");
        assert_eq!(rollback_steps(&renamed, 1), vec![remove("new")]);
        assert_eq!(rollback_steps(&renamed, 2), vec![]);
        assert_eq!(rollback_steps(&renamed, 9), vec![]);
    }

    /// Applies steps to a policy of sid -> grant version, asserting after every
    /// prefix that some statement still grants access, and returns the result.
    fn simulate(old_sid: &str, steps: &[Step]) -> BTreeMap<String, &'static str> {
        simulate_from(BTreeMap::from([(old_sid.to_string(), "old")]), steps)
    }

    fn simulate_from(
        mut policy: BTreeMap<String, &'static str>,
        steps: &[Step],
    ) -> BTreeMap<String, &'static str> {
        for (i, step) in steps.iter().enumerate() {
            match step {
                Step::Add { statement_id } => {
                    let previous = policy.insert(statement_id.clone(), "new");
                    assert!(
                        previous.is_none(),
                        "step {i} re-adds existing {statement_id}"
                    );
                }
                Step::Remove { statement_id } => {
                    let previous = policy.remove(statement_id);
                    assert!(previous.is_some(), "step {i} removes absent {statement_id}");
                }
            }
            assert!(!policy.is_empty(), "no grant after step {i}: {steps:?}");
        }
        policy
    }

    #[test]
    fn renamed_statement_adds_before_removing() {
        let steps = update_steps("old-id", "new-id");
        assert_eq!(steps, vec![add("new-id"), remove("old-id")]);
        let end = simulate("old-id", &steps);
        assert_eq!(end, BTreeMap::from([("new-id".to_string(), "new")]));
    }

    #[test]
    fn same_id_goes_through_a_temporary() {
        let temp = temporary_statement_id("AllowS3");
        let steps = update_steps("AllowS3", "AllowS3");
        assert_eq!(
            steps,
            vec![add(&temp), remove("AllowS3"), add("AllowS3"), remove(&temp)]
        );
        let end = simulate("AllowS3", &steps);
        assert_eq!(end, BTreeMap::from([("AllowS3".to_string(), "new")]));
    }

    #[test]
    fn every_prefix_keeps_a_grant_for_many_ids() {
        let long = "x".repeat(100);
        let ends_with_suffix = format!("{}{TEMP_SUFFIX}", "y".repeat(94));
        for (old, new) in [
            ("a", "a"),
            ("a", "b"),
            (long.as_str(), long.as_str()),
            (ends_with_suffix.as_str(), ends_with_suffix.as_str()),
            ("a", temporary_statement_id("a").as_str()),
        ] {
            let end = simulate(old, &update_steps(old, new));
            assert_eq!(end.keys().collect::<Vec<_>>(), vec![new], "{old} -> {new}");
        }
    }

    #[test]
    fn recovery_from_a_grant_left_under_the_temporary_id_never_leaves_a_gap() {
        for (old, new) in [("a", "a"), ("a", "b")] {
            let left = BTreeMap::from([(temporary_statement_id(old), "old")]);
            let steps = recovery_steps(old, new);
            let end = simulate_from(left.clone(), &steps);
            assert_eq!(end.keys().collect::<Vec<_>>(), vec![new], "{old} -> {new}");
            // The sweep-first order the update used before lost the grant.
            let mut swept = vec![remove(&temporary_statement_id(old))];
            swept.extend(update_steps(old, new));
            let gap = std::panic::catch_unwind(|| simulate_from(left.clone(), &swept));
            assert!(
                gap.is_err(),
                "{old} -> {new}: sweeping first leaves no grant"
            );
            // A failure of the last step is undone: the temporary statement
            // keeps granting what the prior state says.
            assert_eq!(rollback_steps(&steps, 1), vec![remove(new)]);
        }
    }

    #[test]
    fn temporary_ids_are_valid_and_distinct() {
        let long = "z".repeat(100);
        let at_limit_with_suffix = format!("{}{TEMP_SUFFIX}", "q".repeat(94));
        for sid in [
            "AllowS3",
            "a",
            "",
            long.as_str(),
            at_limit_with_suffix.as_str(),
            "bad id!",
        ] {
            let t = temporary_statement_id(sid);
            assert_ne!(t, sid);
            assert!((1..=STATEMENT_ID_MAX).contains(&t.len()), "{t}");
            assert!(
                t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                "{t}"
            );
            assert_eq!(t, temporary_statement_id(sid), "deterministic");
        }
        assert_eq!(temporary_statement_id("AllowS3"), "AllowS3-lwtmp");
        assert_eq!(temporary_statement_id(&long).len(), 100);
    }
}

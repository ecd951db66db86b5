//! Any text through the schedule-expression parser: no panic, and an error
//! is one line (it becomes a diagnostic's detail).
#![no_main]

use lambdawire::validate::schedule_expression::parse_schedule_expression;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(message) = parse_schedule_expression(text) {
        assert!(!message.contains('\n'), "{text:?}: {message:?}");
    }
});

//! Untrusted metadata documents: the strict parser, every validation rule, and rendering the
//! result for a terminal must never panic, and what validates must validate again unchanged.
#![no_main]

use dcrctl::output::sanitize::sanitize;
use dcrctl::registration::{parse_document, validate, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = parse_document(data) else {
        return;
    };
    let policy = Policy::default();
    if let Ok(valid) = validate(&doc, &policy) {
        let again = validate(valid.doc(), &policy).expect("an effective document stays valid");
        assert_eq!(again.doc(), valid.doc());
    }
    for value in doc.values() {
        if let Some(text) = value.as_str() {
            let shown = sanitize(text);
            assert!(!shown.chars().any(char::is_control));
        }
    }
});

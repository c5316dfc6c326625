//! Untrusted metadata documents: the strict parser, every validation rule, and rendering the
//! result for a terminal must never panic, and what validates must validate again unchanged
//! and read back unchanged as `export` writes it.
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
        // What validates comes back in as `export` writes it, with the longest client_id.
        let mut exported = serde_json::Map::new();
        exported.insert("client_id".into(), "i".repeat(128).into());
        exported.extend(valid.doc().clone());
        let text = serde_json::to_vec(&exported).expect("JSON");
        let mut back = parse_document(&text).expect("an exported document parses");
        back.shift_remove("client_id");
        assert_eq!(&back, valid.doc());
    }
    for value in doc.values() {
        if let Some(text) = value.as_str() {
            let shown = sanitize(text);
            assert!(!shown.chars().any(char::is_control));
        }
    }
});

//! Make untrusted text safe to print on a terminal.
//!
//! Client names can come from anyone on the internet once `serve` runs. Printed raw, an ESC
//! sequence could retitle the window, rewrite earlier lines or set the clipboard (OSC 52), and
//! a bidi override could make one id look like another. Every table cell passes through
//! [`sanitize`], which escapes C0/C1 controls, DEL, bidi controls, zero-width and tag
//! characters as `\u{…}` (and `\` itself, so the escaping cannot be forged).

use std::borrow::Cow;
use std::fmt::Write;

fn needs_escape(c: char) -> bool {
    c.is_control()
        || c == '\\'
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// `text` with every dangerous character escaped; borrowed when nothing needed escaping.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            sanitize("Acme Ünïcode app"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escapes_terminal_attacks() {
        assert_eq!(
            sanitize("a\x1b]52;c;ZXZpbA==\x07b"),
            "a\\u{1b}]52;c;ZXZpbA==\\u{7}b"
        );
        assert_eq!(sanitize("x\ny\r\t"), "x\\u{a}y\\u{d}\\u{9}");
        assert_eq!(sanitize("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(sanitize("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(sanitize("zero\u{200B}width"), "zero\\u{200b}width");
        assert_eq!(sanitize("a\\u{1b}"), "a\\\\u{1b}");
        assert_eq!(sanitize("del\x7f"), "del\\u{7f}");
    }
}

//! Make untrusted text safe to print on a terminal.
//!
//! Client names can come from anyone on the internet once `serve` runs. Printed raw, an ESC
//! sequence could retitle the window, rewrite earlier lines or set the clipboard (OSC 52);
//! a bidi override could make one id look like another, and an invisible character
//! (`Billing\u{ad}` shows exactly as `Billing`) could make two names look the same. Every
//! table cell passes through [`sanitize`], which escapes as `\u{…}` every control (C0, C1,
//! DEL), the line and paragraph separators, and every code point that is a format character
//! (general category Cf: bidi controls, zero-width characters, tags, soft hyphen…) or
//! Default_Ignorable_Code_Point (variation selectors, Hangul fillers, the combining grapheme
//! joiner…), and `\` itself, so the escaping cannot be forged.

use std::borrow::Cow;
use std::fmt::Write;

fn needs_escape(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control() || c == '\\';
    }
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_invisible(c)
}

/// Whether `c` is a format character (Cf) or a Default_Ignorable_Code_Point.
fn is_invisible(c: char) -> bool {
    INVISIBLE
        .binary_search_by(|&(first, last)| {
            if last < c {
                std::cmp::Ordering::Less
            } else if first > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The union of General_Category=Cf and Default_Ignorable_Code_Point, as sorted, disjoint,
/// merged inclusive ranges. Generated from the Unicode Character Database 15.0.0
/// (`extracted/DerivedGeneralCategory.txt`, `Cf`; `DerivedCoreProperties.txt`,
/// `Default_Ignorable_Code_Point`; Debian's `unicode-data` package installs both under
/// `/usr/share/unicode/`) by reading every `first..last ; property` line of the two files,
/// sorting and merging adjacent ranges. Default_Ignorable_Code_Point already reserves whole
/// blocks for future invisible characters (U+2060–U+206F, U+FFF0–U+FFF8, U+E0000–U+E0FFF), so
/// characters added there by later Unicode versions are covered too.
const INVISIBLE: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),
    ('\u{034F}', '\u{034F}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{115F}', '\u{1160}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180F}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{206F}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFA0}', '\u{FFA0}'),
    ('\u{FFF0}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0000}', '\u{E0FFF}'),
];

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
    use super::{needs_escape, sanitize, INVISIBLE};

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

    #[test]
    fn escapes_format_and_default_ignorable_characters() {
        // The examples, then one of each kind: Cf only (U+0600, U+FFFB, U+110BD),
        // Default_Ignorable only (U+3164, U+FFA0, U+1D173), both, an unassigned code point
        // in a block reserved as default-ignorable, and the ends of every range.
        for (c, escaped) in [
            ('\u{ad}', "\\u{ad}"),
            ('\u{34f}', "\\u{34f}"),
            ('\u{180e}', "\\u{180e}"),
            ('\u{fe0f}', "\\u{fe0f}"),
            ('\u{3164}', "\\u{3164}"),
            ('\u{115f}', "\\u{115f}"),
            ('\u{600}', "\\u{600}"),
            ('\u{fffb}', "\\u{fffb}"),
            ('\u{110bd}', "\\u{110bd}"),
            ('\u{ffa0}', "\\u{ffa0}"),
            ('\u{1d173}', "\\u{1d173}"),
            ('\u{2064}', "\\u{2064}"),
            ('\u{2065}', "\\u{2065}"),
            ('\u{e0fff}', "\\u{e0fff}"),
            ('\u{2028}', "\\u{2028}"),
        ] {
            assert_eq!(
                sanitize(&format!("Billing{c}")),
                format!("Billing{escaped}")
            );
        }
        for &(first, last) in INVISIBLE {
            assert!(first <= last);
            for c in [first, last] {
                assert!(needs_escape(c), "{c:?}");
            }
        }
        assert!(INVISIBLE.windows(2).all(|w| w[0].1 < w[1].0));
        // Visible neighbours stay as they are.
        for c in [
            '\u{ac}', '\u{ae}', '\u{34e}', '\u{350}', '\u{3163}', '\u{3165}', 'é', '😀', '€',
        ] {
            assert!(!needs_escape(c), "{c:?}");
        }
        assert_eq!(sanitize("Acme\u{a0}app ©"), "Acme\u{a0}app ©");
    }
}

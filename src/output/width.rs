//! The one width rule every table follows.
//!
//! On a terminal a table is made to fit the window: cells that may shrink (names, URIs,
//! details) are cut with `…`, while ids and times stay whole, and credentials are never in a
//! table at all (see [`super::table::write_credentials`]). `COLUMNS`, when it is a positive
//! number, overrides the size the terminal reports, as `ls` and most CLIs let it. When stdout
//! is not a terminal nothing is cut: a pipe or a file gets every cell whole.

use std::borrow::Cow;
use std::io::IsTerminal;
use unicode_width::UnicodeWidthChar;

/// The width tables on stdout must fit, or `None` when they must not be cut (stdout is not a
/// terminal).
pub fn stdout_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS").ok();
    chosen_width(
        columns.as_deref(),
        terminal_size::terminal_size().map(|(width, _)| usize::from(width.0)),
    )
}

/// `COLUMNS` when it is a positive number, else what the terminal says.
fn chosen_width(columns: Option<&str>, terminal: Option<usize>) -> Option<usize> {
    columns
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|&width| width > 0)
        .or(terminal.filter(|&width| width > 0))
}

/// How many terminal columns `text` takes.
pub fn display_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` cut to at most `width` columns, its end replaced by `…` when cut.
pub fn truncate(text: &str, width: usize) -> Cow<'_, str> {
    if display_width(text) <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_overrides_the_terminal_when_it_is_a_positive_number() {
        assert_eq!(chosen_width(Some("100"), Some(80)), Some(100));
        assert_eq!(chosen_width(Some("0"), Some(80)), Some(80));
        assert_eq!(chosen_width(Some("wide"), Some(80)), Some(80));
        assert_eq!(chosen_width(None, Some(80)), Some(80));
        assert_eq!(chosen_width(None, None), None);
    }

    #[test]
    fn truncation_counts_terminal_columns_and_marks_the_cut() {
        assert_eq!(truncate("billing", 7), "billing");
        assert_eq!(truncate("billing", 5), "bill…");
        assert_eq!(truncate("日本語の名前", 7), "日本語…");
        assert_eq!(display_width(&truncate("日本語の名前", 6)), 5);
        assert_eq!(truncate("abc", 1), "…");
    }
}

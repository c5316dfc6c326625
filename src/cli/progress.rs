//! Progress bars for long runs (`apply`, `prune`, `export`): on stderr, only when stderr is a
//! terminal, `-q` is not given, the output is a table and the run is long enough to be worth watching. Scripts
//! and JSON consumers never see them.

use super::Ctx;
use crate::output::Format;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Runs shorter than this many items get no bar.
const MIN_ITEMS: u64 = 1000;

/// A bar for `total` items, or a hidden one when a bar would only be noise.
pub(crate) fn bar(ctx: &Ctx, total: u64, what: &str) -> ProgressBar {
    if total < MIN_ITEMS || !shown(ctx) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let template = format!("{what} {{bar:40}} {{pos}}/{{len}} ({{eta}} left)");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// A running count for work whose total is not known up front.
pub(crate) fn counter(ctx: &Ctx, what: &str) -> ProgressBar {
    if !shown(ctx) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    let template = format!("{{spinner}} {what}: {{pos}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// Whether progress may be drawn: a table on a terminal's stderr, and no `-q`.
fn shown(ctx: &Ctx) -> bool {
    ctx.format == Format::Table && !ctx.quiet && std::io::stderr().is_terminal()
}

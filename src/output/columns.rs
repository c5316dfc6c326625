//! Tables that stream and fit: columns sized to the content of the first rows, then cut to
//! the terminal's width by each column's [`Fit`] (see [`super::width`] for when there is a
//! width at all).

use super::width::{display_width, truncate};
use std::io::{self, Write};

/// How a column behaves when its table is wider than the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never cut: times and short codes.
    Whole,
    /// Ids: whole while the other columns can give room; then, rather than overflow the
    /// terminal (a chosen id can be 200 characters), cut with `…`, first down to
    /// [`ID_FLOOR`] and only when nothing else can give, further.
    Id,
    /// Cut with `…` when needed, lower ranks first, each down to `min` columns before the
    /// next is touched.
    Shrink {
        /// Which shrinks first (lowest first).
        rank: u8,
        /// The width it keeps while other columns can still give room.
        min: usize,
    },
}

/// A column of a [`StreamTable`].
#[derive(Debug, Clone)]
pub struct Column {
    /// Its header.
    pub header: String,
    /// How it fits the terminal.
    pub fit: Fit,
}

impl Column {
    /// A column that is never cut.
    pub fn whole(header: &str) -> Self {
        Column {
            header: header.to_owned(),
            fit: Fit::Whole,
        }
    }

    /// An id column: cut only when nothing else can give (see [`Fit::Id`]).
    pub fn id(header: &str) -> Self {
        Column {
            header: header.to_owned(),
            fit: Fit::Id,
        }
    }

    /// A column cut when the table is too wide, `rank` 0 first.
    pub fn shrink(header: &str, rank: u8, min: usize) -> Self {
        Column {
            header: header.to_owned(),
            fit: Fit::Shrink { rank, min },
        }
    }
}

/// How wide an id column stays while other columns can still give room: a generated client
/// id whole (see [`crate::credentials::new_client_id`]).
pub const ID_FLOOR: usize = 30;

/// The narrowest an id column is cut to, however narrow the terminal.
const ID_LAST: usize = 8;

/// Widths for columns naturally `natural` wide so that the table (two spaces between
/// columns) fits `width`. Room is taken in steps, each only while the table is still too
/// wide: shrinkable columns down to their minimum (in rank order), ids down to [`ID_FLOOR`]
/// (widest first), shrinkable columns down to one column, ids down to [`ID_LAST`]. Whole
/// columns never shrink, so only a table of many whole columns may still overflow.
fn fit_widths(natural: &[usize], columns: &[Column], width: Option<usize>) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let Some(width) = width else {
        return widths;
    };
    let mut shrinkable: Vec<usize> = (0..columns.len())
        .filter(|&i| matches!(columns[i].fit, Fit::Shrink { .. }))
        .collect();
    shrinkable.sort_by_key(|&i| match columns[i].fit {
        Fit::Shrink { rank, .. } => rank,
        Fit::Whole | Fit::Id => u8::MAX,
    });
    let mut ids: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].fit == Fit::Id)
        .collect();
    ids.sort_by_key(|&i| std::cmp::Reverse(natural[i]));
    // Each step: the columns it takes room from, and how narrow it lets each get (`None`:
    // the column's own minimum).
    let steps = [
        (&shrinkable, None),
        (&ids, Some(ID_FLOOR)),
        (&shrinkable, Some(1)),
        (&ids, Some(ID_LAST)),
    ];
    let total =
        |widths: &[usize]| widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    for (order, floor) in steps {
        for &i in order.iter() {
            let excess = total(&widths).saturating_sub(width);
            if excess == 0 {
                return widths;
            }
            let floor = match (floor, columns[i].fit) {
                (Some(floor), _) => floor,
                (None, Fit::Shrink { min, .. }) => min,
                (None, Fit::Whole | Fit::Id) => 1,
            }
            .min(widths[i]);
            widths[i] -= excess.min(widths[i] - floor);
        }
    }
    widths
}

/// How many rows a [`StreamTable`] measures before it prints: enough to size the columns to
/// their content, few enough to keep a listing of any length in constant memory.
const MEASURED_ROWS: usize = 256;

/// A table of single-line cells (already sanitized) that streams: its columns are sized to
/// the content of the first rows (and the headers), then every row is printed as it comes,
/// left-aligned two spaces apart, the last column unpadded. On a terminal (`width`) the
/// columns fit it by [`Fit`]; a later cell longer than its column is cut there, or, when it
/// may not be, shifts its own row.
#[derive(Debug)]
pub struct StreamTable<W: Write> {
    out: W,
    columns: Vec<Column>,
    width: Option<usize>,
    pending: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
}

impl<W: Write> StreamTable<W> {
    /// A table with these columns, fitted to `width` (see [`super::width::stdout_width`]).
    pub fn new(out: W, columns: Vec<Column>, width: Option<usize>) -> Self {
        StreamTable {
            out,
            columns,
            width,
            pending: Vec::new(),
            widths: None,
        }
    }

    /// Add one row, as many cells as columns.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn push(&mut self, row: Vec<String>) -> io::Result<()> {
        match &self.widths {
            Some(widths) => write_row(&mut self.out, widths, self.width.is_some(), &row),
            None => {
                self.pending.push(row);
                if self.pending.len() >= MEASURED_ROWS {
                    self.start()?;
                }
                Ok(())
            }
        }
    }

    /// Size the columns on what was seen, print the header and the rows held so far.
    fn start(&mut self) -> io::Result<()> {
        let header: Vec<String> = self.columns.iter().map(|c| c.header.clone()).collect();
        let mut natural: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
        for row in &self.pending {
            for (max, cell) in natural.iter_mut().zip(row) {
                *max = (*max).max(display_width(cell));
            }
        }
        let widths = fit_widths(&natural, &self.columns, self.width);
        let cut = self.width.is_some();
        write_row(&mut self.out, &widths, cut, &header)?;
        for row in std::mem::take(&mut self.pending) {
            write_row(&mut self.out, &widths, cut, &row)?;
        }
        self.widths = Some(widths);
        Ok(())
    }

    /// Give up: what is held is dropped, not printed.
    pub fn abandon(self) -> W {
        self.out
    }

    /// Print what is held and flush.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn finish(mut self) -> io::Result<W> {
        if self.widths.is_none() {
            self.start()?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_row(out: &mut impl Write, widths: &[usize], cut: bool, row: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, &width)) in row.iter().zip(widths).enumerate() {
        let text = if cut {
            truncate(cell, width)
        } else {
            cell.into()
        };
        line.push_str(&text);
        if i + 1 < row.len() {
            let pad = width.saturating_sub(display_width(&text)) + 2;
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    writeln!(out, "{line}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::table::list_columns;

    #[test]
    fn narrow_terminals_cut_shrinkable_columns_in_rank_order() {
        let columns = list_columns();
        let natural = [30, 10, 4, 19, 30];
        assert_eq!(fit_widths(&natural, &columns, None), natural);
        assert_eq!(fit_widths(&natural, &columns, Some(200)), natural);
        // 30+10+4 whole and 8 between: 28 left, the name first down to 12, then the method.
        assert_eq!(
            fit_widths(&natural, &columns, Some(80)),
            [30, 10, 4, 16, 12]
        );
        // Then below their minimums, the name first.
        assert_eq!(fit_widths(&natural, &columns, Some(62)), [30, 10, 4, 9, 1]);
        let at40 = fit_widths(&natural, &columns, Some(40));
        assert_eq!(at40, [16, 10, 4, 1, 1], "then the id, rather than overflow");
    }

    #[test]
    fn a_long_id_is_cut_before_the_names_are_lost() {
        let columns = list_columns();
        // A 54-character chosen id at 80 columns: the name and method at their minimums,
        // and the id cut to what is left, rather than the row running past the terminal.
        let natural = [54, 10, 3, 19, 40];
        let at80 = fit_widths(&natural, &columns, Some(80));
        assert_eq!(at80, [35, 10, 3, 12, 12]);
        assert_eq!(at80.iter().sum::<usize>() + 2 * 4, 80);
    }

    #[test]
    fn streamed_tables_size_columns_to_content_and_cut_only_on_a_terminal() {
        let columns = vec![Column::whole("ID"), Column::shrink("NOTE", 0, 4)];
        let rows = [["a-long-identifier", "a note that is long"], ["b", "x"]];
        let render = |width| {
            let mut table = StreamTable::new(Vec::new(), columns.clone(), width);
            for row in rows {
                table.push(row.map(str::to_owned).to_vec()).unwrap();
            }
            String::from_utf8(table.finish().unwrap()).unwrap()
        };
        assert_eq!(
            render(None),
            "ID                 NOTE\na-long-identifier  a note that is long\nb                  x\n"
        );
        assert_eq!(
            render(Some(28)),
            "ID                 NOTE\na-long-identifier  a note t…\nb                  x\n"
        );
    }
}

//! Printing a new secret or token around the commit of its transaction.
//!
//! Two guarantees pull in opposite directions: a credential must never be stored that could
//! not be shown ([`crate::ops::Deliver`]: it is printed before the commit, and a failed write
//! rolls the change back), and what was printed must never look like a success when the
//! commit then fails (a full disk, an I/O error). So the output is written in two parts:
//!
//! 1. before the commit, all of it but its last bytes — with `-o json` the closing `}` and
//!    newline, in a table the final newline — and flushed. The credential is in this part, so
//!    a write that fails (a reader gone, a full disk) still rolls everything back;
//! 2. after the commit, those last bytes.
//!
//! When the commit fails, the second part is never written: stdout holds a JSON document
//! without its closing brace, which no JSON parser accepts, and stderr says that nothing was
//! stored and the credentials above are void. Only the few held bytes are written after the
//! commit; should even they fail (the reader left in that instant), the change stands and the
//! error says so. The README states this contract under "JSON output and exit codes".

use super::Ctx;
use crate::output::Format;
use std::io::{self, BufWriter, Write};

/// One credential-bearing output, written around a commit; see the module doc.
#[derive(Debug, Default)]
pub(crate) struct Delivery {
    /// The held-back end, once the rest is out; `None` until then.
    held: Option<Vec<u8>>,
    /// Why the output was refused before anything was written (see [`Delivery::refusal`]).
    refused: Option<String>,
}

/// The kind of I/O error that marks a [`Delivery::refusal`].
const REFUSED: io::ErrorKind = io::ErrorKind::InvalidInput;

impl Delivery {
    /// The error a renderer returns to refuse the output it was asked for (`-o name` of a new
    /// client secret): the operation rolls back and the command fails with a usage error
    /// (exit 2) saying `why`.
    pub(crate) fn refusal(why: &str) -> io::Error {
        io::Error::new(REFUSED, why.to_owned())
    }

    /// Write what `render` writes to stdout, except its end (see the module doc), and flush
    /// it. Called as the operation's [`crate::ops::Deliver`], before the commit.
    ///
    /// # Errors
    /// I/O errors of stdout, or what `render` returns; the operation then rolls back.
    pub(crate) fn show(
        &mut self,
        ctx: &Ctx,
        render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let keep = match ctx.format {
            Format::Json => 2,
            Format::Table | Format::Name => 1,
        };
        let mut out = BufWriter::with_capacity(
            64 * 1024,
            HoldBack {
                inner: io::stdout().lock(),
                held: Vec::with_capacity(keep + 1),
                keep,
            },
        );
        if let Err(error) = render(&mut out) {
            if error.kind() == REFUSED {
                self.refused = Some(error.to_string());
                // Nothing of a refused output is printed.
                let _ = out.into_parts();
            }
            return Err(error);
        }
        let mut hold = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        hold.inner.flush()?;
        self.held = Some(hold.held);
        Ok(())
    }

    /// Finish after the operation returned: on success write the held end; on failure after
    /// [`Delivery::show`] ran (the commit failed), say that what was printed is void.
    ///
    /// # Errors
    /// The operation's error, with that context when it printed; or a failure to write the
    /// held end after the commit, which says that the change was made.
    pub(crate) fn finish<T>(self, result: crate::Result<T>) -> anyhow::Result<T> {
        if let (Err(_), Some(why)) = (&result, self.refused) {
            return Err(crate::Error::usage(why).into());
        }
        match (result, self.held) {
            (Ok(value), None) => Ok(value),
            (Ok(value), Some(held)) => {
                let mut stdout = io::stdout().lock();
                match stdout.write_all(&held).and_then(|()| stdout.flush()) {
                    Ok(()) => Ok(value),
                    // A message, not the I/O error itself: a broken pipe here must not pass
                    // for the quiet end of a `| head`.
                    Err(error) => Err(anyhow::anyhow!(
                        "the change was made and its credentials were written above, but not \
                         the end of the output: {error}"
                    )),
                }
            }
            (Err(error), None) => Err(error.into()),
            (Err(error), Some(_)) => Err(anyhow::Error::from(error).context(
                "nothing was stored: the output above is incomplete and its credentials are not valid",
            )),
        }
    }
}

/// A [`Delivery`]'s output written piece by piece, for a result produced inside its
/// transaction (`apply` reports each client as it is handled): the same two parts as
/// [`Delivery::show`], the end held back by [`Streamed::close`].
pub(crate) struct Streamed(BufWriter<HoldBack<io::StdoutLock<'static>>>);

impl Delivery {
    /// Start writing the output piece by piece; from here on, a failure of the operation
    /// is reported as voiding what was printed (see [`Delivery::finish`]).
    pub(crate) fn stream(&mut self, ctx: &Ctx) -> Streamed {
        let keep = match ctx.format {
            Format::Json => 2,
            Format::Table | Format::Name => 1,
        };
        self.held = Some(Vec::new());
        Streamed(BufWriter::with_capacity(
            64 * 1024,
            HoldBack {
                inner: io::stdout().lock(),
                held: Vec::with_capacity(keep + 1),
                keep,
            },
        ))
    }
}

impl Streamed {
    /// Flush everything but the held end, which `delivery` keeps for [`Delivery::finish`].
    /// Called once the last piece is written, before the commit.
    ///
    /// # Errors
    /// I/O errors of stdout; the operation then rolls back.
    pub(crate) fn close(self, delivery: &mut Delivery) -> io::Result<()> {
        let mut hold = self
            .0
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        hold.inner.flush()?;
        delivery.held = Some(hold.held);
        Ok(())
    }
}

impl Write for Streamed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Passes everything through to `inner` except the last `keep` bytes written so far.
struct HoldBack<W: Write> {
    inner: W,
    held: Vec<u8>,
    keep: usize,
}

impl<W: Write> Write for HoldBack<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.len() >= self.keep {
            let (pass, keep) = buf.split_at(buf.len() - self.keep);
            self.inner.write_all(&self.held)?;
            self.inner.write_all(pass)?;
            self.held.clear();
            self.held.extend_from_slice(keep);
        } else {
            self.held.extend_from_slice(buf);
            let excess = self.held.len().saturating_sub(self.keep);
            if excess > 0 {
                self.inner.write_all(&self.held[..excess])?;
                self.held.drain(..excess);
            }
        }
        Ok(buf.len())
    }

    /// Flushes what was passed on; the held bytes stay held.
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::HoldBack;
    use std::io::Write;

    #[test]
    fn holds_back_the_last_bytes_whatever_the_write_sizes() {
        let text = b"{\n  \"client_secret\": \"dcrsec_x\"\n}\n";
        for keep in [1, 2] {
            for chunk in 1..text.len() + 1 {
                let mut hold = HoldBack {
                    inner: Vec::new(),
                    held: Vec::new(),
                    keep,
                };
                for part in text.chunks(chunk) {
                    hold.write_all(part).unwrap();
                }
                let (head, tail) = text.split_at(text.len() - keep);
                assert_eq!(hold.inner, head, "keep {keep}, chunk {chunk}");
                assert_eq!(hold.held, tail, "keep {keep}, chunk {chunk}");
            }
        }
    }
}

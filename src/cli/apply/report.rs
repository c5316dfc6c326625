//! Writing an apply's report piece by piece, as a table or as one JSON document.

use crate::ops::{AppliedClient, ApplyAction, Reported};
use crate::output::sanitize::sanitize;
use crate::output::{json, Format};
use std::io::{self, Write};

/// Writes an apply's report as its pieces come ([`ops::Report`]), so that no part of it is
/// held in memory: in a table, one line per client (`created ID`, with its credentials on
/// their own lines below it; in a dry run `would create ID`, `would update ID`,
/// `would leave unchanged ID`, `would delete ID`); in JSON, one document
/// `{"dry_run": bool, "clients": [{"client_id", "result", credentials…}, …], "counts":
/// {"created": n, "updated": n, "unchanged": n, "deleted": n}}`, whose counts come last because they are
/// known last.
pub(super) struct ReportWriter<W: Write> {
    out: W,
    format: Format,
    dry_run: bool,
    /// Whether the JSON document's opening was written.
    started: bool,
    /// Clients written so far.
    clients: u64,
}

impl<W: Write> ReportWriter<W> {
    pub(super) fn new(out: W, format: Format, dry_run: bool) -> Self {
        ReportWriter {
            out,
            format,
            dry_run,
            started: false,
            clients: 0,
        }
    }

    pub(super) fn into_inner(self) -> W {
        self.out
    }

    pub(super) fn write(&mut self, piece: Reported<'_>) -> io::Result<()> {
        match (self.format, piece) {
            // `-o name` is refused for apply before it runs (see `cli::output::check`).
            (Format::Table | Format::Name, Reported::Client(client)) => self.table_line(client),
            (Format::Table | Format::Name, Reported::End(_)) => Ok(()),
            (Format::Json, Reported::Client(client)) => {
                self.json_start()?;
                let separator: &[u8] = if self.clients == 0 { b"\n" } else { b",\n" };
                self.out.write_all(separator)?;
                let text = serde_json::to_string_pretty(&client_json(client))?;
                // Pretty JSON holds no raw newline inside a string, so each of its lines is
                // indented to the object's depth in the document.
                for (n, line) in text.lines().enumerate() {
                    if n > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    self.out.write_all(b"    ")?;
                    json::write_escaped(&mut self.out, line.as_bytes())?;
                }
                self.clients += 1;
                Ok(())
            }
            (Format::Json, Reported::End(counts)) => {
                self.json_start()?;
                let close: &[u8] = if self.clients == 0 { b"]" } else { b"\n  ]" };
                self.out.write_all(close)?;
                // Counts live under their own key: a verb key at the top holds ids (`delete`'s
                // `{"deleted": […]}`), never a number.
                self.out.write_all(b",\n  \"counts\": {")?;
                for (i, action) in ApplyAction::ALL.into_iter().enumerate() {
                    let separator = if i == 0 { "" } else { "," };
                    write!(
                        self.out,
                        "{separator}\n    \"{}\": {}",
                        action.as_str(),
                        counts.count(action)
                    )?;
                }
                self.out.write_all(b"\n  }\n}\n")
            }
        }
    }

    fn table_line(&mut self, client: &AppliedClient) -> io::Result<()> {
        let id = sanitize(&client.client_id);
        if self.dry_run {
            let verb = match client.action {
                ApplyAction::Created => "would create",
                ApplyAction::Updated => "would update",
                ApplyAction::Unchanged => "would leave unchanged",
                ApplyAction::Deleted => "would delete",
            };
            return writeln!(self.out, "{verb} {id}");
        }
        writeln!(self.out, "{} {id}", client.action.as_str())?;
        let Some(issued) = &client.issued else {
            return Ok(());
        };
        if let Some(secret) = &issued.client_secret {
            writeln!(self.out, "  client_secret: {}", secret.expose())?;
        }
        if let Some(token) = &issued.registration_access_token {
            writeln!(self.out, "  registration_access_token: {}", token.expose())?;
        }
        Ok(())
    }

    /// The document's opening, before its first piece.
    fn json_start(&mut self) -> io::Result<()> {
        if !self.started {
            write!(
                self.out,
                "{{\n  \"dry_run\": {},\n  \"clients\": [",
                self.dry_run
            )?;
            self.started = true;
        }
        Ok(())
    }
}

/// One client of the JSON report: `client_id`, `result`, then any credentials issued.
fn client_json(client: &AppliedClient) -> serde_json::Value {
    let mut object = serde_json::json!({
        "client_id": client.client_id,
        "result": client.action.as_str(),
    });
    if let Some(issued) = &client.issued {
        if let Some(secret) = &issued.client_secret {
            object["client_secret"] = secret.expose().into();
        }
        if let Some(token) = &issued.registration_access_token {
            object["registration_access_token"] = token.expose().into();
        }
        if let Some(expires_at) = issued.client_secret_expires_at {
            object["client_secret_expires_at"] = expires_at.into();
        }
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::ApplyCounts;

    /// The report written piece by piece, as the given format.
    fn report(format: Format, dry_run: bool, clients: &[AppliedClient]) -> String {
        let mut out = ReportWriter::new(Vec::new(), format, dry_run);
        let mut counts = ApplyCounts::default();
        for client in clients {
            counts.add(client.action);
            out.write(Reported::Client(client)).unwrap();
        }
        out.write(Reported::End(&counts)).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    fn client(id: &str, action: ApplyAction) -> AppliedClient {
        AppliedClient {
            client_id: id.into(),
            action,
            issued: None,
        }
    }

    #[test]
    fn the_json_report_is_the_pretty_document_written_piece_by_piece() {
        use crate::credentials::Secret;
        use crate::ops::IssuedCredentials;
        let clients = [
            AppliedClient {
                issued: Some(IssuedCredentials {
                    client_secret: Some(Secret::new("dcrsec_x".into())),
                    registration_access_token: Some(Secret::new("dcrrat_y".into())),
                    client_secret_expires_at: Some(0),
                }),
                ..client("new", ApplyAction::Created)
            },
            client("old\u{85}", ApplyAction::Unchanged),
        ];
        let expected = serde_json::json!({
            "dry_run": false,
            "clients": [
                {"client_id": "new", "result": "created", "client_secret": "dcrsec_x",
                 "registration_access_token": "dcrrat_y", "client_secret_expires_at": 0},
                {"client_id": "old\u{85}", "result": "unchanged"},
            ],
            "counts": {"created": 1, "updated": 0, "unchanged": 1, "deleted": 0},
        });
        let expected = serde_json::to_string_pretty(&expected)
            .unwrap()
            .replace('\u{85}', "\\u0085")
            + "\n";
        assert_eq!(report(Format::Json, false, &clients), expected);
        let empty = serde_json::json!({
            "dry_run": true, "clients": [], "counts": {"created": 0, "updated": 0, "unchanged": 0,
            "deleted": 0},
        });
        assert_eq!(
            report(Format::Json, true, &[]),
            serde_json::to_string_pretty(&empty).unwrap() + "\n"
        );
    }

    #[test]
    fn every_line_of_a_dry_run_says_would() {
        let clients = [
            client("a", ApplyAction::Created),
            client("b", ApplyAction::Updated),
            client("c", ApplyAction::Unchanged),
            client("d", ApplyAction::Deleted),
        ];
        assert_eq!(
            report(Format::Table, true, &clients),
            "would create a\nwould update b\nwould leave unchanged c\nwould delete d\n"
        );
        assert_eq!(
            report(Format::Table, false, &clients),
            "created a\nupdated b\nunchanged c\ndeleted d\n"
        );
    }
}

//! `dcrctl register`

use super::args::{
    lifetime, parse_duration, parse_expiry, read_metadata_file, read_secret_stdin, MetadataArgs,
};
use super::deliver::Delivery;
use super::{prompt, Ctx};
use crate::credentials::Secret;
use crate::model::RegisteredVia;
use crate::ops::{self, Register, Upserted};
use crate::output::sanitize::sanitize;
use crate::output::{json, table, width, Format};
use crate::registration::{take_identifier, ClientInformation, MetadataDoc, MetadataError, Policy};
use crate::Error;
use clap::Args;
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    metadata: MetadataArgs,

    /// RFC 7591 metadata document to start from (`-` = stdin); flags override its fields
    #[arg(long, value_name = "FILE")]
    metadata_file: Option<PathBuf>,

    /// Choose the client id instead of generating one (1-128 of A-Z a-z 0-9 . _ ~ -)
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,

    /// Read the client secret from stdin instead of generating one (stored with Argon2id)
    #[arg(long)]
    client_secret_stdin: bool,

    /// Lifetime of the secret, e.g. 90d [default: never expires]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    secret_expires_in: Option<Duration>,

    /// When the secret expires: an RFC 3339 time or a date, in the future
    #[arg(long, value_name = "TIME", value_parser = parse_expiry, conflicts_with = "secret_expires_in")]
    secret_expires_at: Option<i64>,

    /// With --client-id: modify the client when it exists instead of failing
    // No clap `requires`: the id may come from --metadata-file, and `ops::upsert` refuses
    // a missing one.
    #[arg(long)]
    upsert: bool,
}

pub(crate) fn run(ctx: &Ctx, args: RegisterArgs) -> anyhow::Result<()> {
    let stdin_file = args.metadata_file.as_deref() == Some(std::path::Path::new("-"));
    if stdin_file && args.client_secret_stdin {
        return Err(Error::usage(
            "--metadata-file - and --client-secret-stdin cannot both read stdin",
        )
        .into());
    }
    let mut doc = match &args.metadata_file {
        Some(path) => read_metadata_file(path)?,
        None => MetadataDoc::new(),
    };
    let file_client_id = take_identifier(&mut doc, "client_id").map_err(|error| MetadataError {
        field: format!("--metadata-file: {}", error.field),
        ..error
    })?;
    doc.extend(args.metadata.to_doc()?);
    if !args.upsert && ctx.interactive {
        ask_for_redirect_uris(&mut doc)?;
    }
    let client_secret = if args.client_secret_stdin {
        // On a terminal, ask without echoing the secret.
        let typed = prompt::secret_from_terminal(ctx, "Client secret")?;
        Some(Secret::new(match typed {
            Some(typed) => typed,
            None => read_secret_stdin("client secret")?,
        }))
    } else {
        None
    };
    let request = Register {
        metadata: doc,
        client_id: args.client_id.or(file_client_id),
        client_secret,
        secret_expires_in: lifetime(args.secret_expires_in, args.secret_expires_at),
        via: RegisteredVia::Cli,
    };
    let policy = Policy::default();
    if !args.upsert {
        // Refused before the registry is opened, so a first registration that cannot succeed
        // creates no registry either.
        ops::check_registration(&request, &policy)?;
    }
    let mut store = ctx.open_store()?;
    let mut delivery = Delivery::default();
    if args.upsert {
        let upserted =
            ops::upsert(
                &mut store,
                &ctx.actor,
                &policy,
                request,
                &mut |upserted| match upserted {
                    Upserted::Created(info) | Upserted::Updated(info) => {
                        delivery.show(ctx, |out| write_issued(out, ctx, info))
                    }
                },
            );
        let upserted = delivery.finish(upserted)?;
        let (done, info) = match upserted {
            Upserted::Created(info) => ("created", info),
            Upserted::Updated(info) => ("updated", info),
        };
        ctx.note(format_args!("{done} client {}", sanitize(&info.client_id)));
        remind_issued(ctx, &info);
    } else {
        let info = ops::register(&mut store, &ctx.actor, &policy, request, &mut |info| {
            delivery.show(ctx, |out| write_issued(out, ctx, info))
        });
        let info = delivery.finish(info)?;
        remind_issued(ctx, &info);
    }
    Ok(())
}

/// Prompt for redirect URIs when the grant types need one and none was given.
fn ask_for_redirect_uris(doc: &mut MetadataDoc) -> anyhow::Result<()> {
    let has_uris = doc
        .get("redirect_uris")
        .and_then(Value::as_array)
        .is_some_and(|uris| !uris.is_empty());
    let grants_need_uri = doc
        .get("grant_types")
        .and_then(Value::as_array)
        .is_none_or(|grants| {
            grants
                .iter()
                .any(|g| g == "authorization_code" || g == "implicit")
        });
    if has_uris || !grants_need_uri {
        return Ok(());
    }
    let with_uris = |answer: &str| {
        let uris = answer
            .split_whitespace()
            .map(|uri| Value::String(uri.to_owned()))
            .collect();
        let mut doc = doc.clone();
        doc.insert("redirect_uris".into(), Value::Array(uris));
        doc
    };
    // The same rules as registering, so a mistyped URI is explained and asked again; other
    // fields' mistakes were typed as flags, and are reported after.
    let answer = prompt::text("Redirect URI(s), space-separated", |answer: &String| {
        match crate::registration::validate(&with_uris(answer), &Policy::default()) {
            Err(error) if error.field.starts_with("redirect_uris") => Err(error.to_string()),
            _ => Ok(()),
        }
    })?;
    *doc = with_uris(&answer);
    Ok(())
}

/// Render a response that may carry a one-time credential; the operation passes it to a
/// [`Delivery`] before it commits (see [`ops::Deliver`]).
pub(crate) fn write_issued(
    mut out: &mut dyn Write,
    ctx: &Ctx,
    info: &ClientInformation,
) -> std::io::Result<()> {
    match ctx.format {
        Format::Json => json::write_document(&mut out, &json::information(info)),
        Format::Table => table::write_information(out, info, width::stdout_width()),
        Format::Name if info.client_secret.is_some() => Err(Delivery::refusal(
            "-o name would not show the new client_secret: use -o table or -o json",
        )),
        Format::Name => writeln!(out, "{}", sanitize(&info.client_id)),
    }
}

/// Once the operation committed: remind on stderr that what [`write_issued`] showed is shown
/// once, or with `-o name` that the registration access token was not shown.
pub(crate) fn remind_issued(ctx: &Ctx, info: &ClientInformation) {
    if ctx.format == Format::Name {
        if info.registration_access_token.is_some() {
            ctx.note(format!(
                "note: -o name does not show the registration_access_token; `dcrctl rotate-token {}` issues a new one",
                sanitize(&info.client_id)
            ));
        }
        return;
    }
    let issued: Vec<&str> = [
        info.client_secret.as_ref().map(|_| "client_secret"),
        info.registration_access_token
            .as_ref()
            .map(|_| "registration_access_token"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !issued.is_empty() {
        let pronoun = if issued.len() == 1 { "it" } else { "them" };
        ctx.note(format_args!(
            "note: {} shown once: store {pronoun} now",
            issued.join(" and ")
        ));
    }
}

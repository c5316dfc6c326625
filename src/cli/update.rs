//! `dcrctl update`

use super::args::{read_metadata_file, MetadataArgs};
use super::complete;
use super::deliver::Delivery;
use super::register::{remind_issued, write_issued};
use super::target::ClientArg;
use super::{prompt, Ctx};
use crate::ops::{self, Patch};
use crate::output::sanitize::sanitize;
use crate::registration::MetadataDoc;
use crate::registration::Policy;
use crate::Error;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    client: ClientArg,

    #[command(flatten)]
    metadata: MetadataArgs,

    /// Metadata document (`-` = stdin) whose fields are set; with --replace, the whole new document
    #[arg(long, value_name = "FILE")]
    metadata_file: Option<PathBuf>,

    /// Replace the whole document with --metadata-file (RFC 7592 PUT): fields it omits are removed
    #[arg(long, requires = "metadata_file")]
    replace: bool,

    /// Add a redirect URI (repeatable)
    #[arg(long, value_name = "URI")]
    add_redirect_uri: Vec<String>,

    /// Remove a redirect URI (repeatable)
    #[arg(long, value_name = "URI")]
    remove_redirect_uri: Vec<String>,

    /// Remove a field; fields with a default get it back (repeatable)
    #[arg(long, value_name = "FIELD", value_parser = complete::metadata_fields(), hide_possible_values = true)]
    unset: Vec<String>,
}

pub(crate) fn run(ctx: &Ctx, args: UpdateArgs) -> anyhow::Result<()> {
    let mut doc = match &args.metadata_file {
        Some(path) => read_metadata_file(path)?,
        None => Default::default(),
    };
    doc.extend(args.metadata.to_doc()?);
    let policy = Policy::default();
    if args.replace {
        if !args.unset.is_empty()
            || !args.add_redirect_uri.is_empty()
            || !args.remove_redirect_uri.is_empty()
        {
            return Err(Error::usage(
                "--replace takes the whole document: drop --unset and --add/--remove-redirect-uri",
            )
            .into());
        }
        let mut store = ctx.open_store()?;
        let client_id = args.client.resolve(&mut store)?;
        let ends_secret = confirm_secret_removal(ctx, &mut store, &client_id, &doc)?;
        let mut delivery = Delivery::default();
        let info = ops::replace(
            &mut store,
            &ctx.actor,
            &policy,
            &client_id,
            &doc,
            None,
            &mut |info| delivery.show(ctx, |out| write_issued(out, ctx, info)),
        );
        let info = delivery.finish(info)?;
        remind_issued(ctx, &info);
        say_secret_removed(ends_secret, &client_id);
        return Ok(());
    }
    if doc.contains_key("client_id") {
        return Err(Error::usage("the client id cannot be changed").into());
    }
    let patch = Patch {
        set: doc,
        unset: args.unset,
        add_redirect_uris: args.add_redirect_uri,
        remove_redirect_uris: args.remove_redirect_uri,
    };
    if patch.set.is_empty()
        && patch.unset.is_empty()
        && patch.add_redirect_uris.is_empty()
        && patch.remove_redirect_uris.is_empty()
    {
        return Err(Error::usage("nothing to update: give a metadata flag, --metadata-file, --unset or --add/--remove-redirect-uri").into());
    }
    let mut store = ctx.open_store()?;
    let client_id = args.client.resolve(&mut store)?;
    let ends_secret = confirm_secret_removal(ctx, &mut store, &client_id, &patch.set)?;
    let mut delivery = Delivery::default();
    let info = ops::update(
        &mut store,
        &ctx.actor,
        &policy,
        &client_id,
        &patch,
        None,
        &mut |info| delivery.show(ctx, |out| write_issued(out, ctx, info)),
    );
    let info = delivery.finish(info)?;
    remind_issued(ctx, &info);
    say_secret_removed(ends_secret, &client_id);
    Ok(())
}

/// Making a client public (`token_endpoint_auth_method` `none`) deletes its secret, which
/// cannot be given back: confirm that first, as `delete` does. Returns whether it will.
fn confirm_secret_removal(
    ctx: &Ctx,
    store: &mut ops::Store,
    client_id: &str,
    changes: &MetadataDoc,
) -> anyhow::Result<bool> {
    let to_public = changes
        .get("token_endpoint_auth_method")
        .is_some_and(|method| method == "none");
    if !to_public || !ops::show(store, client_id)?.has_secret {
        return Ok(false);
    }
    prompt::confirm(
        ctx,
        &format!(
            "This deletes the client secret of {}:\na public client (auth method none) has \
             none, and it cannot be restored.",
            sanitize(client_id)
        ),
    )?;
    Ok(true)
}

fn say_secret_removed(removed: bool, client_id: &str) {
    if removed {
        eprintln!("deleted the client secret of {}", sanitize(client_id));
    }
}

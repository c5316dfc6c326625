//! `apply`'s staging table: duplicates found by the store, documents read back in file order
//! beside the stored metadata, the clients a file leaves out, and a staging that locks
//! nothing of the registry.

use super::{add_client, conformance_tests, read, write, Db};
use crate::store::{DocumentToStage, PrunePosition, Store, StoreError};

/// Stage `documents` in two batches (the first two, then the rest), so that duplicates are
/// found both across batches and within one.
fn stage(store: &mut Store, documents: &[(&str, Option<&str>)]) -> Vec<Option<u64>> {
    let documents: Vec<DocumentToStage<'_>> = documents
        .iter()
        .zip(0u64..)
        .map(|(&(client_id, document), index)| DocumentToStage {
            index,
            client_id,
            document,
            uses_secret: true,
        })
        .collect();
    store
        .write_temporary(|tx| {
            tx.begin_apply_staging()?;
            let (first, rest) = documents.split_at(documents.len().min(2));
            let mut duplicates = tx.stage_apply_documents(first)?;
            duplicates.extend(tx.stage_apply_documents(rest)?);
            Ok::<_, StoreError>(duplicates)
        })
        .unwrap()
}

fn staging_finds_duplicates_and_reads_back_in_file_order(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "stored", "", 10);
        Ok(())
    });
    let duplicates = stage(
        store,
        &[
            ("new", Some("{}")),
            ("bad", None),
            ("stored", Some(r#"{"a":1}"#)),
            ("new", Some("{}")),
            ("bad", Some("{}")),
            ("twice", Some("{}")),
            ("twice", Some("{}")),
        ],
    );
    assert_eq!(
        duplicates,
        [None, None, None, Some(0), Some(1), None, Some(5)]
    );
    // Staged rows outlive the staging transaction and are read in a read-only snapshot; an
    // invalid document (no text) is never read back.
    let all = read(store, |tx| tx.staged_apply_documents(None, 10));
    let rows: Vec<(u64, &str, &str, bool)> = all
        .iter()
        .map(|d| {
            (
                d.index,
                d.client_id.as_str(),
                d.document.as_str(),
                d.uses_secret,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (0, "new", "{}", true),
            (2, "stored", r#"{"a":1}"#, true),
            (5, "twice", "{}", true)
        ]
    );
    assert_eq!(all[0].stored, None);
    assert!(all[1].stored.as_deref().unwrap().contains("app.example"));
    // A page at a time.
    let page = read(store, |tx| tx.staged_apply_documents(Some(0), 1));
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].index, 2);
    assert!(read(store, |tx| tx.staged_apply_documents(Some(5), 10)).is_empty());
    // Staging again starts from an empty table.
    stage(store, &[("other", Some("{}"))]);
    let again = read(store, |tx| tx.staged_apply_documents(None, 10));
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].client_id, "other");
}

fn unstaged_clients_are_walked_in_order_up_to_a_bound(store: &mut Store) {
    write(store, |tx| {
        for id in ["a", "b", "c", "d"] {
            add_client(tx, id, "", 10);
        }
        Ok(())
    });
    stage(store, &[("b", Some("{}")), ("x", Some("{}"))]);
    let ids = |rows: Vec<(PrunePosition, String)>| -> Vec<String> {
        rows.into_iter().map(|(_, id)| id).collect()
    };
    let all = read(store, |tx| {
        tx.unstaged_clients(PrunePosition::default(), PrunePosition::LAST, 10)
    });
    let positions: Vec<PrunePosition> = all.iter().map(|(p, _)| *p).collect();
    assert_eq!(ids(all), ["a", "c", "d"]);
    let first = read(store, |tx| {
        tx.unstaged_clients(PrunePosition::default(), PrunePosition::LAST, 1)
    });
    assert_eq!(ids(first), ["a"]);
    let rest = read(store, |tx| {
        tx.unstaged_clients(positions[0], positions[1], 10)
    });
    assert_eq!(ids(rest), ["c"]);
}

fn staging_locks_nothing_of_the_registry(db: &Db) {
    let mut store = db.open();
    let mut other = db.open();
    store
        .write_temporary(|tx| {
            tx.begin_apply_staging()?;
            tx.stage_apply_documents(&[DocumentToStage {
                index: 0,
                client_id: "a",
                document: Some("{}"),
                uses_secret: false,
            }])?;
            // Another connection writes while the staging transaction is open.
            write(&mut other, |tx| {
                add_client(tx, "meanwhile", "", 10);
                Ok(())
            });
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_eq!(read(&mut db.open(), |tx| tx.count_clients()), 1);
}

conformance_tests! {
    staging_finds_duplicates_and_reads_back_in_file_order,
    unstaged_clients_are_walked_in_order_up_to_a_bound,
    staging_locks_nothing_of_the_registry,
}

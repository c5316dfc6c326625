//! Client rows: insert, read back, conflicts, updates, deletes, registration tokens.

use super::{add_client, conformance_tests, insert, metadata, read, write, Db};
use crate::model::{Entity, RegisteredVia};
use crate::registration::AuthMethod;
use crate::store::{NewClient, Store, StoreError};
use serde_json::json;

fn a_client_reads_back_as_it_was_written(store: &mut Store) {
    // Parsed, not built with json!, which would round 1.50 through f64.
    let doc = serde_json::from_str(
        r#"{"client_name": "Web app", "redirect_uris": ["https://app.example/cb"],
            "grant_types": ["authorization_code"], "x-vendor": {"n": 1.50}}"#,
    )
    .unwrap();
    write(store, |tx| {
        tx.insert_client(&NewClient {
            client_id: "c1",
            metadata: &doc,
            auth_method: AuthMethod::PrivateKeyJwt,
            issued_at: 100,
            secret_expires_at: Some(0),
            registration_token_hash: "sha256:rat",
            registered_via: RegisteredVia::Apply,
        })
    });
    let (client, for_update, stored) = write(store, |tx| {
        Ok((
            tx.client("c1")?,
            tx.client_for_update("c1")?,
            tx.stored_metadata("c1")?,
        ))
    });
    let client = client.expect("c1 exists");
    assert_eq!(client.client_id, "c1");
    assert_eq!(client.metadata, doc);
    assert_eq!(client.client_name(), Some("Web app"));
    assert_eq!(client.client_id_issued_at, 100);
    assert_eq!(client.client_secret_expires_at, Some(0));
    assert!(client.has_secret, "a secret expiry stands for a secret");
    assert_eq!(client.auth_method, AuthMethod::PrivateKeyJwt);
    assert_eq!(client.registered_via, RegisteredVia::Apply);
    assert_eq!(
        client.updated_at, 100,
        "a new client was last changed when registered"
    );
    assert_eq!(client.last_used_at, None);
    assert_eq!(client.revision, 1);
    assert_eq!(for_update, Some(client));
    // Verbatim: member order and the number as written.
    assert_eq!(
        stored.as_deref(),
        Some(
            r#"{"client_name":"Web app","redirect_uris":["https://app.example/cb"],"grant_types":["authorization_code"],"x-vendor":{"n":1.50}}"#
        )
    );
    read(store, |tx| {
        assert!(tx.client_exists("c1")?);
        assert!(!tx.client_exists("c2")?);
        assert_eq!(tx.client("c2")?, None);
        assert_eq!(tx.stored_metadata("c2")?, None);
        assert_eq!(
            tx.registration_token_hash("c1")?.as_deref(),
            Some("sha256:rat")
        );
        assert_eq!(tx.count_clients()?, 1);
        Ok(())
    });
}

fn a_taken_client_id_is_a_conflict_and_the_transaction_goes_on(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "c1", "first", 100);
        let again = tx.insert_client(&NewClient {
            client_id: "c1",
            metadata: &metadata(json!({"client_name": "second"})),
            auth_method: AuthMethod::None,
            issued_at: 200,
            secret_expires_at: None,
            registration_token_hash: "sha256:other",
            registered_via: RegisteredVia::Cli,
        });
        match again {
            Err(StoreError::Conflict {
                what: Entity::Client,
                id,
            }) => assert_eq!(id, "c1"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        // The failed insert must not have spoiled the transaction (PostgreSQL aborts a
        // transaction at its first error).
        add_client(tx, "c2", "", 100);
        assert_eq!(tx.count_clients()?, 2);
        Ok(())
    });
    let first = read(store, |tx| tx.client("c1")).expect("c1 exists");
    assert_eq!(first.client_name(), Some("first"), "the first row is kept");
    assert_eq!(first.client_id_issued_at, 100);
    assert!(read(store, |tx| tx.client_exists("c2")));
}

fn update_metadata_replaces_the_document_and_bumps_the_revision(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "c1", "old name", 100);
        Ok(())
    });
    let doc = metadata(json!({"client_name": "new name", "token_endpoint_auth_method": "none"}));
    write(store, |tx| {
        tx.update_metadata("c1", &doc, AuthMethod::None, 150)
    });
    let client = read(store, |tx| tx.client("c1")).expect("c1 exists");
    assert_eq!(client.metadata, doc);
    assert_eq!(client.auth_method, AuthMethod::None);
    assert_eq!(client.updated_at, 150);
    assert_eq!(client.revision, 2);
    assert_eq!(client.client_id_issued_at, 100);
    read(store, |tx| {
        assert!(
            tx.clients_named("old name")?.is_empty(),
            "the name column follows"
        );
        assert_eq!(tx.clients_named("new name")?.len(), 1);
        Ok(())
    });
    write(store, |tx| {
        tx.update_metadata("c1", &doc, AuthMethod::None, 160)
    });
    assert_eq!(read(store, |tx| tx.client("c1")).unwrap().revision, 3);
    // Updating an unknown client changes nothing and is no error.
    write(store, |tx| {
        tx.update_metadata("c9", &doc, AuthMethod::None, 170)
    });
    assert_eq!(read(store, |tx| tx.count_clients()), 1);
}

fn deleting_a_client_deletes_its_secrets(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "c1", "", 100);
        add_client(tx, "c2", "", 100);
        tx.insert_secret("c1", "sha256:s1", 0, 100)?;
        tx.insert_secret("c2", "sha256:s2", 0, 100)
    });
    assert!(write(store, |tx| tx.delete_client("c1")));
    assert!(!write(store, |tx| tx.delete_client("c1")), "already gone");
    read(store, |tx| {
        assert_eq!(tx.client("c1")?, None);
        // The secrets are looked up without the clients row: any left over would show here.
        assert!(tx.valid_secret_hashes("c1", 100)?.is_empty());
        assert_eq!(tx.valid_secret_hashes("c2", 100)?, ["sha256:s2"]);
        Ok(())
    });
    // A new client under the same id starts without the old one's secrets.
    write(store, |tx| {
        add_client(tx, "c1", "", 200);
        Ok(())
    });
    assert!(read(store, |tx| tx.valid_secret_hashes("c1", 200)).is_empty());
}

fn a_registration_token_is_replaced_with_a_new_revision(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "c1", "", 100);
        Ok(())
    });
    write(store, |tx| {
        tx.set_registration_token("c1", "sha256:new", 120)
    });
    read(store, |tx| {
        assert_eq!(
            tx.registration_token_hash("c1")?.as_deref(),
            Some("sha256:new")
        );
        assert_eq!(tx.registration_token_hash("c9")?, None);
        let client = tx.client("c1")?.expect("c1 exists");
        assert_eq!((client.revision, client.updated_at), (2, 120));
        Ok(())
    });
}

fn touching_a_client_records_its_use_and_nothing_else(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "c1", "", 100);
        Ok(())
    });
    write(store, |tx| tx.touch_last_used("c1", 130));
    let client = read(store, |tx| tx.client("c1")).unwrap();
    assert_eq!(client.last_used_at, Some(130));
    assert_eq!((client.revision, client.updated_at), (1, 100));
    write(store, |tx| tx.touch_last_used("c9", 130));
}

fn clients_named_match_the_exact_name_in_registration_order(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "late", "shared", 300);
        add_client(tx, "early-b", "shared", 100);
        add_client(tx, "early-a", "shared", 100);
        add_client(tx, "middle", "shared", 200);
        add_client(tx, "other", "shared-not", 100);
        add_client(tx, "glob", "sh*", 100);
        add_client(tx, "nameless", "", 100);
        Ok(())
    });
    let ids = |name: &str, store: &mut Store| -> Vec<String> {
        read(store, |tx| tx.clients_named(name))
            .into_iter()
            .map(|client| client.client_id)
            .collect()
    };
    // Ties in registration time keep insertion order.
    assert_eq!(
        ids("shared", store),
        ["early-b", "early-a", "middle", "late"]
    );
    assert_eq!(ids("sh*", store), ["glob"], "a name is no pattern");
    assert!(ids("Shared", store).is_empty(), "names are case-sensitive");
    assert!(ids("", store).is_empty());
}

fn a_client_registered_without_a_secret_has_none(store: &mut Store) {
    write(store, |tx| {
        insert(
            tx,
            "public",
            &metadata(json!({"client_name": "spa"})),
            100,
            None,
            RegisteredVia::Cli,
        );
        Ok(())
    });
    let client = read(store, |tx| tx.client("public")).unwrap();
    assert_eq!(client.client_secret_expires_at, None);
    assert!(!client.has_secret);
    assert_eq!(client.registered_via, RegisteredVia::Cli);
}

fn client_for_update_and_lock_registry_work_inside_a_write(db: &Db) {
    let mut store = db.open();
    write(&mut store, |tx| {
        tx.lock_registry()?;
        tx.lock_registry()?;
        add_client(tx, "c1", "", 100);
        assert!(tx.client_for_update("c1")?.is_some());
        assert!(tx.client_for_update("c9")?.is_none());
        tx.update_metadata("c1", &metadata(json!({})), AuthMethod::None, 110)?;
        Ok(())
    });
    // The lock ends with its transaction: a second connection takes it at once.
    let mut other = db.open();
    write(&mut other, |tx| tx.lock_registry());
    write(&mut store, |tx| tx.lock_registry());
}

conformance_tests! {
    a_client_reads_back_as_it_was_written,
    a_taken_client_id_is_a_conflict_and_the_transaction_goes_on,
    update_metadata_replaces_the_document_and_bumps_the_revision,
    deleting_a_client_deletes_its_secrets,
    a_registration_token_is_replaced_with_a_new_revision,
    touching_a_client_records_its_use_and_nothing_else,
    clients_named_match_the_exact_name_in_registration_order,
    a_client_registered_without_a_secret_has_none,
    client_for_update_and_lock_registry_work_inside_a_write,
}

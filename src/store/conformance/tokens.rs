//! Initial access tokens and admin accounts.

use super::{conformance_tests, read, write};
use crate::model::Entity;
use crate::store::{AdminRow, ErrorClass, Store, StoreError, TokenRow};

fn add_token(store: &mut Store, id: &str, expires_at: i64, max_uses: Option<i64>) {
    let inserted = write(store, |tx| {
        tx.insert_initial_access_token(id, &format!("sha256:{id}"), None, 100, expires_at, max_uses)
    });
    assert!(inserted, "{id} is new");
}

fn consume(store: &mut Store, id: &str, now: i64) -> Option<String> {
    write(store, |tx| {
        tx.consume_initial_access_token(&format!("sha256:{id}"), now)
    })
}

fn a_taken_token_id_writes_nothing_and_the_transaction_goes_on(store: &mut Store) {
    write(store, |tx| {
        let insert = |id: &str, hash: &str, note| {
            tx.insert_initial_access_token(id, hash, note, 100, 0, None)
        };
        assert!(insert("iat_a", "sha256:a", Some("first"))?);
        assert!(
            !insert("iat_a", "sha256:b", Some("second"))?,
            "a taken id is reported"
        );
        assert!(
            insert("iat_b", "sha256:b", None)?,
            "and the transaction goes on"
        );
        Ok(())
    });
    let tokens = read(store, |tx| tx.initial_access_tokens());
    assert_eq!(
        tokens[0],
        TokenRow {
            token_id: "iat_a".into(),
            note: Some("first".into()),
            created_at: 100,
            expires_at: 0,
            max_uses: None,
            uses: 0,
            revoked_at: None,
        }
    );
    assert_eq!(tokens.len(), 2);
    // The first token's hash still finds the first token.
    assert_eq!(
        write(store, |tx| tx.consume_initial_access_token("sha256:a", 100)).as_deref(),
        Some("iat_a")
    );
    // A hash taken by another id is a uniqueness violation, whichever backend says it.
    let taken =
        store.write(|tx| tx.insert_initial_access_token("iat_c", "sha256:b", None, 1, 0, None));
    assert_eq!(
        taken.map_err(|e| e.class()).err(),
        Some(ErrorClass::UniqueViolation)
    );
}

fn tokens_are_listed_oldest_first_with_every_column(store: &mut Store) {
    write(store, |tx| {
        tx.insert_initial_access_token("iat_late", "sha256:1", Some("n"), 300, 900, Some(5))?;
        tx.insert_initial_access_token("iat_z", "sha256:2", None, 100, 0, None)?;
        tx.insert_initial_access_token("iat_a", "sha256:3", None, 100, 0, Some(1))
    });
    write(store, |tx| tx.revoke_initial_access_token("iat_late", 310));
    let tokens = read(store, |tx| tx.initial_access_tokens());
    let ids: Vec<&str> = tokens.iter().map(|t| t.token_id.as_str()).collect();
    assert_eq!(
        ids,
        ["iat_z", "iat_a", "iat_late"],
        "creation time, then insertion"
    );
    assert_eq!(
        tokens[2],
        TokenRow {
            token_id: "iat_late".into(),
            note: Some("n".into()),
            created_at: 300,
            expires_at: 900,
            max_uses: Some(5),
            uses: 0,
            revoked_at: Some(310),
        }
    );
}

fn a_token_admits_exactly_its_uses(store: &mut Store) {
    add_token(store, "two", 0, Some(2));
    add_token(store, "unlimited", 0, None);
    assert_eq!(consume(store, "two", 100).as_deref(), Some("two"));
    assert_eq!(consume(store, "two", 100).as_deref(), Some("two"));
    assert_eq!(consume(store, "two", 100), None, "used up");
    for _ in 0..5 {
        assert_eq!(
            consume(store, "unlimited", 100).as_deref(),
            Some("unlimited")
        );
    }
    assert_eq!(consume(store, "unknown", 100), None);
    let uses: Vec<(String, i64)> = read(store, |tx| tx.initial_access_tokens())
        .into_iter()
        .map(|t| (t.token_id, t.uses))
        .collect();
    assert_eq!(uses, [("two".into(), 2), ("unlimited".into(), 5)]);
    // A use that is rolled back is not spent.
    let rolled_back: Result<(), StoreError> = store.write(|tx| {
        tx.consume_initial_access_token("sha256:unlimited", 100)?;
        Err(StoreError::other("abandon"))
    });
    assert!(rolled_back.is_err());
    assert_eq!(read(store, |tx| tx.initial_access_tokens())[1].uses, 5);
}

fn a_token_ends_at_its_expiry_or_revocation(store: &mut Store) {
    add_token(store, "expiring", 200, None);
    add_token(store, "revoked", 0, None);
    assert_eq!(consume(store, "expiring", 199).as_deref(), Some("expiring"));
    assert_eq!(consume(store, "expiring", 200), None, "expiry is exclusive");
    assert!(write(store, |tx| tx.revoke_initial_access_token("revoked", 150)));
    assert!(
        !write(store, |tx| tx.revoke_initial_access_token("revoked", 160)),
        "revoked once"
    );
    assert!(!write(store, |tx| tx.revoke_initial_access_token("unknown", 160)));
    assert_eq!(consume(store, "revoked", 151), None);
    let revoked = read(store, |tx| tx.initial_access_tokens())[1].clone();
    assert_eq!(
        revoked.revoked_at,
        Some(150),
        "the first revocation time is kept"
    );
    read(store, |tx| {
        assert!(
            tx.initial_access_token_exists("revoked")?,
            "a revoked token still exists"
        );
        assert!(tx.initial_access_token_exists("expiring")?);
        assert!(!tx.initial_access_token_exists("unknown")?);
        Ok(())
    });
}

fn dead_tokens_are_counted_and_deleted_in_batches(store: &mut Store) {
    add_token(store, "live", 0, Some(3));
    add_token(store, "expired", 150, None);
    add_token(store, "used-up", 0, Some(1));
    add_token(store, "revoked", 0, None);
    add_token(store, "expires-later", 500, None);
    consume(store, "used-up", 100).expect("one use");
    consume(store, "live", 100).expect("one use");
    write(store, |tx| tx.revoke_initial_access_token("revoked", 120));
    assert_eq!(
        read(store, |tx| tx.count_dead_initial_access_tokens(100)),
        2
    );
    assert_eq!(
        read(store, |tx| tx.count_dead_initial_access_tokens(150)),
        3
    );
    assert_eq!(
        write(store, |tx| tx.delete_dead_initial_access_tokens(150, 2)),
        2
    );
    assert_eq!(
        read(store, |tx| tx.count_dead_initial_access_tokens(150)),
        1
    );
    assert_eq!(
        write(store, |tx| tx.delete_dead_initial_access_tokens(150, 2)),
        1
    );
    assert_eq!(
        write(store, |tx| tx.delete_dead_initial_access_tokens(150, 2)),
        0
    );
    let left: Vec<String> = read(store, |tx| tx.initial_access_tokens())
        .into_iter()
        .map(|t| t.token_id)
        .collect();
    assert_eq!(left, ["live", "expires-later"]);
}

fn admins_are_kept_by_name(store: &mut Store) {
    write(store, |tx| {
        for name in ["bob", "émile", "Zed", "alice"] {
            tx.insert_admin(name, &format!("argon2:{name}"), 100)?;
        }
        match tx.insert_admin("bob", "argon2:other", 110) {
            Err(StoreError::Conflict {
                what: Entity::Account,
                id,
            }) => assert_eq!(id, "bob"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        tx.insert_admin("carol", "argon2:carol", 120)
    });
    let names: Vec<String> = read(store, |tx| tx.admins())
        .into_iter()
        .map(|a| a.name)
        .collect();
    // Byte order, whatever the database's collation.
    assert_eq!(names, ["Zed", "alice", "bob", "carol", "émile"]);
    assert!(write(store, |tx| tx.set_admin_password_hash(
        "bob",
        "argon2:new",
        130
    )));
    assert!(!write(store, |tx| tx.set_admin_password_hash("nobody", "x", 130)));
    read(store, |tx| {
        assert_eq!(
            tx.admin_password_hash("bob")?.as_deref(),
            Some("argon2:new")
        );
        assert_eq!(
            tx.admin_password_hash("alice")?.as_deref(),
            Some("argon2:alice")
        );
        assert_eq!(tx.admin_password_hash("nobody")?, None);
        Ok(())
    });
    let bob = read(store, |tx| tx.admins())
        .into_iter()
        .find(|a| a.name == "bob");
    assert_eq!(
        bob,
        Some(AdminRow {
            name: "bob".into(),
            created_at: 100,
            updated_at: 130,
        })
    );
    assert!(write(store, |tx| tx.delete_admin("bob")));
    assert!(!write(store, |tx| tx.delete_admin("bob")));
    assert_eq!(read(store, |tx| tx.admin_password_hash("bob")), None);
    assert_eq!(read(store, |tx| tx.admins()).len(), 4);
}

conformance_tests! {
    a_taken_token_id_writes_nothing_and_the_transaction_goes_on,
    tokens_are_listed_oldest_first_with_every_column,
    a_token_admits_exactly_its_uses,
    a_token_ends_at_its_expiry_or_revocation,
    dead_tokens_are_counted_and_deleted_in_batches,
    admins_are_kept_by_name,
}

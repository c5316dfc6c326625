//! Client secrets: which hashes are valid when, across replacements with and without grace.

use super::{add_client, conformance_tests, read, write};
use crate::store::Store;

fn valid(store: &mut Store, at: i64) -> Vec<String> {
    read(store, |tx| tx.valid_secret_hashes("c1", at))
}

fn with_secret(store: &mut Store, expires_at: i64) {
    write(store, |tx| {
        add_client(tx, "c1", "", 100);
        tx.insert_secret("c1", "sha256:s1", expires_at, 100)
    });
}

fn a_secret_is_valid_until_it_expires(store: &mut Store) {
    with_secret(store, 120);
    assert_eq!(valid(store, 100), ["sha256:s1"]);
    assert_eq!(valid(store, 119), ["sha256:s1"]);
    assert!(valid(store, 120).is_empty(), "expiry is exclusive");
    write(store, |tx| {
        add_client(tx, "c2", "", 100);
        tx.insert_secret("c2", "sha256:forever", 0, 100)
    });
    assert_eq!(
        read(store, |tx| tx.valid_secret_hashes("c2", i64::MAX - 1)),
        ["sha256:forever"],
        "0 never expires"
    );
}

fn a_replaced_secret_stays_valid_through_its_grace_period(store: &mut Store) {
    with_secret(store, 0);
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s2", 500, Some(200), 150)
    });
    // The current secret first, then the previous ones, newest first.
    assert_eq!(valid(store, 150), ["sha256:s2", "sha256:s1"]);
    assert_eq!(valid(store, 199), ["sha256:s2", "sha256:s1"]);
    assert_eq!(valid(store, 200), ["sha256:s2"]);
    let client = read(store, |tx| tx.client("c1")).unwrap();
    assert_eq!(client.client_secret_expires_at, Some(500));
    assert_eq!((client.revision, client.updated_at), (2, 150));

    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s3", 0, Some(190), 160)
    });
    assert_eq!(
        valid(store, 160),
        ["sha256:s3", "sha256:s2", "sha256:s1"],
        "two generations in grace"
    );
    // The new grace period ends both earlier secrets at 190: s1's is shortened, s2's own
    // expiry (500) is cut.
    assert_eq!(valid(store, 189), ["sha256:s3", "sha256:s2", "sha256:s1"]);
    assert_eq!(valid(store, 190), ["sha256:s3"]);
    assert_eq!(read(store, |tx| tx.client("c1")).unwrap().revision, 3);
}

fn a_grace_period_never_outlives_the_old_secret(store: &mut Store) {
    with_secret(store, 180);
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s2", 0, Some(300), 150)
    });
    assert_eq!(valid(store, 179), ["sha256:s2", "sha256:s1"]);
    assert_eq!(valid(store, 180), ["sha256:s2"]);
}

fn a_replacement_drops_the_secrets_already_expired(store: &mut Store) {
    with_secret(store, 120);
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s2", 0, Some(400), 150)
    });
    // s1 expired at 120: a grace period does not bring it back, even if asked about the past.
    assert_eq!(valid(store, 110), ["sha256:s2"]);
}

fn a_replacement_without_grace_revokes_every_earlier_secret(store: &mut Store) {
    with_secret(store, 0);
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s2", 0, Some(1_000), 150)
    });
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s3", 700, None, 160)
    });
    assert_eq!(valid(store, 160), ["sha256:s3"]);
    let client = read(store, |tx| tx.client("c1")).unwrap();
    assert_eq!(client.client_secret_expires_at, Some(700));
    assert!(client.has_secret);
}

fn removing_the_secrets_leaves_the_client_without_one(store: &mut Store) {
    with_secret(store, 0);
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s2", 0, Some(1_000), 150)
    });
    write(store, |tx| tx.remove_secrets("c1", 170));
    assert!(valid(store, 170).is_empty());
    let client = read(store, |tx| tx.client("c1")).unwrap();
    assert_eq!(client.client_secret_expires_at, None);
    assert!(!client.has_secret);
    assert_eq!((client.revision, client.updated_at), (3, 170));
    // A client without a secret can be given one again.
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s3", 0, None, 180)
    });
    assert_eq!(valid(store, 180), ["sha256:s3"]);
    assert!(read(store, |tx| tx.client("c1")).unwrap().has_secret);
}

fn the_grace_period_is_visible_and_can_end_early(store: &mut Store) {
    with_secret(store, 0);
    let until = |store: &mut Store, at| read(store, |tx| tx.previous_secrets_valid_until("c1", at));
    assert_eq!(until(store, 150), None, "no previous secret yet");
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s2", 0, Some(300), 150)
    });
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s3", 0, Some(250), 160)
    });
    assert_eq!(until(store, 160), Some(250), "the latest end of any grace");
    assert_eq!(
        until(store, 250),
        None,
        "the end is exclusive, as expiry is"
    );

    let ended = write(store, |tx| tx.end_secret_grace("c1", 170));
    assert_eq!(ended, 2);
    assert_eq!(valid(store, 170), ["sha256:s3"], "the current secret stays");
    assert_eq!(until(store, 170), None);
    let client = read(store, |tx| tx.client("c1")).unwrap();
    assert_eq!((client.revision, client.updated_at), (4, 170));

    assert_eq!(
        write(store, |tx| tx.end_secret_grace("c1", 180)),
        0,
        "nothing left to end"
    );
    assert_eq!(read(store, |tx| tx.client("c1")).unwrap().revision, 4);
}

/// Issue 17: a plain rotation keeps the lifetime the current secret was issued with.
fn the_current_secret_s_lifetime_is_known(store: &mut Store) {
    let lifetime = |store: &mut Store| read(store, |tx| tx.current_secret_lifetime("c1"));
    with_secret(store, 0);
    assert_eq!(
        lifetime(store),
        None,
        "a secret that never expires has no lifetime"
    );
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s2", 1_150, Some(200), 150)
    });
    assert_eq!(
        lifetime(store),
        Some(1_000),
        "the current one, not the one in grace"
    );
    write(store, |tx| {
        tx.replace_secret("c1", "sha256:s3", 0, None, 160)
    });
    assert_eq!(lifetime(store), None);
    write(store, |tx| tx.remove_secrets("c1", 170));
    assert_eq!(lifetime(store), None);
}

conformance_tests! {
    the_current_secret_s_lifetime_is_known,
    a_secret_is_valid_until_it_expires,
    a_replaced_secret_stays_valid_through_its_grace_period,
    a_grace_period_never_outlives_the_old_secret,
    a_replacement_drops_the_secrets_already_expired,
    a_replacement_without_grace_revokes_every_earlier_secret,
    removing_the_secrets_leaves_the_client_without_one,
    the_grace_period_is_visible_and_can_end_early,
}

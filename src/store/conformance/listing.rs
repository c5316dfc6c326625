//! Listings: every [`ListFilter`] field, listing order, paging through thousands of rows,
//! and damaged rows found before a listing trips on them.

use super::{add_client, conformance_tests, insert, metadata, read, write, Db};
use crate::model::RegisteredVia;
use crate::registration::AuthMethod;
use crate::store::{ListFilter, ListOrder, SortKey, Store, StoreError};
use serde_json::json;

/// The ids `for_each_client` visits with `filter`, in order.
fn listed(store: &mut Store, filter: &ListFilter) -> Vec<String> {
    read(store, |tx| {
        let mut ids = Vec::new();
        tx.for_each_client(filter, |client| {
            ids.push(client.client_id.to_owned());
            Ok::<_, StoreError>(())
        })?;
        Ok(ids)
    })
}

fn glob(pattern: &str) -> ListFilter {
    ListFilter {
        name_glob: Some(pattern.into()),
        ..ListFilter::default()
    }
}

/// A client of the filter tests: id, client_name, grant_types, registration time, secret
/// expiry.
type Listed = (
    &'static str,
    Option<&'static str>,
    Option<&'static [&'static str]>,
    i64,
    Option<i64>,
);

/// In registration order; inserted last first, so that only the registration time orders
/// a listing.
#[rustfmt::skip]
const FIXTURE: &[Listed] = &[
    ("alpha", Some("alpha"), Some(&["authorization_code"]), 100, Some(0)),
    ("alpine", Some("alpine"), Some(&["client_credentials"]), 110, Some(50)),
    ("beta", Some("beta"), Some(&["authorization_code", "refresh_token"]), 120, Some(150)),
    ("Beta", Some("Beta"), None, 130, None),
    ("dot", Some("a.b"), Some(&["implicit"]), 140, Some(100)),
    ("bracket", Some("x[y"), Some(&[]), 150, Some(0)),
    ("cafe", Some("café"), None, 160, Some(200)),
    ("nameless", None, Some(&["client_credentials"]), 170, Some(99)),
    ("star", Some("s*r"), None, 180, None),
    ("caret", Some("^x"), None, 190, None),
];

fn with_fixture(store: &mut Store) {
    write(store, |tx| {
        for &(id, name, grant_types, issued_at, expires) in FIXTURE.iter().rev() {
            let mut doc = json!({"redirect_uris": ["https://app.example/cb"]});
            if let Some(name) = name {
                doc["client_name"] = name.into();
            }
            if let Some(grant_types) = grant_types {
                doc["grant_types"] = grant_types.into();
            }
            insert(
                tx,
                id,
                &metadata(doc),
                issued_at,
                expires,
                RegisteredVia::Http,
            );
        }
        Ok(())
    });
}

fn name_globs_match_as_the_shell_does(store: &mut Store) {
    with_fixture(store);
    let cases: &[(&str, &[&str])] = &[
        ("al*", &["alpha", "alpine"]),
        ("?eta", &["beta", "Beta"]),
        ("[bB]eta", &["beta", "Beta"]),
        ("[^b]eta", &["Beta"]),
        ("B*", &["Beta"]),
        ("*.*", &["dot"]),
        ("a?b", &["dot"]),
        ("a.?", &["dot"]),
        ("caf?", &["cafe"]),
        ("[a-b]*", &["alpha", "alpine", "beta", "dot"]),
        ("x[[]y", &["bracket"]),
        ("[]x]*", &["bracket"]),
        ("s[*]r", &["star"]),
        ("s*", &["star"]),
        ("^*", &["caret"]),
        ("[^^]x", &[]),
        // An unclosed class is a literal `[`, as in the shell.
        ("x[y", &["bracket"]),
        (
            "[!cdB]*",
            &["alpha", "alpine", "beta", "dot", "bracket", "star", "caret"],
        ),
        ("[!a-c]*", &["Beta", "bracket", "star", "caret"]),
        (r"s\*r", &["star"]),
        (r"s\*", &[]),
        (r"x\[y", &["bracket"]),
        (r"\^x", &["caret"]),
        (r"?\.?", &["dot"]),
        ("caf\u{e9}", &["cafe"]),
        ("caf*", &["cafe"]),
        ("Caf*", &[]),
        ("alpha?", &[]),
        (
            "*",
            &[
                "alpha", "alpine", "beta", "Beta", "dot", "bracket", "cafe", "star", "caret",
            ],
        ),
    ];
    for (pattern, expected) in cases {
        assert_eq!(
            listed(store, &glob(pattern)),
            *expected,
            "name_glob {pattern}"
        );
    }
}

/// Names with the characters SQL patterns give a meaning to (`%`, `_`, `[`) and NUL.
fn sql_wildcards_in_names_and_globs_are_literal(store: &mut Store) {
    let names = ["50%", "5_0", "500", "a%b", "[x]", "x", "5\\0"];
    write(store, |tx| {
        for (i, name) in names.iter().enumerate() {
            let doc = metadata(json!({ "client_name": name }));
            let at = i64::try_from(i).unwrap();
            insert(tx, &format!("c{i}"), &doc, at, None, RegisteredVia::Http);
        }
        Ok(())
    });
    let named = |pattern: &str, store: &mut Store| -> Vec<String> {
        let ids = listed(store, &glob(pattern));
        ids.iter()
            .map(|id| names[id[1..].parse::<usize>().unwrap()].to_owned())
            .collect()
    };
    let cases: &[(&str, &[&str])] = &[
        ("50%", &["50%"]),
        ("5_0", &["5_0"]),
        ("5?0", &["5_0", "500", "5\\0"]),
        ("*%*", &["50%", "a%b"]),
        ("%", &[]),
        ("_", &[]),
        (r"\[x\]", &["[x]"]),
        ("[[]x]", &["[x]"]),
        ("[x]", &["x"]),
        (r"5\\0", &["5\\0"]),
        // An escaped ordinary character is itself.
        (r"5\00", &["500"]),
        ("5*", &["50%", "5_0", "500", "5\\0"]),
    ];
    for (pattern, expected) in cases {
        assert_eq!(named(pattern, store), *expected, "name_glob {pattern}");
    }
}

/// The ids a listing in `order` gives, whole and resumed after each of its clients.
fn every_sort_order_is_total_and_resumes_after_a_client(store: &mut Store) {
    write(store, |tx| {
        // (id, name, registered at, last used at), inserted in this order.
        for (id, name, at, used) in [
            ("m", Some("b"), 10, Some(50)),
            ("z", Some("a"), 10, None),
            ("a", None, 5, Some(40)),
            ("k", Some("b"), 20, Some(50)),
            ("B", Some("B"), 30, None),
        ] {
            let mut doc = json!({});
            if let Some(name) = name {
                doc["client_name"] = name.into();
            }
            insert(tx, id, &metadata(doc), at, None, RegisteredVia::Http);
            if let Some(used) = used {
                tx.touch_last_used(id, used)?;
            }
        }
        Ok(())
    });
    let cases: &[(SortKey, &[&str])] = &[
        (SortKey::Created, &["a", "m", "z", "k", "B"]),
        (SortKey::Id, &["B", "a", "k", "m", "z"]),
        // Bytes: "B" before "a"; equal names in registration order; unnamed last.
        (SortKey::Name, &["B", "z", "m", "k", "a"]),
        // Never used first, then by last use; ties in registration order.
        (SortKey::LastUsed, &["z", "B", "a", "m", "k"]),
    ];
    for &(key, ascending) in cases {
        for descending in [false, true] {
            let order = ListOrder { key, descending };
            let mut expected = ascending.to_vec();
            if descending {
                expected.reverse();
            }
            let in_order = |after: Option<&str>, limit| ListFilter {
                order,
                after: after.map(Into::into),
                limit,
                ..ListFilter::default()
            };
            assert_eq!(listed(store, &in_order(None, None)), expected, "{order:?}");
            for (i, id) in expected.iter().enumerate() {
                assert_eq!(
                    listed(store, &in_order(Some(id), None)),
                    expected[i + 1..],
                    "{order:?} after {id}"
                );
                assert_eq!(
                    listed(store, &in_order(Some(id), Some(1))),
                    expected[i + 1..]
                        .iter()
                        .take(1)
                        .copied()
                        .collect::<Vec<_>>(),
                    "{order:?} after {id}, one"
                );
            }
        }
    }
    // The cursor need not match the other filters.
    let filtered = ListFilter {
        name_glob: Some("b".into()),
        after: Some("a".into()),
        ..ListFilter::default()
    };
    assert_eq!(listed(store, &filtered), ["m", "k"]);
}

/// `offset` and `limit` count the clients the glob selects, on both backends, whatever
/// the page size a backend reads rows in.
fn a_glob_counts_the_window_after_matching(store: &mut Store) {
    write(store, |tx| {
        for i in 0..2_500_i64 {
            let name = if i % 3 == 0 {
                format!("x{i}")
            } else {
                format!("y{i}")
            };
            let doc = metadata(json!({ "client_name": name }));
            insert(tx, &format!("c{i:04}"), &doc, i, None, RegisteredVia::Http);
        }
        Ok(())
    });
    let window = |pattern: &str, offset, limit| ListFilter {
        name_glob: Some(pattern.into()),
        offset,
        limit,
        ..ListFilter::default()
    };
    let xs: Vec<String> = (0..2_500).step_by(3).map(|i| format!("c{i:04}")).collect();
    assert_eq!(listed(store, &window("x*", 0, None)), xs);
    assert_eq!(listed(store, &window("?1*", 0, None)).len(), 1_111);
    assert_eq!(listed(store, &window("x*", 400, Some(3))), xs[400..403]);
    assert_eq!(listed(store, &window("*", 2_499, Some(5))), ["c2499"]);
    assert!(listed(store, &window("x*", 900, None)).is_empty());
    assert_eq!(
        read(store, |tx| tx.first_damaged_client(&window(
            "x*",
            400,
            Some(3)
        ))),
        None
    );
}

fn the_other_filters_select_the_same_clients(store: &mut Store) {
    with_fixture(store);
    let all: Vec<&str> = FIXTURE.iter().map(|row| row.0).collect();
    assert_eq!(listed(store, &ListFilter::default()), all);
    let grant = |grant_type: &str| ListFilter {
        grant_type: Some(grant_type.into()),
        ..ListFilter::default()
    };
    let cases: Vec<(ListFilter, &[&str])> = vec![
        (grant("client_credentials"), &["alpine", "nameless"]),
        (grant("authorization_code"), &["alpha", "beta"]),
        (grant("refresh_token"), &["beta"]),
        (grant("authorization"), &[]),
        (
            ListFilter {
                secret_expired_before: Some(100),
                ..ListFilter::default()
            },
            // 0 never expires; no secret never expires.
            &["alpine", "dot", "nameless"],
        ),
        (
            ListFilter {
                created_before: Some(120),
                ..ListFilter::default()
            },
            &["alpha", "alpine"],
        ),
        (
            ListFilter {
                created_after: Some(160),
                ..ListFilter::default()
            },
            // A lower bound includes its time.
            &["cafe", "nameless", "star", "caret"],
        ),
        (
            ListFilter {
                created_after: Some(110),
                created_before: Some(150),
                ..ListFilter::default()
            },
            // Half-open: from 110 on, up to but not at 150.
            &["alpine", "beta", "Beta", "dot"],
        ),
        (
            ListFilter {
                limit: Some(2),
                ..ListFilter::default()
            },
            &["alpha", "alpine"],
        ),
        (
            ListFilter {
                limit: Some(2),
                offset: 3,
                ..ListFilter::default()
            },
            &["Beta", "dot"],
        ),
        (
            ListFilter {
                offset: 8,
                ..ListFilter::default()
            },
            &["star", "caret"],
        ),
        (
            ListFilter {
                offset: 10,
                ..ListFilter::default()
            },
            &[],
        ),
        (
            ListFilter {
                limit: Some(0),
                ..ListFilter::default()
            },
            &[],
        ),
        (
            ListFilter {
                name_glob: Some("*a*".into()),
                grant_type: Some("authorization_code".into()),
                secret_expired_before: Some(1_000),
                created_after: Some(0),
                created_before: Some(1_000),
                limit: Some(5),
                offset: 0,
                ..ListFilter::default()
            },
            &["beta"],
        ),
        (
            ListFilter {
                name_glob: Some("*a*".into()),
                limit: Some(2),
                offset: 1,
                ..ListFilter::default()
            },
            &["alpine", "beta"],
        ),
    ];
    for (filter, expected) in &cases {
        assert_eq!(listed(store, filter), *expected, "{filter:?}");
        let damaged = read(store, |tx| tx.first_damaged_client(filter));
        assert_eq!(damaged, None, "{filter:?}");
    }
}

fn a_grant_type_is_matched_in_whatever_shape_it_was_stored(store: &mut Store) {
    // The store does not validate metadata; rows from elsewhere can hold any JSON.
    let shapes = [
        ("array", json!(["implicit", "client_credentials"])),
        ("nested", json!([["client_credentials"]])),
        ("string", json!("client_credentials")),
        ("object", json!({"kind": "client_credentials"})),
        ("number", json!(5)),
        ("null", json!(null)),
    ];
    write(store, |tx| {
        for (i, (id, grant_types)) in shapes.iter().enumerate() {
            let doc = metadata(json!({ "grant_types": grant_types }));
            let at = i64::try_from(i).unwrap();
            insert(tx, id, &doc, at, None, RegisteredVia::Http);
        }
        Ok(())
    });
    let grant = |grant_type: &str| ListFilter {
        grant_type: Some(grant_type.into()),
        ..ListFilter::default()
    };
    assert_eq!(
        listed(store, &grant("client_credentials")),
        ["array", "string", "object"]
    );
    assert!(listed(store, &grant("5")).is_empty());
    assert!(listed(store, &grant("null")).is_empty());
}

fn a_summary_carries_every_column(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "c1", "Web", 100);
        tx.update_metadata(
            "c1",
            &metadata(json!({"client_name": "Web 2", "b": [1, 2], "a": null})),
            AuthMethod::ClientSecretPost,
            120,
        )?;
        tx.touch_last_used("c1", 130)?;
        add_client(tx, "c2", "", 100);
        tx.remove_secrets("c2", 140)
    });
    let stored = read(store, |tx| tx.stored_metadata("c1")).unwrap();
    let rows = read(store, |tx| {
        let mut rows = Vec::new();
        tx.for_each_client(&ListFilter::default(), |c| {
            rows.push(format!(
                "{} {:?} {:?} {} {} {:?} {:?} {} {:?}",
                c.client_id,
                c.client_name,
                c.token_endpoint_auth_method,
                c.metadata_json,
                c.client_id_issued_at,
                c.client_secret_expires_at,
                c.registered_via,
                c.updated_at,
                c.last_used_at,
            ));
            Ok::<_, StoreError>(())
        })?;
        Ok(rows)
    });
    assert_eq!(
        rows,
        [
            format!(
                "c1 Some(\"Web 2\") ClientSecretPost {stored} 100 Some(0) Http 120 Some(130)"
            ),
            r#"c2 None ClientSecretBasic {"redirect_uris":["https://app.example/cb"]} 100 None Http 140 None"#.to_owned(),
        ]
    );
    assert_eq!(stored, r#"{"client_name":"Web 2","b":[1,2],"a":null}"#);
}

/// Compares long listings, saying where they part rather than printing thousands of ids.
fn assert_same(listed: &[String], expected: &[String], context: &str) {
    if listed != expected {
        let first = listed.iter().zip(expected).position(|(l, e)| l != e);
        panic!(
            "{context}: {} listed, {} expected, first difference at {first:?} \
             (listed {:?}, expected {:?})",
            listed.len(),
            expected.len(),
            first.map(|i| &listed[i]),
            first.map(|i| &expected[i]),
        );
    }
}

/// Registration times with many ties, out of insertion order.
fn issued_at(i: usize) -> i64 {
    i64::try_from((i * 7919) % 53).unwrap()
}

fn listings_page_through_thousands_of_clients(store: &mut Store) {
    const COUNT: usize = 3100;
    write(store, |tx| {
        for i in 0..COUNT {
            let parity = if i % 2 == 0 { "even" } else { "odd" };
            add_client(
                tx,
                &format!("c{i:04}"),
                &format!("{parity}-{i}"),
                issued_at(i),
            );
        }
        Ok(())
    });
    let mut order: Vec<usize> = (0..COUNT).collect();
    order.sort_by_key(|&i| (issued_at(i), i));
    let id = |i: &usize| format!("c{i:04}");
    let all: Vec<String> = order.iter().map(id).collect();
    assert_same(&listed(store, &ListFilter::default()), &all, "all");
    for (offset, limit) in [
        (0, Some(1000)),
        (0, Some(1001)),
        (990, Some(1020)),
        (1500, None),
        (2999, Some(500)),
    ] {
        let filter = ListFilter {
            offset,
            limit,
            ..ListFilter::default()
        };
        let skip = usize::try_from(offset).unwrap();
        let take = limit.map_or(usize::MAX, |n| usize::try_from(n).unwrap());
        let expected: Vec<String> = all[skip.min(COUNT)..].iter().take(take).cloned().collect();
        assert_same(&listed(store, &filter), &expected, &format!("{filter:?}"));
    }
    let even: Vec<String> = order.iter().filter(|&&i| i % 2 == 0).map(id).collect();
    let filter = ListFilter {
        name_glob: Some("even-*".into()),
        offset: 400,
        limit: Some(1_100),
        ..ListFilter::default()
    };
    assert_same(&listed(store, &filter), &even[400..1_500], "even-*");
    assert_eq!(read(store, |tx| tx.count_clients()), 3100);

    // A visitor's error ends the listing and comes back as it was.
    let mut visited = 0;
    let stopped = store.read(|tx| {
        tx.for_each_client(&ListFilter::default(), |_| {
            visited += 1;
            if visited == 1_500 {
                return Err(StoreError::other("enough"));
            }
            Ok(())
        })
    });
    assert!(
        matches!(stopped, Err(StoreError::Backend { .. })),
        "{stopped:?}"
    );
    assert_eq!(visited, 1_500);
}

fn damaged_rows_are_found_before_a_listing_trips_on_them(db: &Db) {
    let mut store = db.open();
    let healthy = store.check_integrity().unwrap();
    assert!(healthy.is_ok(), "{healthy:?}");
    assert_eq!(healthy.integrity, ["ok"]);
    assert_eq!(healthy.schema_version, 1);
    write(&mut store, |tx| {
        for i in 1..=5 {
            add_client(tx, &format!("c{i}"), &format!("n{i}"), 100 + i);
        }
        Ok(())
    });
    // Valid JSON, so the schema's checks let it through, but not an object.
    db.execute(
        "UPDATE clients SET metadata = '[1]' WHERE client_id = 'c3'; \
         UPDATE clients SET metadata = '\"text\"' WHERE client_id = 'c5'",
    );
    let first =
        |filter: ListFilter, store: &mut Store| read(store, |tx| tx.first_damaged_client(&filter));
    let not_an_object =
        |id: &str| Some((id.to_owned(), "metadata is not a JSON object".to_owned()));
    assert_eq!(
        first(ListFilter::default(), &mut store),
        not_an_object("c3")
    );
    let limit = |limit, offset| ListFilter {
        limit: Some(limit),
        offset,
        ..ListFilter::default()
    };
    assert_eq!(first(limit(2, 0), &mut store), None, "c3 is not listed");
    assert_eq!(first(limit(1, 2), &mut store), not_an_object("c3"));
    assert_eq!(first(limit(5, 3), &mut store), not_an_object("c5"));
    assert_eq!(first(glob("n[124]"), &mut store), None);
    assert_eq!(
        first(
            ListFilter {
                created_after: Some(104),
                ..ListFilter::default()
            },
            &mut store
        ),
        not_an_object("c5")
    );

    let report = store.check_integrity().unwrap();
    assert!(!report.is_ok());
    assert_eq!(report.integrity, ["ok"]);
    assert!(report.foreign_key_violations.is_empty());
    assert_eq!(
        report.damaged_rows,
        [
            "clients row c3: metadata is not a JSON object",
            "clients row c5: metadata is not a JSON object"
        ]
    );
    assert!(matches!(
        store.read(|tx| tx.client("c3")),
        Err(StoreError::Corrupt(_))
    ));
    assert!(matches!(
        store.read(|tx| tx.clients_named("n5")),
        Err(StoreError::Corrupt(_))
    ));
    assert!(read(&mut store, |tx| tx.client_exists("c3")));
    // A listing does not parse the metadata: it passes the damaged row on as stored.
    let mut seen = Vec::new();
    store
        .read(|tx| {
            tx.for_each_client(&ListFilter::default(), |c| {
                seen.push(format!("{}={}", c.client_id, c.metadata_json));
                Ok::<_, StoreError>(())
            })
        })
        .unwrap();
    assert_eq!(seen[2], "c3=[1]");
    assert_eq!(seen[4], "c5=\"text\"");
}

conformance_tests! {
    name_globs_match_as_the_shell_does,
    sql_wildcards_in_names_and_globs_are_literal,
    every_sort_order_is_total_and_resumes_after_a_client,
    a_glob_counts_the_window_after_matching,
    the_other_filters_select_the_same_clients,
    a_grant_type_is_matched_in_whatever_shape_it_was_stored,
    a_summary_carries_every_column,
    listings_page_through_thousands_of_clients,
    damaged_rows_are_found_before_a_listing_trips_on_them,
}

//! Marks a build whose tests may use a PostgreSQL server: with `DCRCTL_TEST_POSTGRES` set
//! (see scripts/postgres.sh), `cfg(dcrctl_pg)` is on and the PostgreSQL tests run; without
//! it they are listed as ignored, with how to run them, instead of passing silently.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(dcrctl_pg)");
    println!("cargo::rerun-if-env-changed=DCRCTL_TEST_POSTGRES");
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var_os("DCRCTL_TEST_POSTGRES").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=dcrctl_pg");
    }
}

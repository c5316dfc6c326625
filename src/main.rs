//! The dcrctl binary: everything lives in the library; see `dcrctl::cli`.

fn main() -> std::process::ExitCode {
    dcrctl::cli::main()
}

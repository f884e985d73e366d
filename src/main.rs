//! The `yardstick` command: everything happens in [`yardstick::cli`].

fn main() -> std::process::ExitCode {
    yardstick::cli::main()
}

//! `videos`: the Videos API from the command line.
//!
//! Files: `args.rs` (the command line), `commands.rs` (what each command
//! does), `output.rs` (human and JSON output), `progress.rs` (bars).

mod args;
mod commands;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", output::one_line(e.as_ref()));
            ExitCode::FAILURE
        }
    }
}

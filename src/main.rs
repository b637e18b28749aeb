//! The `kartu` binary: parse the command line, then run the window or a subcommand.

use std::process::ExitCode;

use clap::Parser;
use kartu::cli::Cli;
use kartu::core::time::Timestamp;

/// See `Cargo.toml`: imports allocate and free many small strings.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => kartu::cli::run(
            &cli,
            command,
            Timestamp::from(jiff::Timestamp::now()),
            &mut std::io::stdout().lock(),
        ),
        None => run_window(&cli).map(|()| ExitCode::SUCCESS),
    };
    // Each error is reported once, here.
    result.unwrap_or_else(|err| {
        eprintln!("kartu: {err:#}");
        ExitCode::FAILURE
    })
}

#[cfg(feature = "gui")]
fn run_window(cli: &Cli) -> anyhow::Result<()> {
    kartu::ui::run(cli.data_dir.clone(), cli.no_fuzz, cli.file.clone())
}

#[cfg(not(feature = "gui"))]
fn run_window(_cli: &Cli) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no window (built without the `gui` feature); see `kartu --help` for the commands"
    )
}

//! The `kartu` binary: parse the command line, then run the window or a subcommand.

use std::process::ExitCode;

use clap::Parser;
use kartu::cli::Cli;
use kartu::core::time::Timestamp;

/// See `Cargo.toml`: imports allocate and free many small strings.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Frees what mimalloc holds freed: [`kartu::memory::release`].
#[allow(unsafe_code)]
fn collect() {
    // SAFETY: `mi_collect` has no preconditions; it only returns memory that is free.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

fn main() -> ExitCode {
    kartu::memory::set_release(collect);
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(kartu::cli::Command::Open(args)) => match args.as_slice() {
            [file] => {
                run_window(&cli, Some(std::path::PathBuf::from(file))).map(|()| ExitCode::SUCCESS)
            }
            _ => Err(anyhow::anyhow!(
                "unknown command or more than one file: {}; see `kartu --help`",
                args.iter()
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
        },
        Some(command) => kartu::cli::run(
            &cli,
            command,
            Timestamp::from(jiff::Timestamp::now()),
            &mut std::io::stdout().lock(),
        ),
        None => run_window(&cli, None).map(|()| ExitCode::SUCCESS),
    };
    // Each error is reported once, here.
    result.unwrap_or_else(|err| {
        eprintln!("kartu: {err:#}");
        ExitCode::FAILURE
    })
}

#[cfg(feature = "gui")]
fn run_window(cli: &Cli, file: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    if let Some(file) = &file
        && !file.is_file()
    {
        anyhow::bail!(
            "{}: no such file (and not a command; see `kartu --help`)",
            file.display()
        );
    }
    kartu::ui::run(cli.data_dir.clone(), cli.no_fuzz, file)
}

#[cfg(not(feature = "gui"))]
fn run_window(_cli: &Cli, _file: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no window (built without the `gui` feature); see `kartu --help` for the commands"
    )
}

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

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`, v2): how long freed memory is held
/// before it goes back to the system, in ms (10 unless the environment says otherwise).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The purge delay [`give_back_at_once`] set aside, to put back.
static PURGE_DELAY: std::sync::Mutex<Option<std::ffi::c_long>> = std::sync::Mutex::new(None);

/// [`kartu::memory::give_back_at_once`]: a purge delay of 0 while `on`.
#[allow(unsafe_code)]
fn give_back_at_once(on: bool) {
    let Ok(mut set_aside) = PURGE_DELAY.lock() else {
        return;
    };
    // SAFETY: both take and give plain values. `mi_option_set` writes one aligned word that
    // other threads read as they go: at worst one of them purges once on the old delay.
    unsafe {
        if on {
            let delay = libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY);
            set_aside.get_or_insert(delay);
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        } else if let Some(delay) = set_aside.take() {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay);
        }
    }
}

fn main() -> ExitCode {
    kartu::memory::set_release(collect);
    kartu::memory::set_give_back_at_once(give_back_at_once);
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
    // A long-lived window with a modest heap: 2 MB pages would hold it whole where 4 KB ones
    // hold what is used (see `Cargo.toml`). Commands keep them: an import is faster with them.
    #[cfg(target_os = "linux")]
    if let Err(err) = rustix::thread::disable_transparent_huge_pages(true) {
        eprintln!("kartu: could not turn transparent huge pages off ({err}); going on");
    }
    kartu::ui::run(cli.data_dir.clone(), cli.no_fuzz, file)
}

#[cfg(not(feature = "gui"))]
fn run_window(_cli: &Cli, _file: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no window (built without the `gui` feature); see `kartu --help` for the commands"
    )
}

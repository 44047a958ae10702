//! Writes the benchmarks' fleet file: N devices of the generator's organisation fleet
//! (`helpatwork_fleetgen`: varied names, users, models, platforms, facts and every readiness; ids
//! `dev-000000`…, an e-mail address per device), in the documented JSON shape, or the CSV columns
//! of `devices export` when the file name ends in `.csv`. The same N and seed give the same
//! devices; check-ins are relative to the time it runs (or `--now`). Devices are written as
//! they are made, so a 1,000,000-device file needs no more memory than a small one.
//!
//! Usage: fleet-file N OUT [--seed S] [--now RFC3339]

use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use helpatwork_fleetgen::file::{self, Format};
use helpatwork_fleetgen::Fleet;

/// The benchmarks' seed.
const SEED: u64 = 42;

fn main() -> ExitCode {
    let usage = "usage: fleet-file N OUT [--seed S] [--now RFC3339]";
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(out)) = (
        args.next()
            .and_then(|a| a.replace('_', "").parse::<usize>().ok()),
        args.next().map(PathBuf::from),
    ) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let mut seed = SEED;
    let mut now = chrono::Utc::now();
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--seed" => match value.parse() {
                Ok(s) => seed = s,
                Err(_) => return bad(usage, &flag, &value),
            },
            "--now" => match value.parse() {
                Ok(t) => now = t,
                Err(_) => return bad(usage, &flag, &value),
            },
            _ => return bad(usage, &flag, &value),
        }
    }
    let written = std::fs::File::create(&out).and_then(|f| {
        file::write(
            Format::for_path(&out),
            Fleet::organisation(n, seed, now).iter(),
            BufWriter::with_capacity(1 << 20, f),
        )
    });
    match written {
        Ok(count) => {
            eprintln!("{count} devices written to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

fn bad(usage: &str, flag: &str, value: &str) -> ExitCode {
    eprintln!("{flag} {value:?}: not understood\n{usage}");
    ExitCode::from(2)
}

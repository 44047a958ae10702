//! The import's floor: a fleet file parsed alone, with the parser `helpatwork devices import`
//! streams it through (`helpatwork_domain::fleet::read`, batches of the import's size), every
//! device built and then dropped, nothing written. Run as its own process, as the import is, so
//! the two times compare process to process (bench/run.sh times both).
//!
//! Usage: fleet-parse FILE   (.json or .csv, as `fleet-file` writes them)

use std::io::BufRead;
use std::process::ExitCode;

use helpatwork_app::devices::IMPORT_BATCH;
use helpatwork_domain::fleet::{self, FleetFormat, ReadError};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: fleet-parse FILE");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut reader = std::io::BufReader::with_capacity(256 * 1024, file);
    let format = match reader.fill_buf() {
        Ok(head) => FleetFormat::detect(&path, head),
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut devices = 0usize;
    let read = fleet::read(format, reader, IMPORT_BATCH, |batch| {
        devices += batch.len();
        Ok::<(), ()>(())
    });
    match read {
        Ok(count) => {
            assert_eq!(count as usize, devices);
            eprintln!("{devices} devices parsed from {path}");
            ExitCode::SUCCESS
        }
        Err(ReadError::Fleet(errors)) => {
            eprintln!("{path}: {} problem(s)", errors.total);
            ExitCode::FAILURE
        }
        Err(ReadError::Sink(())) => ExitCode::FAILURE,
    }
}

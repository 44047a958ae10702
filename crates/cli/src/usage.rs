//! Usage errors (an unknown flag, a value out of range, a missing argument): with `--json`, the
//! error document every other error prints (`{"error":{code,message,fix,details}}`, exit 2);
//! as text, clap's own words, through the escaping printer.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::ErrorKind;
use helpatwork_app::error::ErrorDetails;
use helpatwork_app::{AppError, ErrorCode};

use crate::term;

/// Says what clap refused and ends the command.
pub fn fail(e: clap::Error, raw: &[OsString]) -> ExitCode {
    let text = e.render().to_string();
    let shown = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
    if shown {
        term::out_line(text.trim_end());
        return ExitCode::SUCCESS;
    }
    // `--` ends the options: a `--json` after it is an argument.
    let json = raw
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json");
    if !json {
        term::err_line(text.trim_end());
        return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
    }
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let message = lines
        .next()
        .map(|l| l.trim_start_matches("error:").trim().to_string())
        .unwrap_or_else(|| "the command line is not valid".to_string());
    let rest: Vec<&str> = lines.collect();
    let command: Vec<String> = raw
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .take_while(|a| !a.starts_with('-'))
        .take(2)
        .map(str::to_string)
        .collect();
    let help = if command.is_empty() {
        "helpatwork --help".to_string()
    } else {
        format!("helpatwork {} --help", command.join(" "))
    };
    let error = AppError::new(ErrorCode::InvalidInput, message)
        .with_fix(format!(
            "Run `{help}` to see the commands, flags and values it takes."
        ))
        .with_details(ErrorDetails::Usage {
            problem: format!("{:?}", e.kind()),
            usage: rest.join("\n"),
        });
    match serde_json::to_string_pretty(&serde_json::json!({ "error": error })) {
        Ok(doc) => term::out_line(&term::json_inert(&doc)),
        Err(_) => term::err_line(text.trim_end()),
    }
    ExitCode::from(ErrorCode::InvalidInput.exit_code() as u8)
}

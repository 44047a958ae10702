//! The one error type that leaves the app layer: `{code, message, fix, details}`.

mod details;

pub use details::{ErrorDetails, RunningSync, StorageCause};

use serde::Serialize;
use ts_rs::TS;

use helpatwork_store::StoreError;

/// The small, stable set of codes the UI and scripts branch on. Each maps to a CLI exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// A bug or an environment failure (exit 1).
    Internal,
    /// Bad arguments or a bad file (exit 2).
    InvalidInput,
    /// The preflight blocks the start (exit 3); `details.checks` lists the checks.
    Blocked,
    /// The agent must sign in to TeamViewer first (exit 4).
    SignInNeeded,
    /// TeamViewer or the MDM failed (exit 5).
    ServiceFailed,
    /// No such device, session… (exit 6).
    NotFound,
    /// Another session or process holds it (exit 7).
    Conflict,
    /// The audit trail's hash chain is broken: events were edited, deleted or reordered (exit
    /// 8); `details` is the verification.
    Tampered,
    /// A support policy holds the start until another agent approves it (exit 9); the details
    /// carry the request (`approval`).
    AwaitingApproval,
    /// The device is offline: the session is armed and starts by itself at the device's next
    /// check-in (exit 11); the details carry the armed session (`armed`).
    Armed,
}

impl ErrorCode {
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorCode::Internal => 1,
            ErrorCode::InvalidInput => 2,
            ErrorCode::Blocked => 3,
            ErrorCode::SignInNeeded => 4,
            ErrorCode::ServiceFailed => 5,
            ErrorCode::NotFound => 6,
            ErrorCode::Conflict => 7,
            ErrorCode::Tampered => 8,
            ErrorCode::AwaitingApproval => 9,
            ErrorCode::Armed => 11,
        }
    }
}

/// An error for the user: what happened and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export, rename = "ApiError")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub fix: Option<String>,
    /// Structured detail: the bad rows of a file, the failed preflight checks, the holder of a
    /// session… (`null` when there is none).
    pub details: Option<Box<ErrorDetails>>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fix: None,
            details: None,
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn with_details(mut self, details: ErrorDetails) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// The checks its details carry (a blocked preflight, or checks refusing an action).
    pub fn checks(&self) -> &[helpatwork_domain::Check] {
        self.details.as_deref().map_or(&[], ErrorDetails::checks)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    /// The error as the command line says it: a sign-in fix names the command to run.
    pub fn for_cli(mut self, lang: helpatwork_domain::Lang) -> Self {
        if self.code == ErrorCode::SignInNeeded {
            self.fix =
                Some(crate::surface::sign_in_fix(crate::surface::Surface::Cli, lang).to_string());
        }
        self
    }
}

/// No live device has this id (ids are matched by their normalised key).
pub(crate) fn device_not_found(lang: helpatwork_domain::Lang, id: &str) -> AppError {
    let id: String = id.chars().take(128).collect();
    AppError::not_found(lang.pick(
        &format!("No device has the id \"{id}\"."),
        &format!("Nenhum dispositivo tem o id \"{id}\"."),
    ))
    .with_fix(lang.pick(
        "Search the device list for the device's name or user.",
        "Pesquise a lista de dispositivos pelo nome ou pelo usuário do dispositivo.",
    ))
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        use helpatwork_store::Trouble;
        let trouble = e.trouble();
        let details = |cause| ErrorDetails::Storage { cause };
        match (&e, trouble) {
            (StoreError::Busy, _) => AppError::new(ErrorCode::Conflict, e.to_string())
                .with_fix("Wait for the other Help@Work process to finish, then try again."),
            (StoreError::Conflict(_), _) => AppError::new(ErrorCode::Conflict, e.to_string()),
            (_, Trouble::Corrupt) => AppError::internal(e.to_string())
                .with_fix(
                    "The database file is damaged or is not a Help@Work database: restore it from a backup, or move it aside (keep it) to start with an empty store, then run the command again.",
                )
                .with_details(details(StorageCause::Corrupt)),
            (_, Trouble::DiskFull) => AppError::internal(format!("{e}. Nothing was changed."))
                .with_fix(
                    "Free space on the disk that holds the database (the data directory, HELPATWORK_DATA_DIR, or the server of HELPATWORK_DATABASE_URL), then run the command again.",
                )
                .with_details(details(StorageCause::DiskFull)),
            (_, Trouble::ReadOnly) => AppError::internal(e.to_string())
                .with_fix(
                    "Free space on the disk that holds the database, or make the file and its directory writable, then run the command again; reading commands work meanwhile.",
                )
                .with_details(details(StorageCause::ReadOnly)),
            (StoreError::Open { .. } | StoreError::Migrate(_), _) => AppError::internal(e.to_string()).with_fix(
                "Check that the data directory (HELPATWORK_DATA_DIR) is writable, or that HELPATWORK_DATABASE_URL points to a reachable database.",
            ),
            _ => AppError::internal(e.to_string()).with_fix(
                "Run the command again; if it keeps failing, run `helpatwork doctor` and report what it says.",
            ),
        }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_json_shape_is_pinned() {
        let e = AppError::new(ErrorCode::SignInNeeded, "Sign in first.")
            .with_fix("Run helpatwork auth login.");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code":"sign_in_needed","message":"Sign in first.","fix":"Run helpatwork auth login.","details":null})
        );
    }

    #[test]
    fn exit_codes_follow_the_cli_contract() {
        let codes = [
            (ErrorCode::Internal, 1),
            (ErrorCode::InvalidInput, 2),
            (ErrorCode::Blocked, 3),
            (ErrorCode::SignInNeeded, 4),
            (ErrorCode::ServiceFailed, 5),
            (ErrorCode::NotFound, 6),
            (ErrorCode::Conflict, 7),
            (ErrorCode::Tampered, 8),
            (ErrorCode::AwaitingApproval, 9),
            (ErrorCode::Armed, 11),
        ];
        for (code, exit) in codes {
            assert_eq!(code.exit_code(), exit);
        }
    }
}

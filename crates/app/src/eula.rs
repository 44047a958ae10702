//! The TeamViewer EULA the activation wizard shows (A3): `HELPATWORK_EULA_FILE` (a file path or
//! an https URL), else the bundled notice, and the SHA-256 that records which text was agreed to.

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode, Result};

const BUNDLED_EULA: &str = include_str!("eula-notice.txt");
/// EULA texts larger than this are refused.
const MAX_EULA_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Eula {
    /// Where the text came from: "bundled notice", a file path or a URL.
    pub source: String,
    /// The first 16 hex digits of the text's SHA-256: the version that is recorded.
    pub version: String,
    pub sha256: String,
    pub text: String,
}

/// The EULA text to show: `HELPATWORK_EULA_FILE` (a file path or an https URL), else the bundled
/// notice that links TeamViewer's published agreement.
pub async fn eula() -> Result<Eula> {
    let (source, text) = match std::env::var("HELPATWORK_EULA_FILE")
        .ok()
        .filter(|v| !v.is_empty())
    {
        None => ("bundled notice".to_string(), BUNDLED_EULA.to_string()),
        Some(url) if url.starts_with("https://") => {
            let resp = reqwest::get(&url).await.map_err(|e| {
                AppError::new(
                    ErrorCode::ServiceFailed,
                    format!("The EULA could not be fetched from {url}: {e}"),
                )
            })?;
            let bytes = resp
                .bytes()
                .await
                .map_err(|e| AppError::new(ErrorCode::ServiceFailed, e.to_string()))?;
            if bytes.len() > MAX_EULA_BYTES {
                return Err(AppError::invalid("The EULA text is larger than 1 MiB."));
            }
            (
                url,
                String::from_utf8(bytes.to_vec())
                    .map_err(|_| AppError::invalid("The EULA text is not UTF-8."))?,
            )
        }
        Some(path) => {
            let meta = std::fs::metadata(&path).map_err(|e| {
                AppError::invalid(format!("Cannot read the EULA file {path}: {e}."))
            })?;
            if meta.len() as usize > MAX_EULA_BYTES {
                return Err(AppError::invalid("The EULA file is larger than 1 MiB."));
            }
            let text = std::fs::read_to_string(&path).map_err(|e| {
                AppError::invalid(format!("Cannot read the EULA file {path}: {e}."))
            })?;
            (path, text)
        }
    };
    if text.trim().is_empty() {
        return Err(AppError::invalid("The EULA text is empty.")
            .with_fix("Point HELPATWORK_EULA_FILE at the agreement's text."));
    }
    let sha256: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Eula {
        source,
        version: sha256[..16].to_string(),
        sha256,
        text,
    })
}

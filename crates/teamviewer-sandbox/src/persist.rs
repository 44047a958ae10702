//! A state file shared by every process that uses it (the demo: the window and each CLI
//! command run their own sandbox server over one file). Each request, and each handle call
//! that changes something, holds an exclusive lock on `<file>.lock`, reads the file, runs, and
//! writes it back (a temp file, then a rename), so every process sees every other's sessions and
//! tokens. Authorization codes, switches and logs stay in memory: a sign-in completes in the
//! process that began it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::state::{AccessToken, RefreshToken, SandboxSession, State};

/// The part of the sandbox's memory a state file keeps.
#[derive(Serialize, Deserialize)]
pub(crate) struct Persisted<'a> {
    pub(crate) sessions: Cow<'a, [SandboxSession]>,
    pub(crate) groups: Cow<'a, [(String, String)]>,
    /// Absent from files written before the sandbox kept devices.
    #[serde(default)]
    pub(crate) devices: Cow<'a, [crate::devices::SandboxDevice]>,
    pub(crate) access_tokens: Cow<'a, HashMap<String, AccessToken>>,
    pub(crate) refresh_tokens: Cow<'a, HashMap<String, RefreshToken>>,
    pub(crate) sessions_created: usize,
}

/// The largest state file read (a demo holds a few hundred sessions).
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The exclusive lock over the state file, held while one request or change runs.
pub(crate) struct FileLock {
    path: PathBuf,
    _lock: File,
}

fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).read(true).write(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the lock (blocking until another process lets go) and loads the file into `state`.
pub(crate) fn begin(path: &Path, state: &std::sync::Mutex<State>) -> std::io::Result<FileLock> {
    let lock = open_private(&lock_path(path))?;
    fs4::FileExt::lock(&lock)?;
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() <= MAX_FILE => {
            let bytes = std::fs::read(path)?;
            match serde_json::from_slice::<Persisted<'static>>(&bytes) {
                Ok(persisted) => state
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .restore(persisted),
                Err(e) => {
                    tracing::warn!(file = %path.display(), error = %e, "the sandbox state file is unreadable: starting afresh")
                }
            }
        }
        Ok(_) => {
            tracing::warn!(file = %path.display(), "the sandbox state file is not a regular file of a sane size: ignored")
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    Ok(FileLock {
        path: path.to_owned(),
        _lock: lock,
    })
}

/// Writes `state` back and lets go of the lock.
pub(crate) fn commit(lock: FileLock, state: &std::sync::Mutex<State>) -> std::io::Result<()> {
    let bytes = {
        let state = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        serde_json::to_vec(&state.to_persisted()).map_err(std::io::Error::other)?
    };
    let mut tmp = lock.path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    let mut file = open_private(&tmp)?;
    file.set_len(0)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, &lock.path)?;
    Ok(())
}

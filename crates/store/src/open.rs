//! Opening a store safely and saying why it cannot be opened.
//!
//! - The SQLite file is created owner-only (its directory 0700, the file 0600 on Unix; SQLite
//!   gives its `-wal` and `-shm` files the database file's mode), so user names, e-mails, supporter
//!   links and the audit trail are not readable by other local users.
//! - A first connection runs SQLite's set-up and one read before the pool exists: a corrupt file
//!   or a full disk fails at once with SQLite's own words, where the pool would retry its
//!   connection for the whole acquire timeout and end with "pool timed out".
//! - A file that can be read but not written (a full disk, a read-only mount) is opened read-only:
//!   lists and shows keep working, and a write says the store is read-only and why.
//! - sqlx logs a statement that is slow (waiting on another process's lock) at debug level only:
//!   a 100 kB multi-row statement is not a warning for the agent to read.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::any::AnyConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};

use crate::Backend;

/// What every SQLite connection runs first.
pub(crate) const SQLITE_SETUP: &str =
    "PRAGMA page_size = 32768; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; \
     PRAGMA wal_autocheckpoint = 8192; PRAGMA journal_size_limit = 67108864;";

/// What a read-only SQLite connection runs first (no journal mode change: that would write).
pub(crate) const SQLITE_READ_ONLY_SETUP: &str =
    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";

/// The file of a `sqlite:` URL (`sqlite://PATH?…`, `sqlite:PATH`); `None` for an in-memory
/// database or another scheme.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(PathBuf::from(path))
}

/// The connect options of `url`, with statements logged at trace and slow ones at debug level.
pub(crate) fn connect_options(url: &str) -> Result<AnyConnectOptions, sqlx::Error> {
    let options: AnyConnectOptions = url.parse()?;
    Ok(options
        .log_statements(log::LevelFilter::Trace)
        .log_slow_statements(log::LevelFilter::Debug, Duration::from_secs(1)))
}

/// Creates the directories up to `path` (owner-only where this creates them) and the empty
/// database file itself owner-only, when they do not exist yet. An existing file keeps its mode
/// (`doctor` warns when it is readable by others).
pub fn create_private(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// `mkdir -p` with mode 0700 for each directory it creates (Unix); on Windows a directory in
/// the user's profile inherits an ACL that grants only the user, SYSTEM and administrators.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Whether SQLite's error says the file can be read but not written: a full disk, an I/O error
/// while writing, a read-only file or mount.
pub(crate) fn write_refused(e: &sqlx::Error) -> bool {
    let text = e.to_string();
    [
        "disk is full",
        "disk I/O error",
        "readonly database",
        "unable to open database file",
        "No space left",
    ]
    .iter()
    .any(|t| text.contains(t))
}

/// One connection with the set-up and one read: fails at once with SQLite's cause.
pub(crate) async fn probe_sqlite(
    options: &AnyConnectOptions,
    read_only: bool,
) -> Result<(), sqlx::Error> {
    let mut conn = sqlx::AnyConnection::connect_with(options).await?;
    let setup = if read_only {
        SQLITE_READ_ONLY_SETUP
    } else {
        SQLITE_SETUP
    };
    let outcome = async {
        conn.execute(setup).await?;
        sqlx::query("SELECT COUNT(*) FROM sqlite_master")
            .fetch_one(&mut conn)
            .await?;
        Ok::<(), sqlx::Error>(())
    }
    .await;
    let _ = conn.close().await;
    outcome
}

/// A direct connection to say why the pool could not connect (PostgreSQL unreachable, refused
/// credentials): the pool's own error is only "pool timed out".
pub(crate) async fn cause(options: &AnyConnectOptions, backend: Backend) -> Option<sqlx::Error> {
    let attempt = tokio::time::timeout(Duration::from_secs(10), async {
        let mut conn = sqlx::AnyConnection::connect_with(options).await?;
        if backend == Backend::Sqlite {
            conn.execute(SQLITE_SETUP).await?;
        }
        let _ = conn.close().await;
        Ok::<(), sqlx::Error>(())
    })
    .await;
    match attempt {
        Ok(Err(e)) => Some(e),
        _ => None,
    }
}

/// The read-only form of a SQLite URL (`mode=ro`). When the write-ahead log is empty (the last
/// writer closed cleanly) the file is the whole database, and it is read as immutable: SQLite
/// then needs no `-shm` file, which a full disk cannot give it.
pub(crate) fn read_only_url(path: &Path) -> String {
    let mut wal = path.as_os_str().to_os_string();
    wal.push("-wal");
    let log_empty = std::fs::metadata(&wal).map_or(true, |m| m.len() == 0);
    if log_empty {
        format!("sqlite://{}?mode=ro&immutable=true", path.display())
    } else {
        format!("sqlite://{}?mode=ro", path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(
            sqlite_path("sqlite:///data/h.db?mode=rwc"),
            Some(PathBuf::from("/data/h.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:/data/h.db"),
            Some(PathBuf::from("/data/h.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://db/h"), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_database_and_its_directory_are_created_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a/b/h.db");
        create_private(&db).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&dir.path().join("a/b")), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
    }
}

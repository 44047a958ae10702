//! Help@Work persistence over sqlx.
//!
//! One [`Store`] over an `AnyPool`, so the same code and the same migrations serve the embedded
//! SQLite file (WAL, busy timeout, foreign keys) and a team's shared PostgreSQL. All SQL here is
//! portable: `$N` placeholders, `ON CONFLICT`, partial unique indexes, RFC 3339 text times.
//! What is deliberately not here: product rules (crates/domain) and services (crates/app).

mod admin;
mod admin_facts;
mod agents;
mod approvals;
mod armed;
mod audit;
mod bulk;
mod chain;
mod closes;
mod device_read;
mod devices;
mod fleet;
mod hosts;
mod live;
mod open;
mod outbox;
mod policies;
mod readiness;
mod readiness_board;
mod readiness_snapshots;
mod requests;
mod sessions;
mod settings;
mod sync_state;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

pub use admin::{Integration, Tenant};
pub use admin_facts::AdminFacts;
pub use agents::AgentRecord;
pub use approvals::{ApprovalRecord, Decision};
pub use armed::{ArmConflict, ArmEnding, ArmedRecord};
pub use audit::{AuditEvent, AuditFacets, AuditQuery, NewAuditEvent, VerifiedAccount};
pub use bulk::DeviceWrite;
pub use chain::{
    AuditRecord, BreakKind, ChainBreak, ChainPoint, ChainVerification, HashedRecord, GENESIS,
    RECORD_VERSION,
};
pub use closes::PendingClose;
pub use device_read::DeviceListRow;
pub use devices::{DevicePage, DeviceQuery, ImportSummary};
pub use fleet::FleetPage;
pub use hosts::HostLinkRecord;
pub use open::{create_private, create_private_dir, sqlite_path};
pub use outbox::{SinkBacklog, SinkRecord};
pub use policies::PolicyRecord;
pub use readiness_board::StoredBoard;
pub use readiness_snapshots::ReadinessSnapshot;
pub use requests::{CustomerDevice, HandoverRecord, HelpRequestRecord, TakeConflict};
pub use sessions::{SessionConflict, SessionFacts, SessionPatch, SessionRecord};
pub use sync_state::SyncState;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database could not be opened at {location}: {source}")]
    Open {
        location: String,
        source: sqlx::Error,
    },
    #[error("the database schema could not be brought up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database is busy: another Help@Work process holds it")]
    Busy,
    #[error("the disk holding the database is full: {0}")]
    DiskFull(String),
    #[error("the database could not be written (disk I/O error): {0}")]
    Io(String),
    #[error("the database is open read-only (it could not be opened for writing when this command started): {0}")]
    ReadOnly(String),
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sql(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let msg = db.message();
            if msg.contains("database is locked") || msg.contains("database is busy") {
                return StoreError::Busy;
            }
            // SQLITE_FULL, PostgreSQL's disk_full (53100) or an ENOSPC in its message.
            if msg.contains("database or disk is full")
                || db.code().as_deref() == Some("53100")
                || msg.contains("No space left on device")
            {
                return StoreError::DiskFull(msg.to_string());
            }
            if msg.contains("disk I/O error") {
                return StoreError::Io(msg.to_string());
            }
            if msg.contains("readonly database") {
                return StoreError::ReadOnly(msg.to_string());
            }
        }
        StoreError::Sql(e)
    }
}

/// What kind of trouble a [`StoreError`] is, for the fix the user is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// The file is damaged, or not a database at all.
    Corrupt,
    /// No room left on the disk (or the disk failed writing).
    DiskFull,
    /// Opened read-only: it could not be opened for writing.
    ReadOnly,
    /// Another process holds it.
    Busy,
    /// Anything else (unreachable server, permissions, a bug).
    Other,
}

impl StoreError {
    pub fn trouble(&self) -> Trouble {
        let text = self.to_string();
        match self {
            StoreError::Busy => Trouble::Busy,
            StoreError::DiskFull(_) | StoreError::Io(_) => Trouble::DiskFull,
            StoreError::ReadOnly(_) => Trouble::ReadOnly,
            _ if text.contains("file is not a database")
                || text.contains("database disk image is malformed") =>
            {
                Trouble::Corrupt
            }
            _ if text.contains("disk is full")
                || text.contains("disk I/O error")
                || text.contains("No space left") =>
            {
                Trouble::DiskFull
            }
            _ => Trouble::Other,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: devices, sessions, audit, settings.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The live fleet's search index (see `live`); `None` in a one-shot command.
    live: Option<std::sync::Arc<live::LiveFleet>>,
    /// The admin facts as last read (see `admin_facts`); `None` in a one-shot command.
    admin: Option<admin_facts::Cache>,
    /// Why the SQLite file is open read-only, when it is (see `open`).
    read_only: Option<Arc<str>>,
    /// The SQLite file, when the store is one.
    sqlite_file: Option<PathBuf>,
    /// The TeamViewer account the audit events are written as (see `audit`).
    actor: Arc<audit::Actor>,
}

impl Store {
    /// Opens (creating when needed) the SQLite file at `path` and migrates it.
    pub async fn open_sqlite(path: &Path) -> Result<Self> {
        Self::open_sqlite_with(path, OpenOptions::default()).await
    }

    /// [`Store::open_sqlite`] with options. A new file and the directories made for it are
    /// owner-only.
    pub async fn open_sqlite_with(path: &Path, open: OpenOptions) -> Result<Self> {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        Self::open_with(&url, open).await
    }

    /// Opens `sqlite:…` or `postgres://…` and migrates it.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, OpenOptions::default()).await
    }

    /// [`Store::open`] with options.
    pub async fn open_with(url: &str, open: OpenOptions) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let location = redact_url(url);
        let failed = |source: sqlx::Error| StoreError::Open {
            location: location.clone(),
            source,
        };
        let mut options = open::connect_options(url).map_err(failed)?;
        let sqlite_file = match backend {
            Backend::Sqlite => open::sqlite_path(url),
            Backend::Postgres => None,
        };
        let mut read_only = None;
        if let Some(path) = &sqlite_file {
            if !url.contains("mode=ro") {
                open::create_private(path).map_err(|e| failed(sqlx::Error::Io(e)))?;
            }
            if let Err(e) = open::probe_sqlite(&options, false).await {
                // Readable but not writable (a full disk, a read-only mount): open it read-only
                // so lists and shows still answer; a write then says why it cannot be done.
                let ro = open::connect_options(&open::read_only_url(path)).map_err(failed)?;
                if !open::write_refused(&e) || open::probe_sqlite(&ro, true).await.is_err() {
                    return Err(failed(e));
                }
                tracing::warn!(
                    "the database {location} could not be opened for writing ({e}); it is open read-only"
                );
                read_only = Some(Arc::<str>::from(e.to_string()));
                options = ro;
            }
        }
        let max = match (backend, open.single_connection) {
            (_, true) => 1,
            (Backend::Sqlite, false) => 4,
            (Backend::Postgres, false) => 8,
        };
        let setup = if read_only.is_some() {
            open::SQLITE_READ_ONLY_SETUP
        } else {
            open::SQLITE_SETUP
        };
        let pool = match AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            // A ping before each use finds a PostgreSQL connection the server or the network
            // dropped. A SQLite connection is a file handle that does not go stale, and its ping
            // is a round trip to the connection's worker thread: as much as a small query.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(setup).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await
        {
            Ok(pool) => pool,
            Err(sqlx::Error::PoolTimedOut) => {
                let cause = open::cause(&options, backend).await;
                return Err(failed(cause.unwrap_or(sqlx::Error::PoolTimedOut)));
            }
            Err(e) => return Err(failed(e)),
        };
        let migrated = !schema_is_current(&pool, backend).await;
        if migrated {
            if let Some(why) = &read_only {
                return Err(StoreError::ReadOnly(why.to_string()));
            }
            if backend == Backend::Sqlite {
                // Every migration rewrites schema pages; with the usual checkpoint threshold
                // (`SQLITE_SETUP`) they would all pile up in the log before the first checkpoint.
                // A low threshold on the migrating connection folds each one in as it commits,
                // so a new store needs little more than its own size on disk.
                let mut conn = pool.acquire().await?;
                sqlx::query("PRAGMA wal_autocheckpoint = 16")
                    .execute(&mut *conn)
                    .await?;
                let ran = MIGRATOR.run_direct(&mut *conn).await;
                sqlx::query("PRAGMA wal_autocheckpoint = 8192")
                    .execute(&mut *conn)
                    .await?;
                ran?;
            } else {
                MIGRATOR.run(&pool).await?;
            }
            devices::fill_id_keys(&pool, backend).await?;
            // The events of before the audit chain, chained once (a no-op when none is left).
            chain::backfill(&pool, backend).await?;
            if backend == Backend::Postgres {
                postgres_search_index(&pool).await;
            }
            if backend == Backend::Sqlite {
                // A new store's migrations leave megabytes of log behind (every migration
                // rewrites the schema's pages): fold them in now, not at the command's end,
                // so the first command on a small disk does not carry them.
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&pool)
                    .await?;
            }
        }
        tracing::debug!(?backend, "store opened");
        let store = Self {
            pool,
            backend,
            live: (!open.single_connection).then(Default::default),
            admin: (!open.single_connection).then(Default::default),
            read_only,
            sqlite_file,
            actor: Default::default(),
        };
        if store.read_only.is_none() {
            // A new version may compute readiness differently (crate::readiness).
            store.keep_readiness_current().await?;
        }
        Ok(store)
    }

    /// Why the store is open read-only, when it is: its file could not be opened for writing.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// The SQLite file of the store, when it is one.
    pub fn sqlite_file(&self) -> Option<&Path> {
        self.sqlite_file.as_deref()
    }

    /// Whether every migration is applied unchanged (what a start checks in one round trip).
    pub async fn schema_is_current(&self) -> bool {
        schema_is_current(&self.pool, self.backend).await
    }

    /// Builds the in-memory search index now (a no-op in a one-shot command, or when it is
    /// current), so the first search after a start or a sync does not wait for it.
    pub async fn warm_search(&self) -> Result<()> {
        if let Some(live) = &self.live {
            live.snapshot(&self.pool, self.backend).await?;
        }
        Ok(())
    }

    /// Closes every connection, waiting for them. On SQLite the last one to close folds the
    /// write-ahead log into the database and removes it, so the next process to open the store
    /// does not have to read the log first (a one-shot command closes this way before it exits).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Copies SQLite's write-ahead log into the database now, in one pass (a no-op on
    /// PostgreSQL). SQLite does this by itself once the log passes 8,192 pages (256 MB) and when
    /// the last connection closes: a bulk write (a sync, an import) then writes each page to
    /// the log once per batch and to the database once, where the default threshold (1,000
    /// pages) made every batch's commit stop for a checkpoint. The window runs this after a
    /// sync, once it has answered. Readers and writers are not blocked; what a busy reader still
    /// needs stays in the log.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction that will write: see [`begin_write`].
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        begin_write(&self.pool, self.backend).await
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// A transaction that will write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), waiting up to the busy timeout for another writer: a deferred transaction that
/// reads first and writes later fails at once with "database is locked" when another process
/// wrote in between, without waiting. On PostgreSQL a plain `BEGIN`: its row locks are taken
/// by the statements (the audit chain's head by its `UPDATE`).
pub(crate) async fn begin_write(
    pool: &AnyPool,
    backend: Backend,
) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
    Ok(match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => pool.begin().await?,
    })
}

/// How a store is opened.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// One connection: for a one-shot command whose queries run one after another. Each extra
    /// PostgreSQL connection costs a server process and cold catalog caches, and a pool opens
    /// one whenever a query starts before the previous connection is back. Such a command also
    /// keeps no in-memory search index (its one query reads the database's indexes), nor the
    /// admin facts (`admin_facts`).
    pub single_connection: bool,
}

/// Whether every migration is applied with its checksum (and, on PostgreSQL, the trigram index
/// exists), in one round trip: then a start skips the migrator's lock and its several queries.
/// Any doubt (no table yet, a new or changed migration, an error) answers `false` and the
/// migrator runs as usual.
async fn schema_is_current(pool: &AnyPool, backend: Backend) -> bool {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT version, lower(hex(checksum)) AS checksum, 1 AS search_index \
             FROM _sqlx_migrations WHERE success ORDER BY version"
        }
        Backend::Postgres => {
            "SELECT version, encode(checksum, 'hex') AS checksum, \
             (SELECT COUNT(*) FROM pg_class WHERE relname = 'devices_search_trgm' AND relkind = 'i') AS search_index \
             FROM _sqlx_migrations WHERE success ORDER BY version"
        }
    };
    use sqlx::Row;
    let Ok(rows) = sqlx::query(sql).fetch_all(pool).await else {
        return false;
    };
    let applied: Vec<(i64, String, i64)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let expected: Vec<(i64, String)> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| {
            let hex = m.checksum.iter().map(|b| format!("{b:02x}")).collect();
            (m.version, hex)
        })
        .collect();
    applied.len() == expected.len()
        && applied
            .iter()
            .zip(&expected)
            .all(|((v, c, index), (ev, ec))| v == ev && c == ec && *index > 0)
}

/// PostgreSQL only: a trigram index so `search_text LIKE '%…%'` does not scan the fleet. It needs
/// the `pg_trgm` extension (trusted since PostgreSQL 13: the database owner may create it); without
/// it search still works, only slower, and a warning says why.
async fn postgres_search_index(pool: &AnyPool) {
    // Once per database: a cheap look-up on every later start.
    let exists = sqlx::query("SELECT 1 FROM pg_indexes WHERE indexname = 'devices_search_trgm'")
        .fetch_optional(pool)
        .await;
    if matches!(exists, Ok(Some(_))) {
        return;
    }
    let steps = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX IF NOT EXISTS devices_search_trgm ON devices USING gin (search_text gin_trgm_ops)",
    ];
    for sql in steps {
        if let Err(e) = sqlx::query(sql).execute(pool).await {
            tracing::warn!(error = %e, "the trigram search index is not available: search scans the fleet");
            return;
        }
    }
}

/// A URL fit to show: the password, if any, replaced.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    format!("{}{user}:<redacted>{}", &url[..scheme_end + 3], &url[at..])
                }
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Now, as stored: RFC 3339 UTC with milliseconds.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn parse_timestamp(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|_| StoreError::Corrupt(format!("\"{text}\" is not a time")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords_in_urls() {
        assert_eq!(
            super::redact_url("postgres://agent:s3cret@db.example:5432/help"),
            "postgres://agent:<redacted>@db.example:5432/help"
        );
        assert_eq!(
            super::redact_url("sqlite:///tmp/a.db"),
            "sqlite:///tmp/a.db"
        );
    }
}

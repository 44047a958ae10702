//! Files the app creates for the agent (the audit export, the settings file) and files it reads
//! from its data directory, handled so that neither a mistake nor a planted file turns them
//! against the product.
//!
//! - Writing: the content goes to a temp file created exclusively (a new random name, never
//!   following a link, owner-only), then renamed over the target; a failure (a full disk) removes
//!   the temp file, so nothing is left behind.
//! - The target of an export must be a regular file or a new name, outside the product's own
//!   files (the data directory, the database and its `-wal`/`-shm`): never a FIFO, a device, a
//!   directory or a link.
//! - Reading: only a regular file, opened without blocking (a FIFO swapped in cannot hang the
//!   app), at most `max` bytes.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{AppError, ErrorCode, Result};

/// What a path is, in words, when it is not a regular file.
fn kind_of(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    (!t.is_file()).then_some("not a regular file")
}

/// Whether an I/O error says the disk (or the user's quota) is full.
pub fn disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || e.raw_os_error() == Some(27) // EFBIG: the file size limit (ulimit -f)
}

/// The product's own files: what an export must never replace.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// Directories whose contents are the product's (the data directory).
    pub dirs: Vec<PathBuf>,
    /// Directories inside those that hold the agent's files (the window's `exports` fallback).
    pub allowed: Vec<PathBuf>,
    /// Single files (the database and its companions, wherever it lives).
    pub files: Vec<PathBuf>,
}

impl Protected {
    /// The files of a context: its data directory (the real one, also when the demo runs), the
    /// SQLite database it opened with its `-wal`, `-shm` and `-journal`.
    pub fn of(ctx: &crate::AppContext) -> Self {
        let mut dirs = vec![ctx.paths.root().to_path_buf()];
        if ctx.demo {
            if let Some(real) = ctx.paths.root().parent() {
                dirs.push(real.to_path_buf());
            }
        }
        let mut files = Vec::new();
        if let Some(db) = ctx.store.sqlite_file() {
            files.push(db.to_path_buf());
            for suffix in ["-wal", "-shm", "-journal"] {
                let mut name = db.as_os_str().to_os_string();
                name.push(suffix);
                files.push(PathBuf::from(name));
            }
        }
        Self {
            allowed: vec![ctx.paths.root().join("exports")],
            dirs,
            files,
        }
    }

    fn holds(&self, target: &Path) -> bool {
        let canon = |p: &Path| -> PathBuf {
            match (p.parent(), p.file_name()) {
                (Some(dir), Some(name)) => std::fs::canonicalize(dir)
                    .map(|d| d.join(name))
                    .unwrap_or_else(|_| p.to_path_buf()),
                _ => std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()),
            }
        };
        let target = canon(target);
        let inside = |dir: &PathBuf| {
            std::fs::canonicalize(dir).is_ok_and(|d| target.starts_with(&d) && target != d)
        };
        self.files.iter().any(|f| canon(f) == target)
            || (self.dirs.iter().any(inside) && !self.allowed.iter().any(inside))
    }
}

/// Where an export goes, checked: a regular file or a new name in an existing directory,
/// never one of the product's own files.
#[derive(Debug)]
pub struct Target {
    path: PathBuf,
    dir: PathBuf,
    name: std::ffi::OsString,
    /// Refuse to replace a file that appeared meanwhile (a new, generated name).
    new_only: bool,
}

impl Target {
    pub fn check(path: &Path, protected: &Protected) -> Result<Self> {
        let shown = path.display().to_string();
        let name = path
            .file_name()
            .filter(|n| *n != "." && *n != "..")
            .ok_or_else(|| {
                AppError::invalid(format!("{shown} does not name a file.")).with_fix(
                    "Give a file name, e.g. --out audit.csv, or --out - for standard output.",
                )
            })?
            .to_os_string();
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        if !dir.is_dir() {
            return Err(AppError::invalid(format!(
                "Cannot write {shown}: its directory does not exist."
            ))
            .with_fix("Choose a file in a directory that exists and that you can write to."));
        }
        match std::fs::symlink_metadata(path) {
            Ok(meta) => {
                if let Some(kind) = kind_of(&meta) {
                    return Err(AppError::invalid(format!(
                        "{shown} is {kind}: an export writes only a regular file or a new file."
                    ))
                    .with_fix("Choose a new file name, or --out - to write to standard output.")
                    .with_details(serde_json::json!({ "path": shown })));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(
                    AppError::invalid(format!("Cannot write {shown}: {e}")).with_fix(
                        "Choose a file in a directory that exists and that you can write to.",
                    ),
                )
            }
        }
        if protected.holds(path) {
            return Err(AppError::invalid(format!(
                "{shown} is one of Help@Work's own files (its data directory or its database); an export never replaces them."
            ))
            .with_fix("Choose a file outside the Help@Work data directory, e.g. in your Documents or Downloads folder.")
            .with_details(serde_json::json!({ "path": shown })));
        }
        Ok(Self {
            path: path.to_path_buf(),
            dir,
            name,
            new_only: false,
        })
    }

    /// A target that must not exist yet (a generated name).
    pub fn new_file(path: &Path, protected: &Protected) -> Result<Self> {
        let mut target = Self::check(path, protected)?;
        target.new_only = true;
        Ok(target)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes through `fill` into an exclusive, owner-only temp file beside the target, then
    /// renames it over the target. Any failure removes the temp file.
    pub async fn write<T, F, Fut>(&self, fill: F) -> Result<T>
    where
        F: FnOnce(std::io::BufWriter<std::fs::File>) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let shown = self.path.display().to_string();
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(&self.name);
        prefix.push(".");
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".partial")
            .tempfile_in(&self.dir)
            .map_err(|e| io_error(&shown, &self.dir, e))?;
        let file = temp
            .as_file()
            .try_clone()
            .map_err(|e| io_error(&shown, &self.dir, e))?;
        let value = fill(std::io::BufWriter::new(file)).await?;
        temp.as_file()
            .sync_all()
            .map_err(|e| io_error(&shown, &self.dir, e))?;
        let persisted = if self.new_only {
            temp.persist_noclobber(&self.path)
        } else {
            temp.persist(&self.path)
        };
        persisted.map_err(|e| io_error(&shown, &self.dir, e.error))?;
        Ok(value)
    }
}

/// An I/O failure while writing `shown` in `dir`: a full disk says so and what to free.
pub fn io_error(shown: &str, dir: &Path, e: std::io::Error) -> AppError {
    if disk_full(&e) {
        AppError::new(
            ErrorCode::Internal,
            format!("The disk is full: {shown} could not be written ({e}). Nothing was changed."),
        )
        .with_fix(format!(
            "Free space on the disk that holds {}, then try again.",
            dir.display()
        ))
        .with_details(serde_json::json!({ "cause": "disk_full", "path": shown }))
    } else {
        AppError::invalid(format!("Cannot write {shown}: {e}"))
            .with_fix("Choose a file in a directory that exists and that you can write to.")
    }
}

/// Writes `bytes` to `path` whole (temp file, then rename), owner-only; a failure leaves the old
/// file as it was and no temp file behind.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default();
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Why a file could not be read by [`read_regular`].
#[derive(Debug)]
pub enum ReadRefused {
    /// It is a FIFO, a device, a directory…
    NotRegular(&'static str),
    /// Larger than the cap.
    TooLarge(u64),
    Io(std::io::Error),
}

/// Reads `path` when it is a regular file of at most `max` bytes (a link to one is followed);
/// `Ok(None)` when it does not exist.
pub fn read_regular(path: &Path, max: u64) -> std::result::Result<Option<Vec<u8>>, ReadRefused> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadRefused::Io(e)),
    };
    if let Some(kind) = kind_of(&meta) {
        return Err(ReadRefused::NotRegular(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO put there after the check must not block the open.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(ReadRefused::Io)?;
    let meta = file.metadata().map_err(ReadRefused::Io)?;
    if let Some(kind) = kind_of(&meta) {
        return Err(ReadRefused::NotRegular(kind));
    }
    if meta.len() > max {
        return Err(ReadRefused::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadRefused::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadRefused::TooLarge(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    #[cfg_attr(not(unix), allow(unused_imports))]
    use super::*;

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_and_never_past_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        assert!(matches!(
            read_regular(&fifo, 10),
            Err(ReadRefused::NotRegular(k)) if k.contains("FIFO")
        ));
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(
            read_regular(&zero, 10),
            Err(ReadRefused::NotRegular("a device"))
        ));
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 11]).unwrap();
        assert!(matches!(
            read_regular(&big, 10),
            Err(ReadRefused::TooLarge(11))
        ));
        let fine = dir.path().join("fine");
        std::fs::write(&fine, b"{}").unwrap();
        assert_eq!(read_regular(&fine, 10).unwrap(), Some(b"{}".to_vec()));
        assert_eq!(read_regular(&dir.path().join("none"), 10).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_whole_write_is_owner_only_and_leaves_no_temp_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.json");
        write_whole(&file, b"{}").unwrap();
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.json")]);
    }
}

//! Every path the app uses, from one place, with a test override (`HELPATWORK_DATA_DIR`).

use std::path::{Path, PathBuf};

/// Release and development builds keep separate data, like separate app identities.
pub const IDENTITY: &str = if cfg!(debug_assertions) {
    "helpatwork-desk-dev"
} else {
    "helpatwork-desk"
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    root: PathBuf,
}

impl Paths {
    /// `HELPATWORK_DATA_DIR`, else the OS data directory for this identity.
    pub fn from_env() -> Self {
        match std::env::var_os("HELPATWORK_DATA_DIR").filter(|v| !v.is_empty()) {
            Some(dir) => Self::at(PathBuf::from(dir)),
            None => Self::at(
                directories::ProjectDirs::from("", "", IDENTITY)
                    .map(|d| d.data_dir().to_path_buf())
                    .unwrap_or_else(|| std::env::temp_dir().join(IDENTITY)),
            ),
        }
    }

    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The demo sandbox keeps its own data beside the real data, never mixed with it.
    pub fn demo(&self) -> Self {
        Self::at(self.root.join("demo"))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join("helpatwork.db")
    }

    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }

    /// The agent's settings (crate::settings): non-secret values only.
    pub fn settings_file(&self) -> PathBuf {
        self.root.join("settings.json")
    }

    /// Where the window saves exports (the audit CSV): `HELPATWORK_EXPORT_DIR`, else the user's
    /// Downloads folder, else `exports` in the data dir.
    pub fn exports(&self) -> PathBuf {
        std::env::var_os("HELPATWORK_EXPORT_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                directories::UserDirs::new().and_then(|u| u.download_dir().map(Path::to_path_buf))
            })
            .unwrap_or_else(|| self.root.join("exports"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_lives_apart() {
        let p = Paths::at("/data");
        assert_eq!(p.database(), PathBuf::from("/data/helpatwork.db"));
        assert_eq!(
            p.demo().database(),
            PathBuf::from("/data/demo/helpatwork.db")
        );
        assert_eq!(p.settings_file(), PathBuf::from("/data/settings.json"));
        assert_eq!(
            p.demo().settings_file(),
            PathBuf::from("/data/demo/settings.json")
        );
    }
}

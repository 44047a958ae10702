//! The live fleet's search index, in memory, for a long-running process (the window).
//!
//! A list query with text, a platform or a readiness answers from here: the live devices in
//! list order (name, then id) with their search text and the two filters, held compactly (about
//! 110 bytes a device; 11 MB at 100,000). One pass finds the page and counts every match, so the
//! count costs what the page costs: at 100,000 devices a substring search over all the text takes
//! about a millisecond, where the database had to read a whole index for each count. Only the
//! page's rows are then read from the database.
//!
//! Every write that changes what a list shows (a device written, removed or revived) bumps
//! `fleet_version.version` in its transaction; each query first reads that number (one small
//! query) and rebuilds the index when it moved, so writes by another process or another agent
//! of a team show up on the next query. A one-shot command (the CLI) does not build it: one query
//! over the database's indexes is cheaper than reading the fleet once.

use std::sync::Arc;

use helpatwork_domain::{Platform, Readiness};
use sqlx::Row;

use crate::{Backend, Result, StoreError};

/// Rows read by a rebuild. PostgreSQL returns them in list order (its collation's, as in a list
/// it answers itself); SQLite's order is byte order, so its rows come from a plain scan of the
/// table and are sorted here (ordering in SQL walks the name index and reads each row apart:
/// 0.7 s at 100,000 devices instead of 0.4 s).
const LOAD_SQL_SQLITE: &str = "SELECT id, search_text, platform, readiness, sort_key FROM devices \
     WHERE removed_at IS NULL";
const LOAD_SQL_POSTGRES: &str =
    "SELECT id, search_text, platform, readiness, sort_key FROM devices \
     WHERE removed_at IS NULL ORDER BY sort_key, id";

/// The query that tells whether the index is current.
const VERSION_SQL: &str = "SELECT version FROM fleet_version WHERE id = 1";

/// What every write that changes a list runs in its transaction.
const BUMP_SQL: &str = "UPDATE fleet_version SET version = version + 1 WHERE id = 1";

/// The live fleet as of one `fleet_version`.
#[derive(Debug)]
pub(crate) struct Snapshot {
    version: i64,
    /// Every device's search text, each followed by a NUL, in list order.
    text: Vec<u8>,
    /// Where device `i`'s text starts; one more entry than devices (the end).
    starts: Vec<u32>,
    /// Every device's id, back to back, in list order; `id_starts` as `starts`.
    id_text: String,
    id_starts: Vec<u32>,
    platforms: Vec<Platform>,
    readiness: Vec<Readiness>,
}

/// Which devices a list query wants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Wanted<'a> {
    /// Lower-case text to find anywhere in the search text; `None` for any.
    pub(crate) text: Option<&'a str>,
    pub(crate) platform: Option<Platform>,
    pub(crate) readiness: Option<Readiness>,
    pub(crate) offset: u32,
    pub(crate) limit: u32,
}

/// A page of ids in list order, and how many devices match in all.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) ids: Vec<Box<str>>,
    pub(crate) total: u32,
}

impl Snapshot {
    pub(crate) fn len(&self) -> usize {
        self.platforms.len()
    }

    fn id(&self, i: usize) -> &str {
        &self.id_text[self.id_starts[i] as usize..self.id_starts[i + 1] as usize]
    }

    fn keeps(&self, i: usize, wanted: &Wanted) -> bool {
        let platform_ok = match wanted.platform {
            None => true,
            // "Other" is every platform Help@Work does not support (L2).
            Some(Platform::Other) => {
                !matches!(self.platforms[i], Platform::Android | Platform::Ios)
            }
            Some(p) => self.platforms[i] == p,
        };
        platform_ok && wanted.readiness.is_none_or(|r| self.readiness[i] == r)
    }

    fn text_of(&self, i: usize) -> &[u8] {
        // The stored end is the NUL after the text.
        &self.text[self.starts[i] as usize..self.starts[i + 1] as usize - 1]
    }

    /// The devices `0..len` in runs of about equal size, one per core (up to four), for a fleet
    /// of [`PARALLEL_FROM`] devices or more; one run for a smaller one.
    fn parts(&self) -> Vec<std::ops::Range<usize>> {
        let len = self.len();
        let cores = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(4);
        let n = if len >= PARALLEL_FROM { cores } else { 1 };
        let per = len.div_ceil(n).max(1);
        (0..len)
            .step_by(per)
            .map(|start| start..(start + per).min(len))
            .collect()
    }

    /// One scan over the text of the devices `part` (a match cannot cross the NUL between two
    /// devices, nor the start of a part): the first `want` devices that match, and how many do.
    fn scan(
        &self,
        needle: &[u8],
        part: std::ops::Range<usize>,
        wanted: &Wanted,
        want: usize,
    ) -> (Vec<u32>, u32) {
        let base = self.starts[part.start] as usize;
        let end = self.starts[part.end] as usize;
        let mut firsts = Vec::new();
        let mut total = 0;
        let mut device = part.start;
        let mut last = usize::MAX;
        for at in memchr::memmem::find_iter(&self.text[base..end], needle) {
            while self.starts[device + 1] as usize <= base + at {
                device += 1;
            }
            if device != last {
                last = device;
                if self.keeps(device, wanted) {
                    if firsts.len() < want {
                        firsts.push(device as u32);
                    }
                    total += 1;
                }
            }
        }
        (firsts, total)
    }

    /// The page and the count, in one pass.
    pub(crate) fn find(&self, wanted: &Wanted) -> Found {
        let mut found = Found {
            ids: Vec::new(),
            total: 0,
        };
        let take = |i: usize, found: &mut Found| {
            if found.total >= wanted.offset && found.ids.len() < wanted.limit as usize {
                found.ids.push(self.id(i).into());
            }
            found.total += 1;
        };
        match wanted.text.map(str::as_bytes) {
            None => {
                for i in 0..self.len() {
                    if self.keeps(i, wanted) {
                        take(i, &mut found);
                    }
                }
            }
            Some(needle) if needle.contains(&0) => {
                // A NUL separates the texts: test each device on its own.
                let finder = memchr::memmem::Finder::new(needle);
                for i in 0..self.len() {
                    if self.keeps(i, wanted) && finder.find(self.text_of(i)).is_some() {
                        take(i, &mut found);
                    }
                }
            }
            Some(needle) => {
                // A large fleet's text is scanned in parts at once, one per core: the first
                // part's matches come first in the list, so the page is taken from the parts in
                // order, and the counts add up.
                let want = wanted.offset as usize + wanted.limit as usize;
                let parts = self.parts();
                let scanned: Vec<(Vec<u32>, u32)> = if parts.len() < 2 {
                    parts
                        .into_iter()
                        .map(|part| self.scan(needle, part, wanted, want))
                        .collect()
                } else {
                    std::thread::scope(|scope| {
                        let running: Vec<_> = parts
                            .into_iter()
                            .map(|part| scope.spawn(move || self.scan(needle, part, wanted, want)))
                            .collect();
                        running
                            .into_iter()
                            .map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                            .collect()
                    })
                };
                for (firsts, total) in scanned {
                    // A part's matches past its first `want` come after a full page.
                    let more = total - firsts.len() as u32;
                    for i in firsts {
                        take(i as usize, &mut found);
                    }
                    found.total += more;
                }
            }
        }
        found
    }
}

/// Devices from which a text search scans in parts, one per core: about 10 MB of text, a few
/// milliseconds of one core's scan, where starting the threads costs tens of microseconds.
const PARALLEL_FROM: usize = 100_000;

/// The index of one store, rebuilt when the fleet's version moves.
#[derive(Debug, Default)]
pub(crate) struct LiveFleet {
    current: tokio::sync::Mutex<Option<Arc<Snapshot>>>,
}

impl LiveFleet {
    /// The current snapshot, rebuilt first when the database's version differs from it.
    pub(crate) async fn snapshot(
        &self,
        pool: &sqlx::AnyPool,
        backend: Backend,
    ) -> Result<Arc<Snapshot>> {
        let version: i64 = sqlx::query(VERSION_SQL).fetch_one(pool).await?.get(0);
        let mut current = self.current.lock().await;
        if let Some(snapshot) = current.as_ref().filter(|s| s.version == version) {
            return Ok(snapshot.clone());
        }
        // The version is read before the rows: a write between the two only makes the next
        // query rebuild again, never keeps a stale picture.
        let snapshot = Arc::new(load(pool, backend, version).await?);
        *current = Some(snapshot.clone());
        Ok(snapshot)
    }
}

async fn load(pool: &sqlx::AnyPool, backend: Backend, version: i64) -> Result<Snapshot> {
    use futures_util::TryStreamExt;

    let started = std::time::Instant::now();
    let sql = match backend {
        Backend::Sqlite => LOAD_SQL_SQLITE,
        Backend::Postgres => LOAD_SQL_POSTGRES,
    };
    // Rows are streamed into one buffer (name, id and text of each device, back to back) so a
    // rebuild holds little more than the index it builds: collecting 100,000 rows first held
    // about 50 MB more, which the allocator then kept.
    let mut raw = Raw::default();
    let mut rows = sqlx::query(sql).fetch(pool);
    while let Some(r) = rows.try_next().await? {
        let platform: &str = r.try_get("platform")?;
        let readiness: &str = r.try_get("readiness")?;
        raw.push(
            r.try_get("sort_key")?,
            r.try_get("id")?,
            r.try_get("search_text")?,
            Platform::parse(platform)
                .ok_or_else(|| StoreError::Corrupt(format!("platform {platform}")))?,
            Readiness::parse(readiness)
                .ok_or_else(|| StoreError::Corrupt(format!("readiness {readiness}")))?,
        )?;
    }
    drop(rows);
    let mut order: Vec<u32> = (0..raw.devices.len() as u32).collect();
    if backend == Backend::Sqlite {
        order.sort_unstable_by(|a, b| raw.key(*a).cmp(&raw.key(*b)));
    }
    let text_len: usize = raw.devices.iter().map(|d| d.text.len() + 1).sum();
    let id_len: usize = raw.devices.iter().map(|d| d.id.len()).sum();
    let mut snapshot = Snapshot {
        version,
        text: Vec::with_capacity(text_len),
        starts: Vec::with_capacity(order.len() + 1),
        id_text: String::with_capacity(id_len),
        id_starts: Vec::with_capacity(order.len() + 1),
        platforms: Vec::with_capacity(order.len()),
        readiness: Vec::with_capacity(order.len()),
    };
    for i in order {
        let d = &raw.devices[i as usize];
        snapshot.starts.push(offset(snapshot.text.len())?);
        snapshot.id_starts.push(offset(snapshot.id_text.len())?);
        snapshot
            .text
            .extend_from_slice(raw.bytes[d.text.clone()].as_bytes());
        snapshot.text.push(0);
        snapshot.id_text.push_str(&raw.bytes[d.id.clone()]);
        snapshot.platforms.push(d.platform);
        snapshot.readiness.push(d.readiness);
    }
    snapshot.starts.push(offset(snapshot.text.len())?);
    snapshot.id_starts.push(offset(snapshot.id_text.len())?);
    tracing::debug!(
        devices = snapshot.len(),
        ms = started.elapsed().as_millis() as u64,
        version,
        "live fleet index built"
    );
    Ok(snapshot)
}

fn offset(at: usize) -> Result<u32> {
    u32::try_from(at)
        .map_err(|_| StoreError::Corrupt("the fleet's search text passes 4 GiB".into()))
}

/// The rows of a rebuild as read, before they are put in list order.
#[derive(Default)]
struct Raw {
    bytes: String,
    devices: Vec<RawDevice>,
}

struct RawDevice {
    /// `sort_key`, then `id`, in `bytes`: the list order's key.
    sort_key: std::ops::Range<usize>,
    id: std::ops::Range<usize>,
    text: std::ops::Range<usize>,
    platform: Platform,
    readiness: Readiness,
}

impl Raw {
    fn push(
        &mut self,
        sort_key: &str,
        id: &str,
        text: &str,
        platform: Platform,
        readiness: Readiness,
    ) -> Result<()> {
        let mut put = |s: &str| {
            let start = self.bytes.len();
            self.bytes.push_str(s);
            start..self.bytes.len()
        };
        let device = RawDevice {
            sort_key: put(sort_key),
            id: put(id),
            text: put(text),
            platform,
            readiness,
        };
        offset(self.bytes.len())?;
        self.devices.push(device);
        Ok(())
    }

    fn key(&self, i: u32) -> (&str, &str) {
        let d = &self.devices[i as usize];
        (&self.bytes[d.sort_key.clone()], &self.bytes[d.id.clone()])
    }
}

/// Bumps the fleet's version in a write's transaction.
pub(crate) async fn bump(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
    sqlx::query(BUMP_SQL).execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(devices: &[(&str, &str, Platform, Readiness)]) -> Snapshot {
        let mut s = Snapshot {
            version: 1,
            text: Vec::new(),
            starts: Vec::new(),
            id_text: String::new(),
            id_starts: Vec::new(),
            platforms: Vec::new(),
            readiness: Vec::new(),
        };
        for (id, text, p, r) in devices {
            s.starts.push(s.text.len() as u32);
            s.text.extend_from_slice(text.as_bytes());
            s.text.push(0);
            s.id_starts.push(s.id_text.len() as u32);
            s.id_text.push_str(id);
            s.platforms.push(*p);
            s.readiness.push(*r);
        }
        s.starts.push(s.text.len() as u32);
        s.id_starts.push(s.id_text.len() as u32);
        s
    }

    fn ids(found: &Found) -> Vec<&str> {
        found.ids.iter().map(|s| &**s).collect()
    }

    fn wanted(text: Option<&str>) -> Wanted<'_> {
        Wanted {
            text,
            platform: None,
            readiness: None,
            offset: 0,
            limit: 10,
        }
    }

    #[test]
    fn a_device_counts_once_however_often_its_text_matches() {
        let s = snapshot(&[
            ("a", "ana ana\u{1f}ana", Platform::Android, Readiness::Ready),
            ("b", "bruno", Platform::Ios, Readiness::Ready),
            ("c", "anabela", Platform::Ios, Readiness::Blocked),
        ]);
        let found = s.find(&wanted(Some("ana")));
        assert_eq!((ids(&found), found.total), (vec!["a", "c"], 2));
    }

    #[test]
    fn a_match_never_spans_two_devices() {
        // "na" + NUL + "br" would join "ana" and "bruno" if the separator were crossed.
        let s = snapshot(&[
            ("a", "ana", Platform::Android, Readiness::Ready),
            ("b", "bruno", Platform::Ios, Readiness::Ready),
        ]);
        assert_eq!(s.find(&wanted(Some("anabr"))).total, 0);
        assert_eq!(s.find(&wanted(Some("na\0br"))).total, 0);
        assert_eq!(s.find(&wanted(Some("ab"))).total, 0);
    }

    #[test]
    fn filters_offset_and_limit_shape_the_page_but_not_the_count() {
        let s = snapshot(&[
            ("a", "x1", Platform::Android, Readiness::Ready),
            ("b", "x2", Platform::Windows, Readiness::Unsupported),
            ("c", "x3", Platform::Macos, Readiness::Unsupported),
            ("d", "x4", Platform::Other, Readiness::Unsupported),
            ("e", "y5", Platform::Ios, Readiness::Ready),
        ]);
        let mut w = wanted(Some("x"));
        w.platform = Some(Platform::Other);
        w.offset = 1;
        w.limit = 1;
        let found = s.find(&w);
        assert_eq!((ids(&found), found.total), (vec!["c"], 3));

        let mut w = wanted(None);
        w.readiness = Some(Readiness::Ready);
        let found = s.find(&w);
        assert_eq!((ids(&found), found.total), (vec!["a", "e"], 2));

        let mut w = wanted(None);
        w.platform = Some(Platform::Ios);
        w.readiness = Some(Readiness::Unsupported);
        assert_eq!(s.find(&w).total, 0);
    }

    #[test]
    fn a_large_fleet_scanned_in_parts_finds_what_one_scan_finds() {
        let texts: Vec<(String, String, Platform, Readiness)> = (0..PARALLEL_FROM + 7)
            .map(|i| {
                let platform = if i % 3 == 0 {
                    Platform::Ios
                } else {
                    Platform::Android
                };
                (
                    format!("d{i}"),
                    format!("phone {i} of team {}", i % 97),
                    platform,
                    Readiness::Ready,
                )
            })
            .collect();
        let devices: Vec<(&str, &str, Platform, Readiness)> = texts
            .iter()
            .map(|(id, text, p, r)| (id.as_str(), text.as_str(), *p, *r))
            .collect();
        let s = snapshot(&devices);
        assert!(
            s.parts().len() >= 2 || std::thread::available_parallelism().map_or(1, usize::from) < 2
        );
        let whole = 0..s.len();
        for (text, platform, offset, limit) in [
            ("team 5", None, 0, 50),
            ("team 5", Some(Platform::Ios), 1_000, 200),
            ("phone 9", None, 0, 1000),
            // A page that starts in one part and ends in the next.
            ("of", None, (PARALLEL_FROM / 2 - 3) as u32, 10),
            ("team 96", None, 2_000_000, 10),
            ("nothing", None, 0, 10),
        ] {
            let mut w = wanted(Some(text));
            w.platform = platform;
            w.offset = offset;
            w.limit = limit;
            let found = s.find(&w);
            let (all, total) = s.scan(text.as_bytes(), whole.clone(), &w, usize::MAX);
            let page: Vec<String> = all
                .iter()
                .skip(offset as usize)
                .take(limit as usize)
                .map(|&i| s.id(i as usize).to_string())
                .collect();
            assert_eq!(found.total, total, "{text}");
            assert_eq!(
                ids(&found),
                page.iter().map(String::as_str).collect::<Vec<_>>(),
                "{text}"
            );
        }
    }

    #[test]
    fn an_offset_past_the_matches_gives_an_empty_page_and_the_count() {
        let s = snapshot(&[("a", "ana", Platform::Android, Readiness::Ready)]);
        let mut w = wanted(Some("an"));
        w.offset = 5;
        let found = s.find(&w);
        assert_eq!((found.ids.len(), found.total), (0, 1));
    }
}

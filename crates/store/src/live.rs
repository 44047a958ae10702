//! The live fleet's search index, in memory, for a long-running process (the window).
//!
//! A list query with text, a platform or a readiness answers from here: the live devices in
//! list order (name, then id) with their search text and the two filters, held compactly (about
//! 80 bytes a device; 8 MB at 100,000). The text's maker and model, which repeat across a fleet,
//! are held once each and named by number; a device's id is read from its text, where it is the
//! last field. One pass finds the page and counts every match, so the
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
    /// Every device's search text but its maker and model, each followed by a NUL, in list
    /// order: name, user, e-mail and id, joined by the search text's separator (or the whole
    /// search text, for a device whose text is not made of the six usual fields).
    text: Vec<u8>,
    /// Where device `i`'s text starts; one more entry than devices (the end).
    starts: Vec<u32>,
    /// Each device's maker and model, as a number into `kinds`; [`WHOLE`] when its text holds
    /// them.
    kind_of: Vec<u32>,
    /// Every maker and model of the fleet once ("manufacturer", separator, "model").
    kinds: Vec<Box<[u8]>>,
    ids: Ids,
    platforms: Vec<Platform>,
    readiness: Vec<Readiness>,
}

/// `kind_of` for a device whose text is kept whole.
const WHOLE: u32 = u32::MAX;

/// The search text's separator between fields (`Device::search_text`).
const SEP: u8 = 0x1f;

/// Where the devices' ids are read.
#[derive(Debug)]
enum Ids {
    /// From the last field of each device's text (its id in lower case), but for the devices
    /// listed here (an id with capitals or a separator in it).
    InText {
        others: std::collections::HashMap<u32, Box<str>>,
    },
    /// Apart, back to back, when many ids are not in their text as they are spelled (a fleet
    /// whose ids have capitals): `starts` as the snapshot's.
    Apart { text: String, starts: Vec<u32> },
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
        match &self.ids {
            Ids::Apart { text, starts } => &text[starts[i] as usize..starts[i + 1] as usize],
            Ids::InText { others } => match others.get(&(i as u32)) {
                Some(id) => id,
                None => {
                    let text = self.text_of(i);
                    let from = memchr::memrchr(SEP, text).map_or(0, |at| at + 1);
                    // The build checked that this field is the id, so it is whole UTF-8.
                    std::str::from_utf8(&text[from..]).unwrap_or_default()
                }
            },
        }
    }

    /// Device `i`'s whole search text, as the database holds it.
    fn full_text(&self, i: usize) -> std::borrow::Cow<'_, [u8]> {
        let text = self.text_of(i);
        let Some(kind) = self.kinds.get(self.kind_of[i] as usize) else {
            return text.into();
        };
        // name, user, e-mail | maker, model | id
        let mut seps = memchr::memchr_iter(SEP, text);
        let cut = seps.nth(2).unwrap_or(text.len());
        let mut full = Vec::with_capacity(text.len() + kind.len() + 1);
        full.extend_from_slice(&text[..cut]);
        full.push(SEP);
        full.extend_from_slice(kind);
        full.extend_from_slice(&text[cut..]);
        full.into()
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
    /// devices, nor the start of a part), and of the makers and models that match (`kind_hits`,
    /// by number; empty when none does): the first `want` devices that match, and how many do.
    fn scan(
        &self,
        needle: &[u8],
        kind_hits: &[bool],
        part: std::ops::Range<usize>,
        wanted: &Wanted,
        want: usize,
    ) -> (Vec<u32>, u32) {
        let mut firsts = Vec::new();
        let mut total = 0;
        let mut count = |device: usize| {
            if self.keeps(device, wanted) {
                if firsts.len() < want {
                    firsts.push(device as u32);
                }
                total += 1;
            }
        };
        let mut text_hits = TextHits::new(self, needle, part.clone());
        if kind_hits.is_empty() {
            for device in text_hits {
                count(device);
            }
        } else {
            // Every device of the part in turn: its maker and model, or its text, matches.
            let mut next = text_hits.next();
            for device in part {
                let kind_hit = kind_hits
                    .get(self.kind_of[device] as usize)
                    .copied()
                    .unwrap_or(false);
                let text_hit = next == Some(device);
                if text_hit {
                    next = text_hits.next();
                }
                if kind_hit || text_hit {
                    count(device);
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
            Some(needle) if needle.contains(&0) || needle.contains(&SEP) => {
                // A NUL separates the texts, and a separator may join two fields that are held
                // apart (the maker and model): test each device's whole text on its own.
                let finder = memchr::memmem::Finder::new(needle);
                for i in 0..self.len() {
                    if self.keeps(i, wanted) && finder.find(&self.full_text(i)).is_some() {
                        take(i, &mut found);
                    }
                }
            }
            Some(needle) => {
                // A needle without a separator matches within one field: in the text, or in a
                // maker and model, each tested once here.
                let finder = memchr::memmem::Finder::new(needle);
                let kind_hits: Vec<bool> = self
                    .kinds
                    .iter()
                    .map(|kind| finder.find(kind).is_some())
                    .collect();
                let kind_hits: &[bool] = if kind_hits.contains(&true) {
                    &kind_hits
                } else {
                    &[]
                };
                // A large fleet's text is scanned in parts at once, one per core: the first
                // part's matches come first in the list, so the page is taken from the parts in
                // order, and the counts add up.
                let want = wanted.offset as usize + wanted.limit as usize;
                let parts = self.parts();
                let scanned: Vec<(Vec<u32>, u32)> = if parts.len() < 2 {
                    parts
                        .into_iter()
                        .map(|part| self.scan(needle, kind_hits, part, wanted, want))
                        .collect()
                } else {
                    std::thread::scope(|scope| {
                        let running: Vec<_> = parts
                            .into_iter()
                            .map(|part| {
                                scope
                                    .spawn(move || self.scan(needle, kind_hits, part, wanted, want))
                            })
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

/// The devices of a part whose text holds the needle, in list order, each once.
struct TextHits<'a> {
    snapshot: &'a Snapshot,
    base: usize,
    matches: memchr::memmem::FindIter<'a, 'a>,
    device: usize,
    last: Option<usize>,
}

impl<'a> TextHits<'a> {
    fn new(snapshot: &'a Snapshot, needle: &'a [u8], part: std::ops::Range<usize>) -> Self {
        let base = snapshot.starts[part.start] as usize;
        let end = snapshot.starts[part.end] as usize;
        Self {
            snapshot,
            base,
            matches: memchr::memmem::find_iter(&snapshot.text[base..end], needle),
            device: part.start,
            last: None,
        }
    }
}

impl Iterator for TextHits<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            let at = self.base + self.matches.next()?;
            while self.snapshot.starts[self.device + 1] as usize <= at {
                self.device += 1;
            }
            if self.last != Some(self.device) {
                self.last = Some(self.device);
                return Some(self.device);
            }
        }
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
    let mut build = Build::default();
    for i in order {
        let d = &raw.devices[i as usize];
        build.push(
            &raw.bytes[d.id.clone()],
            raw.bytes[d.text.clone()].as_bytes(),
            d.platform,
            d.readiness,
        )?;
    }
    drop(raw);
    let snapshot = build.finish(version)?;
    tracing::debug!(
        devices = snapshot.len(),
        ms = started.elapsed().as_millis() as u64,
        version,
        "live fleet index built"
    );
    Ok(snapshot)
}

/// A snapshot being built, one device at a time in list order.
#[derive(Default)]
struct Build {
    text: Vec<u8>,
    starts: Vec<u32>,
    kind_of: Vec<u32>,
    kinds: Vec<Box<[u8]>>,
    kind_numbers: std::collections::HashMap<Box<[u8]>, u32>,
    /// Every id, in case too many are missing from their text (`Ids::Apart`).
    id_text: String,
    id_starts: Vec<u32>,
    others: std::collections::HashMap<u32, Box<str>>,
    platforms: Vec<Platform>,
    readiness: Vec<Readiness>,
}

impl Build {
    fn push(
        &mut self,
        id: &str,
        text: &[u8],
        platform: Platform,
        readiness: Readiness,
    ) -> Result<()> {
        let device = self.platforms.len() as u32;
        self.platforms.push(platform);
        self.readiness.push(readiness);
        self.starts.push(offset(self.text.len())?);
        self.id_starts.push(offset(self.id_text.len())?);
        self.id_text.push_str(id);
        // name, user, e-mail, maker, model, id (`Device::search_text`): the maker and model
        // are held once for the fleet; a text of other fields is kept whole.
        let seps: Vec<usize> = memchr::memchr_iter(SEP, text).collect();
        let last_field = if let &[_, _, email_end, _, model_end] = seps.as_slice() {
            let kind = &text[email_end + 1..model_end];
            let next = self.kinds.len() as u32;
            let number = *self.kind_numbers.entry(kind.into()).or_insert(next);
            if number == next {
                self.kinds.push(kind.into());
            }
            self.kind_of.push(number);
            self.text.extend_from_slice(&text[..email_end]);
            self.text.extend_from_slice(&text[model_end..]);
            &text[model_end + 1..]
        } else {
            self.kind_of.push(WHOLE);
            self.text.extend_from_slice(text);
            &text[seps.last().map_or(0, |at| at + 1)..]
        };
        self.text.push(0);
        if last_field != id.as_bytes() {
            self.others.insert(device, id.into());
        }
        Ok(())
    }

    fn finish(mut self, version: i64) -> Result<Snapshot> {
        self.starts.push(offset(self.text.len())?);
        self.id_starts.push(offset(self.id_text.len())?);
        // Ids missing from their text are few in most fleets (ids in lower case); when they
        // are many, a map of them would outweigh the ids held apart.
        let ids = if self.others.len() > self.platforms.len() / 16 {
            Ids::Apart {
                text: self.id_text,
                starts: self.id_starts,
            }
        } else {
            Ids::InText {
                others: self.others,
            }
        };
        self.text.shrink_to_fit();
        Ok(Snapshot {
            version,
            text: self.text,
            starts: self.starts,
            kind_of: self.kind_of,
            kinds: self.kinds,
            ids,
            platforms: self.platforms,
            readiness: self.readiness,
        })
    }
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
mod tests;

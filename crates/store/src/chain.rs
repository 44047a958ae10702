//! The audit trail as a hash chain: what is hashed, the chain's head, the backfill of the events
//! of before, and the walk that verifies it (docs/audit.md, "Tamper-evident trail").
//!
//! Each event has a position (`seq`: 1, 2, 3, … with no gap), the hash of the event before it
//! (`prev_hash`; [`GENESIS`] for the first) and its own `hash`: the lowercase hex SHA-256 of the
//! RFC 8785 (JCS) canonical JSON of an [`AuditRecord`] (every stored field of the event, exactly
//! as stored, with `v`, `seq` and `prev`). The record holds only strings, integers and nulls, so
//! its canonical form is what Python's `json.dumps(record, sort_keys=True, separators=(",", ":"),
//! ensure_ascii=False)` writes: a security team reproduces it with a standard library.
//!
//! Writers take turns on the one-row `audit_chain` table: [`append`] updates it first (the row
//! lock on PostgreSQL, the write lock on SQLite) and releases it when the event's transaction
//! ends, so the chain never forks whatever the number of processes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Backend, Result, StoreError};

/// The version of the hashed record; a change of what is hashed is a new version.
pub const RECORD_VERSION: u32 = 1;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Events read per query when the chain is walked or backfilled.
const PAGE: i64 = 2000;

/// Events the backfill links per statement (four values each).
const LINKS_PER_UPDATE: usize = 500;

/// What an event's hash covers: every stored field of the event, exactly as stored (`at` the
/// stored RFC 3339 text, `detail` the stored JSON text), its position and the hash before it.
/// Serialized with its `hash`, it is a line of the JSON lines export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub v: u32,
    /// The position in the chain; `None` for an event written outside it.
    pub seq: Option<i64>,
    pub id: String,
    pub at: String,
    pub actor: String,
    pub actor_account_id: Option<String>,
    pub actor_account_name: Option<String>,
    pub action: String,
    pub device_id: Option<String>,
    pub session_id: Option<String>,
    /// The JSON text stored, as a string (never re-serialized, so no number is re-formatted).
    pub detail: String,
    /// The hash of the event before it.
    pub prev: Option<String>,
}

/// An [`AuditRecord`] with its stored hash: one line of the JSON lines export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashedRecord {
    #[serde(flatten)]
    pub record: AuditRecord,
    pub hash: Option<String>,
}

impl AuditRecord {
    /// The RFC 8785 canonical JSON of the record (what is hashed).
    pub fn canonical(&self) -> Vec<u8> {
        use canon_json::CanonJsonSerialize;
        // Strings, integers and nulls only: serializing cannot fail.
        self.to_canon_json_vec()
            .expect("an audit record is always serializable")
    }

    /// SHA-256 of [`AuditRecord::canonical`], lowercase hex.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.canonical()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The columns [`record`] reads, in its order.
pub(crate) const RECORD_COLUMNS: &str =
    "seq, id, at, actor, actor_account_id, actor_account_name, \
     action, device_id, session_id, detail, prev_hash, hash";

pub(crate) fn record(r: &AnyRow) -> HashedRecord {
    HashedRecord {
        record: AuditRecord {
            v: RECORD_VERSION,
            seq: r.get(0),
            id: r.get(1),
            at: r.get(2),
            actor: r.get(3),
            actor_account_id: r.get(4),
            actor_account_name: r.get(5),
            action: r.get(6),
            device_id: r.get(7),
            session_id: r.get(8),
            detail: r.get(9),
            prev: r.get(10),
        },
        hash: r.get(11),
    }
}

/// Takes the chain's head for this transaction: the next position and the hash before it.
/// The first statement of the chain in a transaction, so it waits for the writer before it.
async fn take_head(conn: &mut sqlx::AnyConnection) -> Result<(i64, String)> {
    let row = sqlx::query("UPDATE audit_chain SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the audit chain's head row is missing".into()))?;
    Ok((row.get(0), row.get(1)))
}

async fn set_head_hash(conn: &mut sqlx::AnyConnection, hash: &str) -> Result<()> {
    sqlx::query("UPDATE audit_chain SET hash = $1 WHERE id = 1")
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes `record` (its `seq` and `prev` set here) as the chain's next event, in the caller's
/// transaction; answers the event as written, with its hash.
pub(crate) async fn append(
    conn: &mut sqlx::AnyConnection,
    mut record: AuditRecord,
) -> Result<HashedRecord> {
    let (seq, prev) = take_head(conn).await?;
    record.seq = Some(seq);
    record.prev = Some(prev);
    let hash = record.hash();
    sqlx::query(
        "INSERT INTO audit_events (id, at, actor, action, device_id, session_id, detail, \
         actor_account_id, actor_account_name, seq, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(record.id.as_str())
    .bind(record.at.as_str())
    .bind(record.actor.as_str())
    .bind(record.action.as_str())
    .bind(record.device_id.as_deref())
    .bind(record.session_id.as_deref())
    .bind(record.detail.as_str())
    .bind(record.actor_account_id.as_deref())
    .bind(record.actor_account_name.as_deref())
    .bind(seq)
    .bind(record.prev.as_deref())
    .bind(hash.as_str())
    .execute(&mut *conn)
    .await?;
    set_head_hash(conn, &hash).await?;
    Ok(HashedRecord {
        record,
        hash: Some(hash),
    })
}

/// Chains the events written before the chain existed (their `seq` NULL), in (at, id) order,
/// after the chain's last event, in one transaction. Run after the migrator; a no-op when every
/// event is chained. Answers how many it chained.
pub(crate) async fn backfill(pool: &sqlx::AnyPool, backend: Backend) -> Result<u64> {
    let mut tx = crate::begin_write(pool, backend).await?;
    let unchained = sqlx::query("SELECT 1 FROM audit_events WHERE seq IS NULL LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    if unchained.is_none() {
        return Ok(0);
    }
    let row = sqlx::query("UPDATE audit_chain SET seq = seq WHERE id = 1 RETURNING seq, hash")
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the audit chain's head row is missing".into()))?;
    let (mut seq, mut prev): (i64, String) = (row.get(0), row.get(1));
    let mut after: Option<(String, String)> = None;
    let mut chained = 0u64;
    loop {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM audit_events WHERE seq IS NULL{} ORDER BY at, id LIMIT {PAGE}",
            if after.is_some() {
                " AND (at > $1 OR (at = $1 AND id > $2))"
            } else {
                ""
            }
        );
        let mut q = sqlx::query(&sql);
        if let Some((at, id)) = &after {
            q = q.bind(at.as_str()).bind(id.as_str());
        }
        let rows = q.fetch_all(&mut *tx).await?;
        if rows.is_empty() {
            break;
        }
        // (id, seq, prev_hash, hash) of each event of the page, written LINKS_PER_UPDATE at a time.
        let mut links = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut record = record(r).record;
            seq += 1;
            record.seq = Some(seq);
            record.prev = Some(prev);
            let hash = record.hash();
            after = Some((record.at.clone(), record.id.clone()));
            prev = hash.clone();
            links.push((record.id, seq, record.prev.unwrap_or_default(), hash));
            chained += 1;
        }
        for chunk in links.chunks(LINKS_PER_UPDATE) {
            let sql = format!(
                "UPDATE audit_events SET seq = v.column2, prev_hash = v.column3, hash = v.column4 \
                 FROM (VALUES {}) AS v WHERE audit_events.id = v.column1",
                crate::devices::values_rows(backend, chunk.len(), 4)
            );
            let mut q = sqlx::query(&sql);
            for (id, seq, prev, hash) in chunk {
                q = q
                    .bind(id.as_str())
                    .bind(*seq)
                    .bind(prev.as_str())
                    .bind(hash.as_str());
            }
            q.execute(&mut *tx).await?;
        }
    }
    sqlx::query("UPDATE audit_chain SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(prev.as_str())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(chained, "audit events of before chained");
    Ok(chained)
}

/// An event as the verification names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainPoint {
    pub seq: Option<i64>,
    pub id: String,
    pub at: String,
    pub action: String,
    /// Its stored hash.
    pub hash: Option<String>,
}

impl ChainPoint {
    fn of(r: &AuditRecord, hash: Option<&str>) -> Self {
        Self {
            seq: r.seq,
            id: r.id.clone(),
            at: r.at.clone(),
            action: r.action.clone(),
            hash: hash.map(str::to_string),
        }
    }
}

/// How the chain is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The event's stored fields do not give its stored hash: it was edited.
    Edited,
    /// Positions are missing before the event: events were deleted.
    Deleted,
    /// The event does not follow the event before it (its `prev_hash` is another hash): events
    /// were reordered, or the event before it was replaced (its hash recomputed).
    Reordered,
    /// The head says more events were written than the trail holds: its last events were
    /// deleted (or the last one replaced).
    TailCut,
    /// Events after the head: written into the table, not by the product.
    BeyondHead,
    /// An event without a position: written into the table, not by the product.
    Unchained,
}

/// The first broken link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    pub kind: BreakKind,
    /// The position where the chain breaks.
    pub seq: Option<i64>,
    /// The event found there (`None`: the trail ends before it).
    pub event: Option<ChainPoint>,
    /// What the chain expects there, and what was found.
    pub expected: String,
    pub found: String,
}

/// What a walk of the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainVerification {
    /// Events whose link held.
    pub verified: u64,
    /// The last of them.
    pub verified_up_to: Option<ChainPoint>,
    /// The head's position when the walk began.
    pub head_seq: i64,
    pub broken: Option<ChainBreak>,
}

/// Walks the chain from its first event to the head, a page at a time, and stops at the first
/// broken link. Events written while it walks (past the head it read first) are left for the
/// next walk.
pub(crate) async fn verify(pool: &sqlx::AnyPool) -> Result<ChainVerification> {
    let head = sqlx::query("SELECT seq, hash FROM audit_chain WHERE id = 1")
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the audit chain's head row is missing".into()))?;
    let (head_seq, head_hash): (i64, String) = (head.get(0), head.get(1));
    let mut report = ChainVerification {
        verified: 0,
        verified_up_to: None,
        head_seq,
        broken: None,
    };
    let mut expected = 1i64;
    let mut prev = GENESIS.to_string();
    let mut after = 0i64;
    let broken = 'walk: loop {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 \
             ORDER BY seq LIMIT {PAGE}"
        ))
        .bind(after)
        .bind(head_seq)
        .fetch_all(pool)
        .await?;
        if rows.is_empty() {
            break None;
        }
        for r in &rows {
            let HashedRecord { record, hash } = record(r);
            let seq = record.seq.unwrap_or_default();
            after = seq;
            if let Some(b) = check_link(&record, hash.as_deref(), expected, &prev) {
                break 'walk Some(b);
            }
            prev = hash.unwrap_or_default();
            expected += 1;
            report.verified += 1;
            report.verified_up_to = Some(ChainPoint::of(&record, Some(prev.as_str())));
        }
    };
    report.broken = match broken {
        Some(b) => Some(b),
        None if expected <= head_seq => Some(ChainBreak {
            kind: BreakKind::TailCut,
            seq: Some(expected),
            event: None,
            expected: format!("events up to position {head_seq} (the chain's head)"),
            found: format!("the trail ends at position {}", expected - 1),
        }),
        None if prev != head_hash => Some(ChainBreak {
            kind: BreakKind::TailCut,
            seq: Some(head_seq),
            event: report.verified_up_to.clone(),
            expected: format!("the head's hash {head_hash}"),
            found: format!("the last event's hash {prev}"),
        }),
        None => outside_the_chain(pool).await?,
    };
    Ok(report)
}

/// Whether `record` at the walk's next position `expected`, after the hash `prev`, holds.
fn check_link(
    record: &AuditRecord,
    stored_hash: Option<&str>,
    expected: i64,
    prev: &str,
) -> Option<ChainBreak> {
    let seq = record.seq.unwrap_or_default();
    if seq != expected {
        return Some(ChainBreak {
            kind: if seq > expected {
                BreakKind::Deleted
            } else {
                BreakKind::Reordered
            },
            seq: Some(expected),
            event: Some(ChainPoint::of(record, stored_hash)),
            expected: format!("position {expected}"),
            found: format!("position {seq}"),
        });
    }
    let stored_prev = record.prev.as_deref().unwrap_or_default();
    if stored_prev != prev {
        return Some(ChainBreak {
            kind: BreakKind::Reordered,
            seq: Some(seq),
            event: Some(ChainPoint::of(record, stored_hash)),
            expected: format!("previous hash {prev}"),
            found: format!("previous hash {stored_prev}"),
        });
    }
    let computed = record.hash();
    if stored_hash != Some(computed.as_str()) {
        return Some(ChainBreak {
            kind: BreakKind::Edited,
            seq: Some(seq),
            event: Some(ChainPoint::of(record, stored_hash)),
            expected: format!("hash {}", stored_hash.unwrap_or("(none)")),
            found: format!("hash {computed} of the event as stored"),
        });
    }
    None
}

/// Events the product did not write: past the head, or without a position.
async fn outside_the_chain(pool: &sqlx::AnyPool) -> Result<Option<ChainBreak>> {
    let beyond = sqlx::query(&format!(
        "SELECT {RECORD_COLUMNS} FROM audit_events \
         WHERE seq > (SELECT seq FROM audit_chain WHERE id = 1) ORDER BY seq LIMIT 1"
    ))
    .fetch_optional(pool)
    .await?;
    if let Some(r) = beyond {
        let HashedRecord { record: r, hash } = record(&r);
        return Ok(Some(ChainBreak {
            kind: BreakKind::BeyondHead,
            seq: r.seq,
            event: Some(ChainPoint::of(&r, hash.as_deref())),
            expected: "no event past the chain's head".into(),
            found: format!("an event at position {}", r.seq.unwrap_or_default()),
        }));
    }
    let unchained = sqlx::query(&format!(
        "SELECT {RECORD_COLUMNS} FROM audit_events WHERE seq IS NULL ORDER BY at, id LIMIT 1"
    ))
    .fetch_optional(pool)
    .await?;
    Ok(unchained.map(|r| {
        let HashedRecord { record: r, hash } = record(&r);
        ChainBreak {
            kind: BreakKind::Unchained,
            seq: None,
            event: Some(ChainPoint::of(&r, hash.as_deref())),
            expected: "every event in the chain".into(),
            found: "an event without a position".into(),
        }
    }))
}

//! The audit trail for people: filter, page, export as CSV or JSON lines.
//!
//! The JSON lines export has one event per line: the record its hash covers and its hash
//! (docs/audit.md, "Verifying an export"), so a copy can be verified outside the product.
//!
//! The CSV has one row per event (id, at, actor, action, device_id, session_id, detail as JSON,
//! then actor_verified, actor_account_id, actor_account_name, and the event's place in the audit
//! chain: seq, prev_hash, hash), newest first, written by the
//! `csv` crate. A cell that a spreadsheet would run as a formula is prefixed with `'`: one whose
//! first character after leading white space and control characters is a formula starter
//! (`=`, `+`, `-`, `@`, their fullwidth forms `＝＋－＠`, tab, carriage return, line feed), or
//! that begins with such white space at all.
//!
//! The export never replaces the product's own files and writes only a regular file or a new
//! name (`crate::safe_file`).

use std::io::Write;
use std::path::Path;

use crate::safe_file::{Protected, Target};

use helpatwork_store::{AuditQuery, HashedRecord};

use crate::context::AppContext;
use crate::dto::{AuditEntry, AuditExport, AuditFacets, AuditFilter, AuditPage};
use crate::error::{AppError, ErrorDetails, Result};

/// Rows per page when the filter does not say.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 1000;
const EXPORT_PAGE: u32 = 1000;

/// The filter as a store query, or why it is not valid.
pub fn query(filter: &AuditFilter) -> Result<AuditQuery> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let since = parse_time("since", filter.since.as_deref())?;
    let until = parse_time("until", filter.until.as_deref())?;
    if let (Some(s), Some(u)) = (since, until) {
        if s >= u {
            return Err(AppError::invalid(format!(
                "The time range is empty: since ({}) is not before until ({}).",
                filter.since.as_deref().unwrap_or_default().trim(),
                filter.until.as_deref().unwrap_or_default().trim()
            ))
            .with_fix("Choose a since time earlier than the until time."));
        }
    }
    if filter.limit > MAX_LIMIT {
        return Err(AppError::invalid(format!(
            "{} events per page is more than {MAX_LIMIT}.",
            filter.limit
        ))
        .with_fix(format!("Use a limit from 1 to {MAX_LIMIT}.")));
    }
    Ok(AuditQuery {
        device_id: text(&filter.device_id),
        actor: text(&filter.actor),
        action: text(&filter.action),
        since,
        until,
        offset: filter.offset,
        limit: if filter.limit == 0 {
            DEFAULT_LIMIT
        } else {
            filter.limit
        },
    })
}

/// An RFC 3339 time, or a `YYYY-MM-DD` date (midnight UTC).
fn parse_time(name: &str, value: Option<&str>) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Ok(Some(t.with_timezone(&chrono::Utc)));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(Some(t.and_utc()));
        }
    }
    Err(
        AppError::invalid(format!("{name} \"{value}\" is not a time."))
            .with_fix(
                "Use an RFC 3339 time such as 2026-11-20T09:30:00Z, or a date such as 2026-11-20.",
            )
            .with_details(ErrorDetails::Field {
                field: name.to_string(),
            }),
    )
}

/// One page of events matching `filter`, newest first, and how many match in all.
pub async fn list(ctx: &AppContext, filter: &AuditFilter) -> Result<AuditPage> {
    let q = query(filter)?;
    let total = ctx.store.audit_count(&q).await?;
    let items = ctx
        .store
        .audit_events(&q)
        .await?
        .into_iter()
        .map(AuditEntry::from)
        .collect();
    Ok(AuditPage {
        total,
        offset: q.offset,
        items,
    })
}

/// The agents and actions recorded: the choices of the filters.
pub async fn facets(ctx: &AppContext) -> Result<AuditFacets> {
    let f = ctx.store.audit_facets().await?;
    Ok(AuditFacets {
        actors: f.actors,
        actions: f.actions,
    })
}

/// The formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// One row per event, a header first.
    #[default]
    Csv,
    /// One JSON object per line: the event's hashed record and its hash (docs/audit.md).
    JsonLines,
}

impl ExportFormat {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::JsonLines => "jsonl",
        }
    }
}

/// Every event matching `filter` (its offset and limit ignored), as stored with its place in
/// the chain, a page at a time, newest first, up to the time the export started.
async fn for_each_record(
    ctx: &AppContext,
    filter: &AuditFilter,
    mut each: impl FnMut(HashedRecord) -> Result<()>,
) -> Result<u32> {
    let mut q = query(filter)?;
    let now = ctx.clock.now() + chrono::Duration::milliseconds(1);
    q.until = Some(q.until.map_or(now, |u| u.min(now)));
    q.limit = EXPORT_PAGE;
    q.offset = 0;
    let mut rows = 0u32;
    loop {
        let records = ctx.store.audit_records(&q).await?;
        let n = records.len() as u32;
        for r in records {
            each(r)?;
            rows += 1;
        }
        if n < EXPORT_PAGE {
            break;
        }
        q.offset += n;
    }
    Ok(rows)
}

/// Writes the export in `format` to `out`; returns the number of events.
pub async fn write(
    ctx: &AppContext,
    filter: &AuditFilter,
    format: ExportFormat,
    out: impl Write,
) -> Result<u32> {
    match format {
        ExportFormat::Csv => write_csv(ctx, filter, out).await,
        ExportFormat::JsonLines => write_json_lines(ctx, filter, out).await,
    }
}

/// Writes every event matching `filter` (its offset and limit ignored) as CSV to `out`;
/// returns the number of rows. Events recorded while it runs are left out. The last three
/// columns are the event's place in the audit chain: `seq`, `prev_hash`, `hash`.
pub async fn write_csv(ctx: &AppContext, filter: &AuditFilter, out: impl Write) -> Result<u32> {
    let mut csv = csv::Writer::from_writer(out);
    let fail = |e: csv::Error| AppError::internal(format!("The CSV could not be written: {e}"));
    csv.write_record([
        "id",
        "at",
        "actor",
        "action",
        "device_id",
        "session_id",
        "detail",
        "actor_verified",
        "actor_account_id",
        "actor_account_name",
        "seq",
        "prev_hash",
        "hash",
    ])
    .map_err(fail)?;
    let rows = for_each_record(ctx, filter, |HashedRecord { record: r, hash }| {
        let seq = r.seq.map(|s| s.to_string()).unwrap_or_default();
        csv.write_record([
            cell(&r.id),
            cell(&r.at),
            cell(&r.actor),
            cell(&r.action),
            cell(r.device_id.as_deref().unwrap_or("")),
            cell(r.session_id.as_deref().unwrap_or("")),
            cell(&r.detail),
            cell(if r.actor_account_id.is_some() {
                "true"
            } else {
                "false"
            }),
            cell(r.actor_account_id.as_deref().unwrap_or("")),
            cell(r.actor_account_name.as_deref().unwrap_or("")),
            cell(&seq),
            r.prev.unwrap_or_default(),
            hash.unwrap_or_default(),
        ])
        .map_err(fail)
    })
    .await?;
    csv.flush()
        .map_err(|e| AppError::internal(format!("The CSV could not be written: {e}")))?;
    Ok(rows)
}

/// Writes every event matching `filter` as JSON lines to `out`: per line the record its hash
/// covers (`v`, `seq`, `id`, `at`, `actor`, `actor_account_id`, `actor_account_name`,
/// `action`, `device_id`, `session_id`, `detail` as the stored JSON text, `prev`) and its
/// `hash`, in canonical form. Newest first, like the CSV.
pub async fn write_json_lines(
    ctx: &AppContext,
    filter: &AuditFilter,
    out: impl Write,
) -> Result<u32> {
    use canon_json::CanonJsonSerialize;
    let fail =
        |e: std::io::Error| AppError::internal(format!("The export could not be written: {e}"));
    let mut out = std::io::BufWriter::new(out);
    let rows = for_each_record(ctx, filter, |record| {
        let line = record
            .to_canon_json_vec()
            .map_err(|e| AppError::internal(format!("An event could not be written: {e}")))?;
        out.write_all(&line).map_err(fail)?;
        out.write_all(b"\n").map_err(fail)
    })
    .await?;
    out.flush().map_err(fail)?;
    Ok(rows)
}

/// A cell a spreadsheet shows as text, never runs as a formula.
pub(crate) fn cell(text: &str) -> String {
    let starts_formula = |c: char| {
        matches!(
            c,
            '=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
        )
    };
    let padded = text
        .chars()
        .next()
        .is_some_and(|c| c.is_whitespace() || c.is_control());
    let first = text
        .chars()
        .find(|c| !(c.is_whitespace() || c.is_control()));
    if padded || first.is_some_and(starts_formula) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Writes the export to `path`: a regular file or a new name, never one of the product's own files,
/// replaced only once complete (an exclusive temp file beside it, then a rename).
pub async fn export_to(
    ctx: &AppContext,
    filter: &AuditFilter,
    format: ExportFormat,
    path: &Path,
) -> Result<AuditExport> {
    let target = Target::check(path, &Protected::of(ctx))?;
    let rows = target.write(|out| write(ctx, filter, format, out)).await?;
    Ok(AuditExport {
        path: path.display().to_string(),
        rows,
    })
}

/// The window's export: a new file in the Downloads folder (`Paths::exports`), named after the
/// time, never replacing one. The webview never chooses the path.
pub async fn export_to_downloads(ctx: &AppContext, filter: &AuditFilter) -> Result<AuditExport> {
    let dir = ctx.paths.exports();
    crate::store::create_private_dir(&dir).map_err(|e| {
        AppError::internal(format!("Cannot create {}: {e}", dir.display()))
            .with_fix("Set HELPATWORK_EXPORT_DIR to a writable directory.")
    })?;
    let stamp = ctx.clock.now().format("%Y%m%d-%H%M%S");
    let protected = Protected::of(ctx);
    let mut last = None;
    for n in 1..1000 {
        let path = match n {
            1 => dir.join(format!("helpatwork-audit-{stamp}.csv")),
            n => dir.join(format!("helpatwork-audit-{stamp}-{n}.csv")),
        };
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let target = Target::new_file(&path, &protected)?;
        match target.write(|out| write_csv(ctx, filter, out)).await {
            Ok(rows) => {
                return Ok(AuditExport {
                    path: path.display().to_string(),
                    rows,
                })
            }
            // Taken between the look and the rename: the next name.
            Err(e) if path.exists() => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        AppError::internal("No free export file name was found.")
            .with_fix("Move the older exports out of the Downloads folder.")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked() {
        let f = |since: &str, until: &str| AuditFilter {
            since: Some(since.into()),
            until: Some(until.into()),
            ..Default::default()
        };
        let q = query(&f("2026-11-20", "2026-11-21T12:00:00+02:00")).unwrap();
        assert_eq!(q.since.unwrap().to_rfc3339(), "2026-11-20T00:00:00+00:00");
        assert_eq!(q.until.unwrap().to_rfc3339(), "2026-11-21T10:00:00+00:00");
        assert_eq!(q.limit, DEFAULT_LIMIT);
        let e = query(&f("yesterday", "")).unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidInput);
        assert!(e.fix.is_some());
        assert!(
            query(&f("2026-11-21", "2026-11-20")).is_err(),
            "empty range"
        );
        assert!(query(&AuditFilter {
            limit: 5000,
            ..Default::default()
        })
        .is_err());
        let blank = query(&AuditFilter {
            actor: Some("  ".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(blank.actor, None, "a blank filter is no filter");
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("and-001"), "and-001");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn formulas_behind_white_space_or_in_fullwidth_are_defused() {
        // Hardening finding 7: only the first character was looked at.
        for hostile in [
            " =1+1",
            "\n=cmd|' /C calc'!A0",
            "\t@SUM(A1)",
            "\u{3000}=1",
            "\u{FF1D}1+1",
            "\u{FF0B}1",
            "\u{FF0D}1",
            "\u{FF20}SUM(A1)",
            "\r+1",
        ] {
            assert!(cell(hostile).starts_with('\''), "{hostile:?}");
        }
        assert_eq!(cell("Ana Souza"), "Ana Souza");
    }
}

//! A sync's pages gathered into batches and written to the store a batch at a time (one
//! transaction each), and where the run resumes saved after each.

use crate::context::AppContext;
use crate::error::Result;

use super::{SyncReport, NEXT_SETTING};

/// Devices written to the store in one go (pages are buffered up to this many)...
pub(super) const WRITE_BATCH: usize = 20_000;
/// ...or up to this long, so a slow MDM's pages are still kept as they come.
pub(super) const WRITE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Devices to gather before a write, `read` of `total` read so far: [`WRITE_BATCH`], then no more
/// than what is left to read. Batches shrink by half towards the end, so the write that follows
/// the last page, which nothing overlaps, is a small one.
pub(super) fn batch_size(total: u32, read: u32) -> usize {
    let left = total.saturating_sub(read) as usize;
    WRITE_BATCH.min(left.max(LAST_BATCH))
}

/// The smallest batch [`batch_size`] asks for before the last page.
const LAST_BATCH: usize = 2_000;

/// Pages read and not yet written.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) devices: Vec<helpatwork_domain::Device>,
    pub(super) removed: Vec<String>,
    /// The devices the MDM reports in all.
    pub(super) total: u32,
}

impl Batch {
    /// Writes the buffered pages, then saves `next` (the offset after them) so a run stopped
    /// later resumes there.
    pub(super) async fn write(
        &mut self,
        ctx: &AppContext,
        source: &str,
        run: &str,
        next: Option<u32>,
        report: &mut SyncReport,
    ) -> Result<()> {
        // A device listed on two pages of a batch (the MDM's list moved while it was read)
        // keeps its last record: one row per device in each write.
        let mut devices = std::mem::take(&mut self.devices);
        let mut last: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(devices.len());
        for (i, d) in devices.iter().enumerate() {
            last.insert(d.id.as_str(), i);
        }
        if last.len() < devices.len() {
            let keep: Vec<bool> = devices
                .iter()
                .enumerate()
                .map(|(i, d)| last.get(d.id.as_str()) == Some(&i))
                .collect();
            drop(last);
            let mut keep = keep.into_iter();
            devices.retain(|_| keep.next().unwrap_or(false));
        }
        let removed = std::mem::take(&mut self.removed);
        // A first load's indexes are built once, when the sync ends (`sync_since`).
        let mut write = ctx
            .store
            .begin_sync_write(source, run, self.total as usize)
            .await?;
        write.write(&devices).await?;
        let summary = write.commit().await?;
        report.removed += ctx.store.mark_removed(&removed, ctx.clock.now()).await?;
        report.inserted += summary.inserted;
        report.updated += summary.updated;
        report.unchanged += summary.unchanged;
        report.devices += devices.len() as u32;
        if let Some(next) = next {
            ctx.store
                .set_setting(NEXT_SETTING, &next.to_string())
                .await?;
        }
        Ok(())
    }
}

//! Offsets over Graph's forward-only `@odata.nextLink` paging.
//!
//! The product asks for pages by offset ([`PageCursor`]); Graph gives each page the link to the
//! next one. The chain remembers which link starts at which offset, so a sync that asks for
//! the pages in order follows the links one by one. A cursor without a link (a sync resumed
//! after a restart; a page asked for ahead of the one before it) walks from the nearest known
//! page; pages walked past are kept briefly for whoever asks for them next, so pages asked
//! for a little out of order are not fetched twice. Requests for pages take turns: Graph's
//! paging cannot be read in parallel.

use std::collections::{BTreeMap, HashMap};

use tokio::sync::Mutex;
use url::Url;

use super::wire::{self, Mapped, Record};
use super::IntuneConnector;
use crate::connector::{DevicePage, PageCursor};
use crate::error::MdmError;

/// Pages kept for a caller that has not asked for them yet.
const MAX_PARKED: usize = 8;

#[derive(Default)]
pub(crate) struct Chain {
    state: Mutex<ChainState>,
}

#[derive(Default)]
struct ChainState {
    /// The link to the page that starts at each offset (the first page needs none).
    links: BTreeMap<u32, Url>,
    parked: HashMap<u32, Fetched>,
}

struct Fetched {
    records: Vec<Record>,
    next: Option<Url>,
    count: Option<u64>,
}

async fn fetch(connector: &IntuneConnector, url: Url) -> Result<Fetched, MdmError> {
    let page = connector.get_page(url).await?;
    let next = page
        .next_link
        .as_deref()
        .map(|link| connector.follows(link))
        .transpose()?;
    Ok(Fetched {
        records: page.value,
        next,
        count: page.count,
    })
}

/// The page at `cursor`, `rows` (already clamped) records when it is the first page asked for.
pub(crate) async fn page(
    connector: &IntuneConnector,
    cursor: PageCursor,
    rows: u32,
) -> Result<DevicePage, MdmError> {
    let mut state = connector.inner.chain.state.lock().await;
    let wanted = cursor.offset();
    let (mut at, mut link) = match state.links.range(..=wanted).next_back() {
        Some((offset, url)) if wanted > 0 => (*offset, Some(url.clone())),
        _ => (0, None),
    };
    loop {
        let fetched = match state.parked.remove(&at) {
            Some(parked) => parked,
            None => {
                let url = match link.take() {
                    Some(url) => url,
                    None => connector.first_page_url(rows)?,
                };
                fetch(connector, url).await?
            }
        };
        let len = u32::try_from(fetched.records.len()).unwrap_or(u32::MAX);
        let end = at.saturating_add(len);
        if let (Some(next), true) = (&fetched.next, len > 0) {
            state.links.insert(end, next.clone());
        }
        let last = fetched.next.is_none() || len == 0;
        if end > wanted || last {
            let skip = usize::try_from(wanted.saturating_sub(at).min(len)).unwrap_or(0);
            // The next page's request need not wait for this one's mapping.
            drop(state);
            return Ok(build(fetched, skip, end, last));
        }
        // Walked past a page someone else may ask for next.
        if state.parked.len() >= MAX_PARKED {
            state.parked.clear();
        }
        link = fetched.next.clone();
        state.parked.insert(at, fetched);
        at = end;
    }
}

fn build(fetched: Fetched, skip: usize, end: u32, last: bool) -> DevicePage {
    let mut out = DevicePage {
        devices: Vec::with_capacity(fetched.records.len().saturating_sub(skip)),
        removed: Vec::new(),
        skipped: Vec::new(),
        total: 0,
        next: (!last).then_some(PageCursor(end)),
        inventory_error: None,
        labels_error: None,
    };
    for record in fetched.records.into_iter().skip(skip) {
        match wire::map_record(record) {
            Mapped::Device(device) => out.devices.push(*device),
            Mapped::Skipped(skipped) => {
                tracing::warn!(id = ?skipped.id, reason = %skipped.reason, "Intune record skipped");
                out.skipped.push(skipped);
            }
        }
    }
    // `@odata.count` when Graph sends it; otherwise what is known so far (one more while pages
    // follow, so progress never reads 100 % early).
    out.total = fetched
        .count
        .map(|c| u32::try_from(c).unwrap_or(u32::MAX))
        .unwrap_or_else(|| end.saturating_add(u32::from(!last)));
    out
}

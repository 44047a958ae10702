//! The fleet readiness board (crate::readiness): `fleet readiness --json` and the Readiness view.

use std::collections::BTreeMap;

use helpatwork_domain::readiness::ModeBoard;
use helpatwork_domain::Mode;
use serde::Serialize;
use ts_rs::TS;

/// One day's counts of a mode, as kept in the store's daily snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReadinessPoint {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub total: u32,
    pub helpable_now: u32,
    /// Devices per group (`Blocker` as serialised).
    pub groups: BTreeMap<String, u32>,
}

/// One mode's board and its days.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ModeReadiness {
    pub mode: Mode,
    pub board: ModeBoard,
    /// Oldest first, today's included.
    pub series: Vec<ReadinessPoint>,
}

/// The board: both modes, the offline days it was drawn with, when.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReadinessBoard {
    /// When its counts were computed over the fleet (RFC 3339, the product's clock): a stored
    /// board painted first is as old as this.
    pub taken_at: String,
    pub offline_days: u32,
    pub modes: Vec<ModeReadiness>,
}

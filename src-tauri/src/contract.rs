//! The IPC contract: the command list (`command_list.rs`) checked against the functions in
//! `commands.rs` when the shell compiles, and written out as TypeScript by the tests
//! (`typescript.rs`: `ui/src/bindings/commands.ts` and `constants.ts`).
//!
//! The check: for every listed command, `commands::<name>` must take the listed argument types,
//! in order (after an optional `State`), and answer the listed type. A function whose arguments
//! or answer drift from the list does not compile; the argument names are checked by a test
//! (`signatures.rs`), since only `#[tauri::command]` sees them.

use std::future::Future;

use helpatwork_app::admin::{AdminStatus, DistributionResult, Eula};
use helpatwork_app::agents::Agent;
use helpatwork_app::armed::ArmedSession;
use helpatwork_app::auth::AuthStatus;
use helpatwork_app::dto::readiness::ReadinessBoard;
use helpatwork_app::dto::{AppInfo, DeviceDetail, DevicePage, DeviceQuery};
use helpatwork_app::dto::{Approval, PolicyEntry};
use helpatwork_app::dto::{AuditExport, AuditFacets, AuditFilter, AuditPage, AuditVerification};
use helpatwork_app::dto::{AuditSendReport, AuditSinkInput, AuditSinkStatus};
use helpatwork_app::handover::Handover;
use helpatwork_app::lifecycle::{LastSessionSync, SessionSync};
use helpatwork_app::readiness_fix::{FixProgress, FixRun, GroupExport};
use helpatwork_app::requests::{Inbox, TakenRequest};
use helpatwork_app::session::{Preflight, Session};
use helpatwork_app::settings::{ConnectionTest, SettingChange, SettingsView, TestTarget};
use helpatwork_app::sync::{SyncProgress, SyncReport};
use helpatwork_app::sync_plan::SyncStatus;
use helpatwork_app::unattended::HostStatus;
use helpatwork_app::AppError;
use helpatwork_domain::admin::Tier;
use helpatwork_domain::coaching::CoachingCard;
use helpatwork_domain::policy::Policy;
use helpatwork_domain::readiness::fix::FixPlan;
use helpatwork_domain::readiness::Blocker;
use helpatwork_domain::{AppKind, Lang, Mode};
use tauri::ipc::Channel;
use tauri::State;

use crate::{commands, AppState};

#[cfg(test)]
mod signatures;
#[cfg(test)]
mod typescript;

/// What a command function returns, as the window receives it: `T` for `Result<T, AppError>`
/// (an error crosses as `ApiError`), an `Option` as `T | null`, `()` as `null`.
pub trait Answer {
    type Ok;
}

impl<T> Answer for Result<T, AppError> {
    type Ok = T;
}

impl<T> Answer for Option<T> {
    type Ok = Option<T>;
}

impl Answer for () {
    type Ok = ();
}

/// Markers telling the four shapes of a command function apart (async or not, with the shell's
/// `State` first or without).
pub enum Async {}
pub enum Blocking {}
pub enum WithState {}
pub enum Stateless {}

/// A command function that takes `Args` from the window and answers `Self::Answer`.
pub trait Command<Args, Shape> {
    type Answer;
}

macro_rules! impl_command {
    ($($a:ident),*) => {
        impl<F, Fut, $($a,)*> Command<($($a,)*), (Async, WithState)> for F
        where
            F: Fn(State<'static, AppState>, $($a),*) -> Fut,
            Fut: Future,
            Fut::Output: Answer,
        {
            type Answer = <Fut::Output as Answer>::Ok;
        }

        impl<F, Fut, $($a,)*> Command<($($a,)*), (Async, Stateless)> for F
        where
            F: Fn($($a),*) -> Fut,
            Fut: Future,
            Fut::Output: Answer,
        {
            type Answer = <Fut::Output as Answer>::Ok;
        }

        impl<F, R, $($a,)*> Command<($($a,)*), (Blocking, WithState)> for F
        where
            F: Fn(State<'static, AppState>, $($a),*) -> R,
            R: Answer,
        {
            type Answer = R::Ok;
        }

        impl<F, R, $($a,)*> Command<($($a,)*), (Blocking, Stateless)> for F
        where
            F: Fn($($a),*) -> R,
            R: Answer,
        {
            type Answer = R::Ok;
        }
    };
}

impl_command!();
impl_command!(A1);
impl_command!(A1, A2);
impl_command!(A1, A2, A3);
impl_command!(A1, A2, A3, A4);
impl_command!(A1, A2, A3, A4, A5);

/// Compiles only when `command` takes `Args` and answers `T`.
fn takes_and_answers<Args, T, Shape, F: Command<Args, Shape, Answer = T>>(_command: F) {}

macro_rules! check_commands {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $answer:ty;)*) => {
        $(
            const _: fn() = || takes_and_answers::<($($ty,)*), $answer, _, _>(commands::$name);
        )*
    };
}

with_commands!(check_commands);

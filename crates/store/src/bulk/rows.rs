//! A bulk write's upsert statement: its text and its rows' values.

use super::Changed;
use crate::devices::values_rows;
use crate::{timestamp, Backend};

/// What every row of one bulk write shares.
pub(super) struct Rows<'a> {
    pub(super) backend: Backend,
    pub(super) source: &'a str,
    pub(super) run: Option<&'a str>,
    pub(super) now: String,
}

/// Values of a device row.
const COLS: usize = 27;

impl Rows<'_> {
    /// The upsert of `rows` device rows (an empty text for none). `in_place`: rows stored
    /// already whose indexed values stay as they are, so the update assigns none of them.
    pub(super) fn insert_sql(&self, rows: usize, in_place: bool) -> String {
        if rows == 0 {
            return String::new();
        }
        let indexed = if in_place {
            ""
        } else {
            "platform = excluded.platform, readiness = excluded.readiness, \
             search_text = excluded.search_text, sort_key = excluded.sort_key, removed_at = NULL, \
             id_key = excluded.id_key, "
        };
        format!(
            "INSERT INTO devices (id, name, user_name, user_email, platform, os_version, manufacturer, model, \
             kiosk, mam_only, online, last_checkin, host_activated, host_activation, apps_known, management, \
             labels, locale, readiness, search_text, sort_key, content_hash, source, removed_at, updated_at, sync_run, id_key) VALUES {} \
             ON CONFLICT (id) DO UPDATE SET {indexed}name = excluded.name, user_name = excluded.user_name, \
             user_email = excluded.user_email, os_version = excluded.os_version, \
             manufacturer = excluded.manufacturer, model = excluded.model, kiosk = excluded.kiosk, \
             mam_only = excluded.mam_only, online = excluded.online, last_checkin = excluded.last_checkin, \
             host_activated = excluded.host_activated, host_activation = excluded.host_activation, \
             apps_known = excluded.apps_known, management = excluded.management, labels = excluded.labels, \
             locale = excluded.locale, content_hash = excluded.content_hash, source = excluded.source, \
             updated_at = excluded.updated_at, sync_run = COALESCE(excluded.sync_run, devices.sync_run)",
            values_rows(self.backend, rows, COLS)
        )
    }

    /// The upsert `sql` with the values of `chunk`'s rows bound.
    pub(super) fn bind<'q>(
        &'q self,
        sql: &'q str,
        chunk: &'q [&'q Changed<'q>],
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut q = sqlx::query(sql);
        for c in chunk {
            let d = &c.device;
            q = q
                .bind(d.id.as_str())
                .bind(d.name.as_str())
                .bind(d.user.name.as_str())
                .bind(d.user.email.as_str())
                .bind(d.platform.as_str())
                .bind(d.os_version.as_str())
                .bind(d.manufacturer.as_str())
                .bind(d.model.as_str())
                .bind(i64::from(d.kiosk))
                .bind(i64::from(d.mam_only))
                .bind(i64::from(d.online))
                .bind(timestamp(d.last_checkin))
                // The legacy NOT NULL column mirrors the fact; `host_activation` holds it.
                .bind(i64::from(d.host_activated.unwrap_or(false)))
                .bind(d.host_activated.map(i64::from))
                .bind(i64::from(d.apps.is_some()))
                .bind(crate::device_read::management_column(&d.management))
                .bind(crate::device_read::labels_column(d.labels()))
                .bind(d.locale.as_deref())
                .bind(c.readiness)
                .bind(c.search_text.as_str())
                .bind(c.sort_key.as_str())
                .bind(c.hash.as_str())
                .bind(self.source)
                .bind(None::<String>)
                .bind(self.now.as_str())
                .bind(self.run)
                .bind(c.key.as_str());
        }
        q
    }
}

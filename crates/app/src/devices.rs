//! The fleet: import, list, show.

use std::path::Path;

use helpatwork_domain::fleet::{self, FleetFormat, ReadError};
use helpatwork_domain::{Device, Lang};

use crate::context::AppContext;
use crate::dto::{DeviceDetail, DevicePage, DeviceQuery, DeviceRow, ImportReport};
use crate::error::{device_not_found, AppError, ErrorDetails, Result};

/// Fleet files larger than this are refused before they are read.
pub const MAX_FLEET_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Devices parsed and written at a time: memory holds about three batches (one being parsed,
/// one waiting, one being written), whatever the file's size.
pub const IMPORT_BATCH: usize = 10_000;

/// Imports a JSON or CSV fleet file into the embedded store: all devices or none.
///
/// The file is read as a stream on a blocking thread and its devices written batch by batch
/// inside one transaction, committed only when the whole file is valid; a bad row rolls back
/// what was written and every bad row is listed. Memory stays flat in the file's size.
pub async fn import_file(ctx: &AppContext, path: &Path) -> Result<ImportReport> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        AppError::not_found(format!("Cannot read the fleet file {shown}: {e}."))
            .with_fix("Check the path and that the file is readable.")
    })?;
    if !meta.is_file() {
        return Err(AppError::invalid(format!("{shown} is not a file."))
            .with_fix("Give the path of a .json or .csv fleet file."));
    }
    if meta.len() > MAX_FLEET_FILE_BYTES {
        return Err(AppError::invalid(format!(
            "The fleet file {shown} is {} MiB; the limit is {} MiB.",
            meta.len() / (1024 * 1024),
            MAX_FLEET_FILE_BYTES / (1024 * 1024)
        ))
        .with_fix("Split the fleet into several files and import them one by one."));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| AppError::invalid(format!("Cannot read the fleet file {shown}: {e}.")))?;
    let mut reader = std::io::BufReader::with_capacity(256 * 1024, file);
    let head = std::io::BufRead::fill_buf(&mut reader)
        .map_err(|e| AppError::invalid(format!("Cannot read the fleet file {shown}: {e}.")))?;
    let format = FleetFormat::detect(&shown, head);

    // The reader refuses a file with a duplicate id, so its batches' ids are distinct.
    let mut write = ctx
        .store
        .begin_device_write("embedded", None)
        .await?
        .with_distinct_ids();
    let (batches, mut incoming) = tokio::sync::mpsc::channel::<Vec<Device>>(1);
    let parser = tokio::task::spawn_blocking(move || {
        fleet::read(format, reader, IMPORT_BATCH, |batch| {
            batches.blocking_send(batch).map_err(|_| ())
        })
    });
    let mut written = Ok(());
    while let Some(batch) = incoming.recv().await {
        if let Err(e) = write.write(&batch).await {
            written = Err(e);
            break;
        }
    }
    // A failed write stops the parser: its next batch finds nobody listening.
    drop(incoming);
    let parsed = parser
        .await
        .map_err(|e| AppError::internal(format!("the fleet parser stopped: {e}")))?;
    let devices = match (written, parsed) {
        (Err(e), _) => {
            let _ = write.rollback().await;
            return Err(e.into());
        }
        (Ok(()), Err(ReadError::Fleet(errors))) => {
            let _ = write.rollback().await;
            let first = errors
                .errors
                .first()
                .map(|e| e.to_string())
                .unwrap_or_default();
            let message = match ctx.lang {
                Lang::En => format!(
                    "The fleet file {shown} has {} problem(s); nothing was imported. First: {first}",
                    errors.total
                ),
                Lang::PtBr => format!(
                    "O arquivo da frota {shown} tem {} problema(s); nada foi importado. Primeiro: {first}",
                    errors.total
                ),
            };
            return Err(AppError::invalid(message)
                .with_fix(import_fix(ctx.lang, &errors))
                .with_details(ErrorDetails::FleetFile(Box::new(errors))));
        }
        (Ok(()), Err(ReadError::Sink(()))) => {
            let _ = write.rollback().await;
            return Err(
                AppError::internal("The import stopped before the end of the file.")
                    .with_fix("Run the import again."),
            );
        }
        (Ok(()), Ok(devices)) => devices,
    };
    let summary = write.commit().await?;
    let report = ImportReport {
        file: shown,
        format: format.as_str().to_string(),
        devices,
        inserted: summary.inserted,
        updated: summary.updated,
        unchanged: summary.unchanged,
    };
    ctx.store
        .append_audit(helpatwork_store::NewAuditEvent {
            actor: &ctx.actor,
            action: "devices.import",
            device_id: None,
            session_id: None,
            detail: serde_json::to_value(&report).unwrap_or_default(),
        })
        .await?;
    // The check-ins the file brought start the armed sessions waiting for them.
    crate::session::armed::fire_after_checkins(ctx).await;
    if summary.inserted + summary.updated > 0 {
        // An import is one bulk write: its log is folded into the database now, so the
        // queries that follow do not look pages up in a log of a hundred megabytes.
        if let Err(e) = ctx.store.checkpoint().await {
            tracing::warn!(error = %e, "checkpoint after an import failed; SQLite will do it later");
        }
    }
    Ok(report)
}

/// How to correct a refused fleet file; a bad label list or locale gets its rule spelled out.
fn import_fix(lang: Lang, errors: &fleet::FleetErrors) -> String {
    let about = |field: &str| errors.errors.iter().any(|e| e.field.starts_with(field));
    let mut fix = lang
        .pick(
            "Correct the rows listed and import the file again.",
            "Corrija as linhas listadas e importe o arquivo novamente.",
        )
        .to_string();
    if about("labels") {
        fix.push(' ');
        fix.push_str(lang.pick(
            "Labels: a JSON list of names (a CSV cell separates them with |; unknown for labels the source does not report), each 1 to 128 characters, without control characters or |, listed once (case does not matter).",
            "Rótulos: uma lista JSON de nomes (numa célula CSV, separados por |; unknown para rótulos que a origem não informa), cada um com 1 a 128 caracteres, sem caracteres de controle nem |, listado uma vez (maiúsculas e minúsculas não contam).",
        ));
    }
    if about("locale") {
        fix.push(' ');
        fix.push_str(lang.pick(
            "Locale: the device's locale as its MDM reports it, such as pt-BR or en_US: 1 to 35 letters, digits or _ . @ - (null, or an empty CSV cell, when it is unknown).",
            "Localidade: a localidade do dispositivo como o MDM a informa, como pt-BR ou en_US: de 1 a 35 letras, dígitos ou _ . @ - (null, ou uma célula CSV vazia, quando é desconhecida).",
        ));
    }
    fix
}

/// One page of devices and the number of all matches.
pub async fn list(ctx: &AppContext, query: &DeviceQuery, count: bool) -> Result<DevicePage> {
    let search = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if search.is_some_and(|s| s.chars().count() > 200) {
        return Err(
            AppError::invalid("The search text is longer than 200 characters.")
                .with_fix("Search with fewer words."),
        );
    }
    let limit = if query.limit == 0 {
        100
    } else {
        query.limit.min(1000)
    };
    if let Some(ids) = &query.ids {
        // A readiness group's devices: the page's ids read in one query.
        let start = (query.offset as usize).min(ids.len());
        let end = (start + limit as usize).min(ids.len());
        let rows = ctx.store.device_rows(&ids[start..end]).await?;
        let now = ctx.clock.now();
        return Ok(DevicePage {
            total: ids.len() as u32,
            offset: query.offset,
            items: rows.into_iter().map(|r| DeviceRow::at(r, now)).collect(),
        });
    }
    let page = ctx
        .store
        .list_devices(&helpatwork_store::DeviceQuery {
            search: search.map(str::to_string),
            platform: query.platform,
            readiness: query.readiness,
            offset: query.offset,
            limit,
            count,
        })
        .await?;
    Ok(DevicePage {
        total: page.total.unwrap_or(page.items.len() as u32),
        offset: page.offset,
        items: {
            let now = ctx.clock.now();
            page.items
                .into_iter()
                .map(|r| DeviceRow::at(r, now))
                .collect()
        },
    })
}

pub async fn show(ctx: &AppContext, id: &str) -> Result<DeviceDetail> {
    let (device, source) = ctx
        .store
        .device_with_source(id)
        .await?
        .ok_or_else(|| device_not_found(ctx.lang, id))?;
    let reporter = crate::facts::reporter(ctx, &source);
    let host = crate::session::unattended::stored_status(ctx, &device).await?;
    let mut detail = DeviceDetail::new(device, reporter, ctx.clock.now(), ctx.lang);
    detail.host = host;
    // L1: locked below Platinum; A3: gone from every device while no mode is activated.
    if detail.remote_action.enabled {
        let tier = ctx.store.tenant().await?.tier;
        let tier = tier
            .as_deref()
            .and_then(helpatwork_domain::admin::Tier::parse);
        let activated = ctx.store.integrations().await?.iter().any(|i| i.active);
        if let Some(reason) =
            helpatwork_domain::admin::remote_action_lock(tier, activated, ctx.lang)
        {
            detail.remote_action.enabled = false;
            detail.remote_action.disabled_reason = Some(reason.to_string());
        }
    }
    Ok(detail)
}

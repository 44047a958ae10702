//! The coaching card of a session (`helpatwork_domain::coaching`): one function builds it for a
//! device, so the card the device user gets with the TeamViewer case (its waiting message,
//! `super::start`) and the card the agent sees in the session panel, with the code to confirm,
//! can never differ.

use helpatwork_domain::coaching::{self, CoachingCard};
use helpatwork_domain::{Device, Lang, Mode};

use super::find;
use crate::context::AppContext;
use crate::error::{AppError, Result};

/// The card for `device`, with the session `code` when known. Its language is the device's
/// locale when its source reports one this product speaks, else the product's
/// (`coaching::device_card_lang`).
pub fn coaching_card_for(device: &Device, code: Option<&str>, product: Lang) -> CoachingCard {
    coaching::card(
        device.platform,
        device.is_google_pixel(),
        coaching::device_card_lang(device, product),
        code,
    )
}

/// The card of the session `id` as the agent sees it: its device's card and the code the device
/// user reads back. An unattended session has no one on the device to coach.
pub async fn card(ctx: &AppContext, id: &str) -> Result<CoachingCard> {
    let record = find(ctx, id).await?;
    let lang = ctx.lang;
    if record.mode == Mode::Unattended {
        return Err(AppError::invalid(lang.pick(
            "An unattended session has no one on the device to read a coaching card.",
            "Uma sessão não assistida não tem ninguém no dispositivo para ler um roteiro.",
        ))
        .with_fix(lang.pick(
            "Ask for the coaching card of an attended session.",
            "Peça o roteiro de uma sessão assistida.",
        )));
    }
    let device = ctx.store.device(&record.device_id).await?.ok_or_else(|| {
        AppError::not_found(match lang {
            Lang::En => format!("The device {} is no longer in the fleet.", record.device_id),
            Lang::PtBr => format!("O dispositivo {} não está mais na frota.", record.device_id),
        })
        .with_fix(lang.pick(
            "Sync the devices (`helpatwork devices sync`), then open the session again.",
            "Sincronize os dispositivos (`helpatwork devices sync`) e abra a sessão de novo.",
        ))
    })?;
    Ok(coaching_card_for(&device, record.code.as_deref(), lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpatwork_domain::{Platform, SessionState};
    use helpatwork_store::SessionRecord;

    fn record(device: &Device) -> SessionRecord {
        let now = chrono::Utc::now();
        SessionRecord {
            id: "0190-session".into(),
            device_id: device.id.clone(),
            mode: Mode::Attended,
            state: SessionState::Requested,
            code: None,
            agent: "ana".into(),
            reason: "The scanner app does not open".into(),
            supporter_link: None,
            end_customer_link: None,
            failed_step: None,
            error: None,
            created_at: now,
            expires_at: None,
            launched: false,
            delivery: None,
            valid_until: None,
            ended_at: None,
            ended_by: None,
            reconciled_at: None,
            teamviewer_userid: None,
            ticket: None,
            view_only: false,
        }
    }

    /// One demo device of each kind the card treats differently: Android, a Google Pixel, iOS.
    fn devices() -> Vec<Device> {
        let fleet = crate::demo::fleet(chrono::Utc::now());
        let pick = |f: &dyn Fn(&Device) -> bool| -> Device {
            fleet
                .iter()
                .find(|d| f(d))
                .cloned()
                .expect("the demo fleet has one")
        };
        vec![
            pick(&|d| d.platform == Platform::Android && !d.is_google_pixel()),
            pick(&|d| d.is_google_pixel()),
            pick(&|d| d.platform == Platform::Ios),
        ]
    }

    #[test]
    fn the_cases_waiting_message_is_the_card_the_agent_sees() {
        for device in devices() {
            for lang in [Lang::En, Lang::PtBr] {
                let case = super::super::start::new_case(&device, "ana", &record(&device), lang);
                let card = coaching_card_for(&device, None, lang);
                assert_eq!(
                    case.waiting_message.as_deref(),
                    Some(card.text().as_str()),
                    "{} ({:?}) in {lang:?}",
                    device.id,
                    device.platform
                );
                // The agent's card with the code differs only by the code it names.
                let with_code = coaching_card_for(&device, Some("s123-456-789"), lang);
                assert_eq!(with_code.steps[..3], card.steps[..3]);
                assert!(with_code.steps[3].text.contains("s123-456-789"));
                assert_eq!(with_code.code.as_deref(), Some("s123-456-789"));
            }
        }
    }

    #[test]
    fn the_card_follows_the_device() {
        let [android, pixel, ios] = <[Device; 3]>::try_from(devices()).unwrap();
        let screen = |d: &Device| coaching_card_for(d, None, Lang::En).steps[1].text.clone();
        assert!(screen(&pixel).contains("every session"), "S7");
        assert!(!screen(&android).contains("every session"));
        assert!(screen(&ios).contains("Start Broadcast"));
        assert_eq!(
            coaching_card_for(&android, None, Lang::PtBr).lang,
            Lang::PtBr,
            "no locale is reported: the product's language"
        );
    }
}

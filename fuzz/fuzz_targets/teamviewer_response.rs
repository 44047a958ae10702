//! TeamViewer Web API answers: any body for any call gives a value or a typed error, never a
//! panic, and an error never echoes the body.
#![no_main]

use helpatwork_teamviewer::responses;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    match selector % 5 {
        0 => {
            let _ = responses::ping(body);
        }
        1 => {
            let _ = responses::account(body);
        }
        2 => {
            if let Ok(session) = responses::session(body) {
                // Validated: the code has TeamViewer's shape and the links are https.
                assert!(session.code.as_str().starts_with('s'));
            }
        }
        3 => {
            let _ = responses::session_page(body);
        }
        _ => {
            let status = 400 + u16::from(body.first().copied().unwrap_or(0)) % 200;
            let error = responses::error(status, body.get(1..).unwrap_or_default());
            let _ = (error.code(), error.fix(), error.to_string());
        }
    }
});

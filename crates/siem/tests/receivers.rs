//! The protocols against real receivers on the loopback: Debian's rsyslogd (imtcp over GnuTLS,
//! octet counting) and an HTTPS webhook receiver.

use std::time::Duration;

use helpatwork_net::Sensitive;
use helpatwork_siem::receivers::{HttpsReceiver, Rsyslog};
use helpatwork_siem::{
    SendError, StreamEvent, SyslogIdentity, SyslogTarget, Target, WebhookTarget, SD_ID,
};

fn events(n: usize) -> Vec<StreamEvent> {
    (0..n)
        .map(|i| StreamEvent {
            id: format!("0190c3a0-0000-7000-8000-{i:012}"),
            at: chrono::Utc::now(),
            seq: None,
            hash: None,
            actor: "agent.test".into(),
            account: None,
            action: "session.start".into(),
            device_id: Some(format!("AND-{i:03}")),
            session_id: None,
            detail: serde_json::json!({"reason": "printer \"jam\" ] \\ on floor 2", "i": i}),
        })
        .collect()
}

fn syslog(r: &Rsyslog) -> Target {
    Target::Syslog(SyslogTarget {
        host: "127.0.0.1".into(),
        port: r.port,
        tls: true,
        ca_file: Some(r.pki.ca.clone()),
        identity: SyslogIdentity {
            app_name: "helpatwork".into(),
            hostname: "desk-01".into(),
        },
    })
}

#[tokio::test]
async fn rsyslog_receives_rfc5424_over_tls_with_the_event_in_structured_data() {
    if !Rsyslog::available() {
        eprintln!("skipped: rsyslogd is not installed (apt-get install rsyslog rsyslog-gnutls; scripts/setup.sh does)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let r = Rsyslog::start(dir.path()).unwrap();
    let sent = events(3);
    syslog(&r).send(&sent).await.unwrap();
    let got = r.wait_for(3, Duration::from_secs(10));
    assert_eq!(
        got.len(),
        3,
        "received {got:?}; rsyslogd said {}",
        r.errors()
    );
    for (line, e) in got.iter().zip(&sent) {
        let m = syslog_rfc5424::parse_message(line).unwrap();
        assert_eq!(
            m.sd.find_tuple(SD_ID, "id").map(|v| v.to_string()),
            Some(e.id.clone())
        );
        assert_eq!(m.appname.as_deref(), Some("helpatwork"));
        let json: serde_json::Value =
            serde_json::from_str(m.msg.trim_start_matches('\u{feff}')).unwrap();
        assert_eq!(json["detail"]["reason"], "printer \"jam\" ] \\ on floor 2");
    }
}

#[tokio::test]
async fn a_killed_rsyslog_is_a_send_error_and_a_restarted_one_receives() {
    if !Rsyslog::available() {
        eprintln!("skipped: rsyslogd is not installed (apt-get install rsyslog rsyslog-gnutls; scripts/setup.sh does)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut r = Rsyslog::start(dir.path()).unwrap();
    r.kill();
    let err = syslog(&r).send(&events(1)).await.unwrap_err();
    assert!(matches!(err, SendError::Connect { .. }), "{err}");
    r.restart().unwrap();
    syslog(&r).send(&events(1)).await.unwrap();
    assert_eq!(r.wait_for(1, Duration::from_secs(10)).len(), 1);
}

#[tokio::test]
async fn a_syslog_receiver_with_an_untrusted_certificate_is_refused() {
    if !Rsyslog::available() {
        eprintln!("skipped: rsyslogd is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let r = Rsyslog::start(dir.path()).unwrap();
    let Target::Syslog(mut t) = syslog(&r) else {
        unreachable!()
    };
    t.ca_file = None;
    let err = Target::Syslog(t).send(&events(1)).await.unwrap_err();
    assert!(matches!(err, SendError::Tls { .. }), "{err}");
}

#[tokio::test]
async fn a_webhook_gets_json_lines_with_the_bearer_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut receiver = HttpsReceiver::start(dir.path()).await.unwrap();
    let target = Target::Webhook(WebhookTarget {
        url: receiver.url().parse().unwrap(),
        bearer: Some(Sensitive::new("s3cret".to_string())),
        ca_file: Some(receiver.pki.ca.clone()),
    });
    let sent = events(2);
    target.send(&sent).await.unwrap();
    let posts = receiver.posts();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].authorization.as_deref(), Some("Bearer s3cret"));
    let ids: Vec<String> = posts[0]
        .lines
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, sent.iter().map(|e| e.id.clone()).collect::<Vec<_>>());

    // A receiver that refuses the token is a failure with its status: the batch is sent again.
    receiver.answer_with(401);
    let err = target.send(&sent).await.unwrap_err();
    assert!(
        matches!(err, SendError::Status { status: 401, .. }),
        "{err}"
    );
    receiver.answer_with(200);

    receiver.stop().await;
    assert!(target.send(&sent).await.is_err());
    receiver.restart().await.unwrap();
    target.send(&sent).await.unwrap();
    assert_eq!(
        receiver.posts().len(),
        3,
        "the refused POST was received too"
    );
}

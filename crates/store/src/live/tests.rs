//! The search index on small fleets built by hand: pages, counts, parts and held-apart fields.

use super::*;

fn snapshot(devices: &[(&str, &str, Platform, Readiness)]) -> Snapshot {
    let mut build = Build::default();
    for (id, text, p, r) in devices {
        build.push(id, text.as_bytes(), *p, *r).unwrap();
    }
    build.finish(1).unwrap()
}

fn ids(found: &Found) -> Vec<&str> {
    found.ids.iter().map(|s| &**s).collect()
}

fn wanted(text: Option<&str>) -> Wanted<'_> {
    Wanted {
        text,
        platform: None,
        readiness: None,
        offset: 0,
        limit: 10,
    }
}

#[test]
fn a_device_counts_once_however_often_its_text_matches() {
    let s = snapshot(&[
        ("a", "ana ana\u{1f}ana", Platform::Android, Readiness::Ready),
        ("b", "bruno", Platform::Ios, Readiness::Ready),
        ("c", "anabela", Platform::Ios, Readiness::Blocked),
    ]);
    let found = s.find(&wanted(Some("ana")));
    assert_eq!((ids(&found), found.total), (vec!["a", "c"], 2));
}

#[test]
fn a_match_never_spans_two_devices() {
    // "na" + NUL + "br" would join "ana" and "bruno" if the separator were crossed.
    let s = snapshot(&[
        ("a", "ana", Platform::Android, Readiness::Ready),
        ("b", "bruno", Platform::Ios, Readiness::Ready),
    ]);
    assert_eq!(s.find(&wanted(Some("anabr"))).total, 0);
    assert_eq!(s.find(&wanted(Some("na\0br"))).total, 0);
    assert_eq!(s.find(&wanted(Some("ab"))).total, 0);
}

#[test]
fn filters_offset_and_limit_shape_the_page_but_not_the_count() {
    let s = snapshot(&[
        ("a", "x1", Platform::Android, Readiness::Ready),
        ("b", "x2", Platform::Windows, Readiness::Unsupported),
        ("c", "x3", Platform::Macos, Readiness::Unsupported),
        ("d", "x4", Platform::Other, Readiness::Unsupported),
        ("e", "y5", Platform::Ios, Readiness::Ready),
    ]);
    let mut w = wanted(Some("x"));
    w.platform = Some(Platform::Other);
    w.offset = 1;
    w.limit = 1;
    let found = s.find(&w);
    assert_eq!((ids(&found), found.total), (vec!["c"], 3));

    let mut w = wanted(None);
    w.readiness = Some(Readiness::Ready);
    let found = s.find(&w);
    assert_eq!((ids(&found), found.total), (vec!["a", "e"], 2));

    let mut w = wanted(None);
    w.platform = Some(Platform::Ios);
    w.readiness = Some(Readiness::Unsupported);
    assert_eq!(s.find(&w).total, 0);
}

#[test]
fn a_large_fleet_scanned_in_parts_finds_what_one_scan_finds() {
    let texts: Vec<(String, String, Platform, Readiness)> = (0..PARALLEL_FROM + 7)
        .map(|i| {
            let platform = if i % 3 == 0 {
                Platform::Ios
            } else {
                Platform::Android
            };
            (
                format!("d{i}"),
                format!("phone {i} of team {}", i % 97),
                platform,
                Readiness::Ready,
            )
        })
        .collect();
    let devices: Vec<(&str, &str, Platform, Readiness)> = texts
        .iter()
        .map(|(id, text, p, r)| (id.as_str(), text.as_str(), *p, *r))
        .collect();
    let s = snapshot(&devices);
    assert!(
        s.parts().len() >= 2 || std::thread::available_parallelism().map_or(1, usize::from) < 2
    );
    let whole = 0..s.len();
    for (text, platform, offset, limit) in [
        ("team 5", None, 0, 50),
        ("team 5", Some(Platform::Ios), 1_000, 200),
        ("phone 9", None, 0, 1000),
        // A page that starts in one part and ends in the next.
        ("of", None, (PARALLEL_FROM / 2 - 3) as u32, 10),
        ("team 96", None, 2_000_000, 10),
        ("nothing", None, 0, 10),
    ] {
        let mut w = wanted(Some(text));
        w.platform = platform;
        w.offset = offset;
        w.limit = limit;
        let found = s.find(&w);
        let (all, total) = s.scan(text.as_bytes(), &[], whole.clone(), &w, usize::MAX);
        let page: Vec<String> = all
            .iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|&i| s.id(i as usize).to_string())
            .collect();
        assert_eq!(found.total, total, "{text}");
        assert_eq!(
            ids(&found),
            page.iter().map(String::as_str).collect::<Vec<_>>(),
            "{text}"
        );
    }
}

/// A search text as `Device::search_text` makes it.
fn text(name: &str, maker: &str, model: &str, id: &str) -> String {
    [name, "ana lima", "ana@example.com", maker, model, id].join("\u{1f}")
}

/// What a search must find: every device whose whole text holds the needle, page and count.
fn by_hand(s: &Snapshot, w: &Wanted) -> (Vec<String>, u32) {
    let needle = w.text.unwrap_or("").as_bytes();
    let finder = memchr::memmem::Finder::new(needle);
    let all: Vec<usize> = (0..s.len())
        .filter(|&i| s.keeps(i, w) && finder.find(&s.full_text(i)).is_some())
        .collect();
    let page = all
        .iter()
        .skip(w.offset as usize)
        .take(w.limit as usize)
        .map(|&i| s.id(i).to_string())
        .collect();
    (page, all.len() as u32)
}

#[test]
fn makers_and_models_are_held_once_and_found_as_in_the_whole_text() {
    let galaxy = text("bruno's phone", "samsung", "galaxy s23", "d1");
    let named = text("galaxy of ana", "google", "pixel 8", "d2");
    let pixel = text("carla", "google", "pixel 8", "d3");
    // Enough devices with their id in their text that the two others are few.
    let fillers: Vec<(String, String)> = (10..50)
        .map(|i| {
            (
                format!("f{i}"),
                text("filler", "zebra", "tc52", &format!("f{i}")),
            )
        })
        .collect();
    let mut devices = vec![
        ("d1", galaxy.as_str(), Platform::Android, Readiness::Ready),
        ("d2", named.as_str(), Platform::Android, Readiness::Ready),
        ("D3", pixel.as_str(), Platform::Android, Readiness::Ready),
        ("d4", "odd\u{1f}text", Platform::Ios, Readiness::Ready),
    ];
    devices.extend(
        fillers
            .iter()
            .map(|(id, t)| (id.as_str(), t.as_str(), Platform::Android, Readiness::Ready)),
    );
    let s = snapshot(&devices);
    assert_eq!(s.kinds.len(), 3, "each maker and model once");
    assert_eq!(s.kind_of[3], WHOLE, "a text of other fields is kept whole");
    match &s.ids {
        Ids::InText { others } => {
            assert_eq!(others.len(), 2, "D3 (capitals) and d4 (not its last field)")
        }
        Ids::Apart { .. } => panic!("few ids differ: read from the text"),
    }
    assert_eq!(
        (0..4).map(|i| s.id(i)).collect::<Vec<_>>(),
        ["d1", "d2", "D3", "d4"]
    );
    assert_eq!(&*s.full_text(0), galaxy.as_bytes());
    assert_eq!(&*s.full_text(3), b"odd\x1ftext");
    for needle in [
        "galaxy",
        "sung",
        "pixel 8",
        "ana",
        "d3",
        "s23",
        "odd",
        "samsung\u{1f}galaxy",
        "s23\u{1f}d1",
        "example.com\u{1f}google",
        "d\u{1f}t",
        "\u{1f}",
        "nothing",
    ] {
        let w = wanted(Some(needle));
        let found = s.find(&w);
        let (page, total) = by_hand(&s, &w);
        assert_eq!(
            (ids(&found), found.total),
            (page.iter().map(String::as_str).collect(), total),
            "{needle:?}"
        );
    }
    let found = s.find(&wanted(Some("galaxy")));
    assert_eq!(
        (ids(&found), found.total),
        (vec!["d1", "d2"], 2),
        "by model, by name, each once"
    );
}

#[test]
fn a_fleet_of_ids_with_capitals_holds_them_apart() {
    let texts: Vec<(String, String)> = (0..40)
        .map(|i| {
            let id = format!("GUID-{i}");
            (
                id.clone(),
                text("phone", "zebra", "tc52", &id.to_lowercase()),
            )
        })
        .collect();
    let devices: Vec<_> = texts
        .iter()
        .map(|(id, t)| (id.as_str(), t.as_str(), Platform::Android, Readiness::Ready))
        .collect();
    let s = snapshot(&devices);
    assert!(matches!(s.ids, Ids::Apart { .. }));
    assert_eq!(s.id(7), "GUID-7");
    assert_eq!(s.find(&wanted(Some("guid-3"))).total, 1 + 10);
}

#[test]
fn a_large_fleet_with_makers_and_models_finds_what_the_whole_texts_hold() {
    let makers = [
        ("samsung", "galaxy a54"),
        ("zebra", "tc52"),
        ("google", "pixel 8"),
    ];
    let texts: Vec<(String, String, Platform)> = (0..PARALLEL_FROM + 11)
        .map(|i| {
            let (maker, model) = makers[i % 3];
            let name = if i % 7 == 0 {
                "pixel of team".to_string()
            } else {
                format!("phone {i}")
            };
            let platform = if i % 4 == 0 {
                Platform::Ios
            } else {
                Platform::Android
            };
            (
                format!("dev-{i}"),
                text(&name, maker, model, &format!("dev-{i}")),
                platform,
            )
        })
        .collect();
    let devices: Vec<_> = texts
        .iter()
        .map(|(id, t, p)| (id.as_str(), t.as_str(), *p, Readiness::Ready))
        .collect();
    let s = snapshot(&devices);
    for (needle, platform, offset, limit) in [
        ("pixel", None, 0, 200),
        ("pixel", Some(Platform::Ios), 5_000, 200),
        ("tc52", None, (PARALLEL_FROM / 3 - 2) as u32, 10),
        ("dev-99", None, 0, 50),
        ("zebra\u{1f}tc52\u{1f}dev-12", None, 0, 50),
        ("nothing", None, 0, 10),
    ] {
        let mut w = wanted(Some(needle));
        w.platform = platform;
        w.offset = offset;
        w.limit = limit;
        let found = s.find(&w);
        let (page, total) = by_hand(&s, &w);
        assert_eq!(found.total, total, "{needle}");
        assert_eq!(
            ids(&found),
            page.iter().map(String::as_str).collect::<Vec<_>>(),
            "{needle}"
        );
    }
}

#[test]
fn an_offset_past_the_matches_gives_an_empty_page_and_the_count() {
    let s = snapshot(&[("a", "ana", Platform::Android, Readiness::Ready)]);
    let mut w = wanted(Some("an"));
    w.offset = 5;
    let found = s.find(&w);
    assert_eq!((found.ids.len(), found.total), (0, 1));
}

//! Property tests of the offset contract over random Unicode: every finding's `[start, end)` in UTF-16 code
//! units slices exactly its excerpt, spans never split a surrogate pair or a base character from its marks,
//! and no input panics.

use blindaje::context::parse_date;
use blindaje::{Account, Context, Engine, Kind, Policy};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let (policy, _) = Policy::parse(r#"{"officials": ["Ana Laura Pérez Gómez"], "politicalActors": ["Rodrigo Salinas Vega"], "institutionalEmailDomains": ["cedh.gob.mx"]}"#);
        Engine::new(policy, None).unwrap()
    })
}

/// Pieces that exercise the normalizer next to words the rules know.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("vota por Morena".to_string()),
        Just("V0TA P0R M0R3NA".to_string()),
        Just("v o t a por el P A N".to_string()),
        Just("#YoConMorena".to_string()),
        Just("Мorеna".to_string()),
        Just("ＶＯＴＡ".to_string()),
        Just("vo\u{200B}ta\u{00AD}".to_string()),
        Just("pendejos".to_string()),
        Just("dicen que".to_string()),
        Just("logramos 40% más".to_string()),
        Just("la Mtra. Ana Pérez encabezó".to_string()),
        Just("e\u{301}\u{302}".to_string()),
        Just("👩‍👩‍👧‍👦🏽".to_string()),
        Just("🗳️".to_string()),
        Just("\r\n".to_string()),
        Just("\u{1F600}\u{FE0F}".to_string()),
        Just("ana@cedh.gob.mx facebook".to_string()),
        "\\PC{0,6}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..12).prop_map(|v| v.join(" "))
}

fn context() -> Context {
    Context::new(Account::Institutional, parse_date("2027-06-04").unwrap(), Kind::Reply)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn spans_slice_their_excerpts_exactly(text in text()) {
        let units: Vec<u16> = text.encode_utf16().collect();
        for f in engine().analyze(&text, &context()) {
            prop_assert!(f.start < f.end && f.end <= units.len(), "{f:?}");
            let slice = String::from_utf16(&units[f.start..f.end]);
            prop_assert!(slice.is_ok(), "span splits a surrogate pair: {f:?}");
            prop_assert_eq!(slice.unwrap(), f.excerpt.clone());
            let after = String::from_utf16_lossy(&units[f.end..]);
            let next = after.chars().next();
            prop_assert!(!next.is_some_and(unicode_normalization::char::is_combining_mark), "span leaves marks behind: {f:?}");
        }
    }

    #[test]
    fn findings_are_sorted(text in text()) {
        let findings = engine().analyze(&text, &context());
        prop_assert!(findings.windows(2).all(|w| (w[0].start, w[0].end) <= (w[1].start, w[1].end)));
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC*") {
        let _ = engine().analyze(&text, &context());
    }
}

#[test]
fn obfuscated_forms_cover_the_whole_original() {
    let cases = [
        ("Apoyo total #YoConMorena", "#YoConMorena"),
        ("hoy v o t a por el PAN", "v o t a por"),
        ("¡V0TA P0R M0R3NA!", "V0TA P0R"),
    ];
    for (text, excerpt) in cases {
        let findings = engine().analyze(text, &context());
        assert!(findings.iter().any(|f| f.excerpt == excerpt), "{text}: {findings:?}");
    }
}

/// Linear time is measured by `cargo bench` (BENCHMARKS.md); here, a long text is analysed like its parts.
#[test]
fn long_texts_give_proportional_findings() {
    let unit = "La CEDH informa el horario. Este 6 de junio vota por Morena. ";
    let short = unit.repeat(50);
    let long = unit.repeat(1000);
    let a = engine().analyze(&short, &context()).len();
    let b = engine().analyze(&long, &context()).len();
    assert_eq!(b, a * 20);
}

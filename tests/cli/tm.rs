//! `dragoman tm lookup` and `dragoman tm concordance` on a small TMX fixture
//! (`tests/data/fuzzy/small.tmx`: ar source, en and fr targets, numbers, inline codes).

use crate::util::{dragoman, fails, ok, root, run_with_stdin};

fn tm() -> String {
    root()
        .join("tests/data/fuzzy/small.tmx")
        .display()
        .to_string()
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn number_change_is_a_99_match_with_an_adjusted_translation() {
    let mut c = dragoman();
    c.args([
        "tm",
        "lookup",
        &tm(),
        "--source-lang",
        "ar",
        "--target-lang",
        "en",
    ])
    .arg("بلغ العجز في الميزانية ٦٬٥٠٠ دينار هذا العام.");
    let out = ok(c);
    assert!(out.starts_with(" 99%  budget-1\n"), "{out}");
    assert!(out.contains("  adjusted  The budget deficit reached 6,500 dinars this year.\n"));
    assert!(out.contains("[-٥٬٠٠٠-]{+٦٬٥٠٠+}"), "{out}");
    assert!(!out.contains('\x1b'), "no colour off a terminal");
}

#[test]
fn jsonl_into_french() {
    let mut c = dragoman();
    c.args([
        "tm",
        "lookup",
        &tm(),
        "-s",
        "ar",
        "-t",
        "fr",
        "--format",
        "jsonl",
    ])
    .arg("بلغ العجز في الميزانية ٦٬٥٠٠ دينار هذا العام.");
    let v = json_lines(&ok(c));
    assert_eq!(v.len(), 1);
    let m = &v[0]["matches"][0];
    assert_eq!(m["percent"], 99);
    assert_eq!(m["id"], "budget-1");
    assert_eq!(m["score"]["penalties"]["numbers"], 1);
    assert_eq!(
        m["suggestion"]["text"],
        "Le déficit budgétaire a atteint 6 500 dinars cette année."
    );
    assert_eq!(m["suggestion"]["adjusted"], true);
    assert_eq!(m["diff"][1]["op"], "delete");
}

#[test]
fn identical_is_100_and_min_filters() {
    let mut c = dragoman();
    c.args(["tm", "lookup", &tm(), "--format", "jsonl"])
        .arg("أعلن الطرفان وقف إطلاق النار مساء الثلاثاء.");
    let v = json_lines(&ok(c));
    assert_eq!(v[0]["matches"][0]["percent"], 100);
    assert_eq!(
        v[0]["matches"].as_array().unwrap().len(),
        1,
        "--min 70 by default"
    );
    // The 50-74 band with --min 50: two of six words changed, the full stop gone.
    let mut c = dragoman();
    c.args(["tm", "lookup", &tm(), "--min", "50", "--format", "jsonl"])
        .arg("قال وزير الخارجية إن المحادثات ستستمر");
    let v = json_lines(&ok(c));
    assert_eq!(v[0]["matches"][0]["percent"], 65);
}

#[test]
fn queries_from_standard_input_one_a_line() {
    let mut c = dragoman();
    c.args(["tm", "lookup", &tm(), "--format", "jsonl", "-"]);
    let out = run_with_stdin(c, "اضغط {1}موافق{2} للمتابعة.\n\nلا شيء هنا\n".as_bytes());
    assert!(out.status.success());
    let v = json_lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(v.len(), 2, "blank lines are skipped");
    assert_eq!(v[0]["matches"][0]["id"], "button-1");
    assert_eq!(v[0]["matches"][0]["percent"], 99, "only the codes differ");
    assert!(v[1]["matches"].as_array().unwrap().is_empty());
}

#[test]
fn concordance_with_clitics_and_highlights() {
    let mut c = dragoman();
    c.args(["tm", "concordance", &tm(), "--format", "jsonl", "وقف إطلاق"]);
    let v = json_lines(&ok(c));
    let ids: Vec<&str> = v.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ceasefire-1", "ceasefire-2"]);
    let src = v[1]["source"].as_str().unwrap();
    let s = &v[1]["spans"][0];
    let (a, b) = (
        s[0].as_u64().unwrap() as usize,
        s[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&src[a..b], "بوقف إطلاق");
    // In the target, with colour forced.
    let mut c = dragoman();
    c.args([
        "--color",
        "always",
        "tm",
        "concordance",
        &tm(),
        "--in",
        "target",
        "-t",
        "en",
    ])
    .arg("ceasefire");
    let out = ok(c);
    assert_eq!(out.lines().count(), 2);
    assert!(out.contains("\x1b[1;33mceasefire\x1b[0m"), "{out}");
    // NO_COLOR wins.
    let mut c = dragoman();
    c.env("NO_COLOR", "1")
        .args([
            "--color",
            "always",
            "tm",
            "concordance",
            &tm(),
            "--in",
            "target",
        ])
        .arg("ceasefire");
    assert!(!ok(c).contains('\x1b'));
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let mut c = dragoman();
    c.args([
        "tm",
        "lookup",
        &tm(),
        "--source-lang",
        "ar",
        "The budget deficit",
    ]);
    assert!(fails(c).contains("not in the script of ar"));
    let mut c = dragoman();
    c.args(["tm", "lookup", &tm(), "--source-lang", "de", "x"]);
    assert!(fails(c).contains("no unit has both de and"));
    let mut c = dragoman();
    c.args(["tm", "lookup", "missing.tmx", "x"]);
    assert!(fails(c).contains("missing.tmx"));
    let mut c = dragoman();
    c.args(["tm", "concordance", &tm(), "--in", "target", "وقف"]);
    assert!(fails(c).contains("not in the script of en"));
    let mut c = dragoman();
    c.args(["tm", "lookup", &tm(), "--min", "0", "x"]);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

//! `dragoman analyze` end to end: the bands recomputed by brute force (every TM unit scored
//! with `tm::fuzzy`'s score, context and repetitions by hand), the report formats, the HTML
//! page in headless Chromium, the project file's grid, the README's example, and bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dragoman::segment::Segmenter;
use dragoman::tm::fuzzy::score_texts;
use dragoman::Lang;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dragoman"));
    c.env_remove("NO_COLOR");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .arg("analyze")
        .args(args)
        .output()
        .expect("run dragoman")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The fixture TM: (document, Arabic, English), in document order. Written for this test.
const UNITS: &[(&str, &str, &str)] = &[
    (
        "a.txt",
        "أعلنت الحكومة خطة جديدة لدعم المزارعين.",
        "The government announced a new plan to support farmers.",
    ),
    (
        "a.txt",
        "وتبلغ قيمة الخطة 200 مليون دينار على ثلاث سنوات.",
        "The plan is worth 200 million dinars over three years.",
    ),
    (
        "a.txt",
        "وقال وزير الزراعة إن الموسم الماضي كان صعبا بسبب الجفاف.",
        "The agriculture minister said last season was hard because of the drought.",
    ),
    (
        "a.txt",
        "وتراجع إنتاج القمح بنسبة 30 في المئة.",
        "Wheat output fell by 30 percent.",
    ),
    (
        "a.txt",
        "ورحبت نقابة المزارعين بالخطة لكنها طالبت بصرف الدعم قبل الصيف.",
        "The farmers' union welcomed the plan but asked for the aid to be paid before the summer.",
    ),
    (
        "a.txt",
        "ومن المتوقع أن يناقش البرلمان الخطة الأسبوع المقبل.",
        "Parliament is expected to discuss the plan next week.",
    ),
    (
        "b.txt",
        "افتتح رئيس الوزراء مستشفى جديدا في العاصمة.",
        "The prime minister opened a new hospital in the capital.",
    ),
    (
        "b.txt",
        "ويضم المستشفى 400 سرير وقسما للطوارئ.",
        "The hospital has 400 beds and an emergency department.",
    ),
    (
        "b.txt",
        "وقال وزير الزراعة إن الموسم الماضي كان صعبا بسبب الجفاف.",
        "The agriculture minister said last season had been hard because of the drought.",
    ),
    (
        "b.txt",
        "وأكد أن الحكومة ستبني مستشفيين آخرين قبل نهاية العام.",
        "He said the government would build two more hospitals before the end of the year.",
    ),
    // A unit repeated from a.txt, word for word, in another place: a store keeps it once, and
    // must still know both places for the context matches of JOB3.
    (
        "c.txt",
        "أعلنت الحكومة خطة جديدة لدعم المزارعين.",
        "The government announced a new plan to support farmers.",
    ),
    (
        "c.txt",
        "وقال المتحدث باسم الحكومة إن صرف الدعم سيبدأ في الربيع.",
        "The government spokesman said the aid would start to be paid in the spring.",
    ),
];

fn write_tmx(path: &Path) {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"ar\" \
         adminlang=\"en\" creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" \
         o-tmf=\"t\" datatype=\"plaintext\"/><body>\n",
    );
    for (i, (doc, ar, en)) in UNITS.iter().enumerate() {
        let en = en.replace('\'', "&apos;");
        s.push_str(&format!(
            "<tu tuid=\"u{i}\"><prop type=\"x-document\">{doc}</prop><tuv xml:lang=\"ar\"><seg>{ar}</seg></tuv>\
             <tuv xml:lang=\"en\"><seg>{en}</seg></tuv></tu>\n"
        ));
    }
    s.push_str("</body></tmx>\n");
    std::fs::write(path, s).unwrap();
}

/// Two job files: exact runs (context), edits of every kind, new text, repetitions inside a
/// file and across files.
const JOB1: &str =
    "أعلنت الحكومة خطة جديدة لدعم المزارعين. وتبلغ قيمة الخطة 200 مليون دينار على ثلاث سنوات.\n\
وقال وزير الزراعة إن الموسم الماضي كان صعبا بسبب الجفاف.\n\
\n\
وتراجع إنتاج القمح بنسبة 45 في المئة.\n\
ورحبت نقابة المزارعين بالخطة لكنها طالبت بصرف الدعم قبل الخريف.\n\
ومن المتوقع أن يناقش مجلس الشيوخ الخطة الأسبوع المقبل.\n\
وهطلت أمطار غزيرة على المناطق الشمالية أمس.\n\
وقال وزير الزراعة إن الموسم الماضي كان صعبا بسبب الجفاف.\n";

const JOB2: &str = "افتتح رئيس الوزراء مستشفى جديدا في العاصمة.\n\
ويضم المستشفى 400 سرير وقسما للطوارئ وجناحا للأطفال.\n\
وهطلت أمطار غزيرة على المناطق الشمالية أمس.\n\
وقال وزير الزراعة إن الموسم كان صعبا.\n\
وأكد الوزير أن الحكومة ستبني مستشفيين آخرين قبل نهاية العام المقبل.\n";

/// The repeated unit where c.txt has it: context matches only through its second place.
const JOB3: &str = "أعلنت الحكومة خطة جديدة لدعم المزارعين.\n\
وقال المتحدث باسم الحكومة إن صرف الدعم سيبدأ في الربيع.\n";

/// The row of each segment by brute force: `[file][segment]` row keys.
fn brute_force(jobs: &[&str]) -> Vec<Vec<String>> {
    let ar = Lang::parse("ar").unwrap();
    let seg = Segmenter::for_lang(&ar);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for job in jobs {
        let segs: Vec<String> = job
            .lines()
            .filter(|l| !l.trim().is_empty())
            .flat_map(|l| {
                seg.split(l)
                    .into_iter()
                    .map(|r| l[r].to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut keys = Vec::new();
        for (i, s) in segs.iter().enumerate() {
            let prev = if i == 0 {
                None
            } else {
                Some(segs[i - 1].as_str())
            };
            let next = segs.get(i + 1).map(String::as_str);
            // Context: a unit with this source whose neighbours in its document are the same.
            let context = UNITS.iter().enumerate().any(|(u, (doc, src, _))| {
                let same_doc = |k: usize| UNITS[k].0 == *doc;
                let tprev = (0..u).rev().find(|&k| same_doc(k)).map(|k| UNITS[k].1);
                let tnext = (u + 1..UNITS.len())
                    .find(|&k| same_doc(k))
                    .map(|k| UNITS[k].1);
                *src == s && tprev == prev && tnext == next
            });
            let best = UNITS
                .iter()
                .map(|(_, src, _)| score_texts(s, src, "ar").percent)
                .max()
                .unwrap();
            let repeated = !seen.insert(s.clone());
            let key = if context {
                "context".to_string()
            } else if repeated {
                "repetition".to_string()
            } else {
                match best {
                    100 => "exact".into(),
                    95..=99 => "95-99".into(),
                    85..=94 => "85-94".into(),
                    75..=84 => "75-84".into(),
                    50..=74 => "50-74".into(),
                    _ => "no_match".into(),
                }
            };
            keys.push(key);
        }
        out.push(keys);
    }
    out
}

fn fixture() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write_tmx(&d.path().join("tm.tmx"));
    std::fs::write(d.path().join("job1.txt"), JOB1).unwrap();
    std::fs::write(d.path().join("job2.txt"), JOB2).unwrap();
    std::fs::write(d.path().join("job3.txt"), JOB3).unwrap();
    d
}

#[test]
fn bands_equal_brute_force() {
    let d = fixture();
    check_bands(d.path(), "tm.tmx", UNITS.len());
}

/// The same TM imported into a store gives the same bands: its repeated unit is one row, and
/// its contexts table keeps both places it stood.
#[test]
fn bands_from_a_store_equal_brute_force() {
    let d = fixture();
    let o = bin()
        .current_dir(d.path())
        .args(["tm", "import", "-q", "tm.db", "tm.tmx"])
        .output()
        .unwrap();
    // Exit 1: the minister's sentence has two translations, a conflict the import reports.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    check_bands(d.path(), "tm.db", UNITS.len() - 1);
}

fn check_bands(dir: &Path, tm: &str, units: usize) {
    let o = run(
        dir,
        &[
            "job1.txt", "job2.txt", "job3.txt", "--tm", tm, "-t", "en", "-s", "ar", "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let expected = brute_force(&[JOB1, JOB2, JOB3]);
    assert_eq!(expected[2], ["context", "context"], "the fixture's point");
    // Every kind of row occurs in the fixture, so a wrong band cannot hide in an empty one.
    let all: Vec<&String> = expected.iter().flatten().collect();
    for k in [
        "context",
        "repetition",
        "exact",
        "95-99",
        "85-94",
        "75-84",
        "50-74",
        "no_match",
    ] {
        assert!(
            all.iter().any(|x| x.as_str() == k),
            "fixture lacks {k}: {all:?}"
        );
    }
    let mut totals = std::collections::BTreeMap::new();
    for (fi, keys) in expected.iter().enumerate() {
        let rows = v["files"][fi]["rows"].as_array().unwrap();
        for row in rows {
            let key = row["key"].as_str().unwrap();
            let want = keys.iter().filter(|k| k.as_str() == key).count() as u64;
            assert_eq!(row["segments"].as_u64(), Some(want), "file {fi} row {key}");
            *totals.entry(key.to_string()).or_insert(0u64) += want;
        }
        assert_eq!(
            v["files"][fi]["total"]["segments"].as_u64(),
            Some(keys.len() as u64)
        );
    }
    for row in v["total"]["rows"].as_array().unwrap() {
        let key = row["key"].as_str().unwrap();
        assert_eq!(
            row["segments"].as_u64(),
            totals.get(key).copied(),
            "total {key}"
        );
    }
    assert_eq!(v["tm_units"].as_u64(), Some(units as u64));
}

#[test]
fn csv_text_and_weights_from_the_project_file() {
    let d = fixture();
    std::fs::write(
        d.path().join("dragoman.toml"),
        "source_lang = \"ar\"\n[analysis]\nbands = \"90-99,50-89\"\n[analysis.weights]\nno_match = 50\n",
    )
    .unwrap();
    let o = run(
        d.path(),
        &["job1.txt", "--tm", "tm.tmx", "-t", "en", "--format", "csv"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "file,match,label,segments,words,characters,weight,weighted_words"
    );
    // The project's bands: context, repetition, exact, 90-99, 50-89, no_match, total per block.
    let keys: Vec<&str> = lines[1..8]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "context",
            "repetition",
            "exact",
            "90-99",
            "50-89",
            "no_match",
            "total"
        ]
    );
    let no_match: Vec<&str> = lines[6].split(',').collect();
    let words: f64 = no_match[4].parse().unwrap();
    assert_eq!(no_match[6], "50");
    assert_eq!(no_match[7], format!("{:.2}", words * 0.5));
    assert!(words > 0.0);
    // --weights on the command line wins over the project file.
    let o = run(
        d.path(),
        &[
            "job1.txt",
            "--tm",
            "tm.tmx",
            "-t",
            "en",
            "--format",
            "csv",
            "--weights",
            "no_match=80",
        ],
    );
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(csv.lines().nth(6).unwrap().contains(",80,"), "{csv}");
    // Text: a table with the labels, no colour when not on a terminal.
    let o = run(d.path(), &["job1.txt", "--tm", "tm.tmx", "-t", "en"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("101%") && text.contains("90-99%") && !text.contains('\x1b'),
        "{text}"
    );
    let o = run(
        d.path(),
        &[
            "job1.txt", "--tm", "tm.tmx", "-t", "en", "--color", "always",
        ],
    );
    assert!(String::from_utf8(o.stdout).unwrap().contains("\x1b[1m"));
}

#[test]
fn html_report_in_headless_chromium() {
    let d = fixture();
    let o = run(
        d.path(),
        &[
            "job1.txt", "job2.txt", "--tm", "tm.tmx", "-t", "en", "-s", "ar", "--html", "r.html",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = d.path().join("r.html");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("http://") && !page.contains("https://"));
    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(chromium) = chromium else {
        assert!(
            std::env::var_os("DRAGOMAN_REQUIRE_CHROMIUM").is_none(),
            "DRAGOMAN_REQUIRE_CHROMIUM is set but chromium is not installed"
        );
        println!("skipped: chromium not installed");
        return;
    };
    let o = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&o.stdout);
    // The browser parsed it: three band tables (total + two files), one row per segment.
    assert_eq!(dom.matches("<table class=\"bands\">").count(), 3, "{dom}");
    let segments = brute_force(&[JOB1, JOB2]).iter().flatten().count();
    assert_eq!(
        dom.matches("<td class=\"text\" lang=\"ar\" dir=\"rtl\">")
            .count(),
        segments
    );
    assert!(dom.contains("dir=\"rtl\">وهطلت أمطار غزيرة"), "{dom}");
    assert!(dom.contains("repetition of job1.txt p6.s1"), "{dom}");
    // Bars: a width per band row.
    assert!(dom.contains("<div style=\"width:"), "{dom}");
}

#[test]
fn bad_input_exits_2_naming_the_file_and_overwrites_nothing() {
    let d = fixture();
    std::fs::write(
        d.path().join("english.txt"),
        "The government announced a new plan to support farmers.\n",
    )
    .unwrap();
    let o = run(
        d.path(),
        &["english.txt", "--tm", "tm.tmx", "-t", "en", "-s", "ar"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("english.txt:1:1: this does not look like ar"),
        "{}",
        stderr(&o)
    );
    let o = run(
        d.path(),
        &["job1.txt", "--tm", "tm.tmx", "-t", "de", "-s", "ar"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("tm.tmx: no unit has both ar and de (languages of the TM: ar, en)"),
        "{}",
        stderr(&o)
    );
    let o = run(
        d.path(),
        &["missing.txt", "--tm", "tm.tmx", "-t", "en", "-s", "ar"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.txt"), "{}", stderr(&o));
    let o = run(
        d.path(),
        &["job1.txt", "--tm", "nope.tmx", "-t", "en", "-s", "ar"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.tmx"), "{}", stderr(&o));
    std::fs::write(d.path().join("bad.tmx"), "<tmx><body><tu><tuv").unwrap();
    let o = run(
        d.path(),
        &["job1.txt", "--tm", "bad.tmx", "-t", "en", "-s", "ar"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.tmx:1:"), "{}", stderr(&o));
    for (flag, value) in [("--bands", "90-100"), ("--weights", "exact=ten")] {
        let o = run(
            d.path(),
            &["job1.txt", "--tm", "tm.tmx", "-t", "en", flag, value],
        );
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(stderr(&o).contains(flag), "{}", stderr(&o));
    }
    // The report is never written over an input.
    for out in [["-o", "job1.txt"], ["--html", "tm.tmx"]] {
        let o = run(
            d.path(),
            &[&["job1.txt", "--tm", "tm.tmx", "-t", "en"][..], &out].concat(),
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("refusing to overwrite"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(
        std::fs::read_to_string(d.path().join("job1.txt")).unwrap(),
        JOB1
    );
}

#[test]
fn the_readme_shows_what_analyze_prints_on_the_demo_job() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("$ dragoman analyze jobs/")
        .expect("README analyze example");
    let block = &readme[start..];
    let block = &block[..block.find("```").unwrap()];
    let mut lines = block.lines();
    let cmd = lines.next().unwrap().trim_start_matches("$ dragoman ");
    let shown: Vec<&str> = lines.collect();
    let o = bin()
        .current_dir(root())
        .args(cmd.split_whitespace())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(shown, out.lines().collect::<Vec<_>>());
}

//! Boundary F1 of the built-in rules on our hand-made challenge sets
//! (`tests/data/segment/{ar,en,fr}-challenge.gold.txt`: one sentence a line, a blank line
//! between paragraphs). A paragraph is rebuilt by joining its sentences with one space, split,
//! and its predicted boundaries compared with the gold ones (paragraph ends are given).
//! The floors are the scores measured when the rules were written: a rule change that loses
//! ground fails here and prints the errors.
use dragoman::segment::Segmenter;
use dragoman::Lang;

fn score(lang: &str) -> (f64, Vec<String>) {
    let path = format!(
        "{}/tests/data/segment/{lang}-challenge.gold.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let gold = std::fs::read_to_string(path).unwrap();
    let seg = Segmenter::for_lang(&Lang::parse(lang).unwrap());
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let mut errors = Vec::new();
    for para in gold.split("\n\n") {
        let sents: Vec<&str> = para.lines().filter(|l| !l.trim().is_empty()).collect();
        if sents.is_empty() {
            continue;
        }
        let text = sents.join(" ");
        let mut want = Vec::new();
        let mut at = 0;
        for s in &sents[..sents.len() - 1] {
            at += s.len();
            want.push(at);
            at += 1;
        }
        let got: Vec<usize> = seg
            .split(&text)
            .iter()
            .map(|r| r.end)
            .filter(|&e| e < text.len())
            .collect();
        for &w in &want {
            if got.contains(&w) {
                tp += 1;
            } else {
                fneg += 1;
                errors.push(format!("missed: {} || {}", &text[..w], &text[w..]));
            }
        }
        for &g in &got {
            if !want.contains(&g) {
                fp += 1;
                errors.push(format!("false: {} || {}", &text[..g], &text[g..]));
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    (2.0 * p * r / (p + r).max(f64::MIN_POSITIVE), errors)
}

fn assert_floor(lang: &str, floor: f64) {
    let (f1, errors) = score(lang);
    eprintln!("{lang}: F1 {f1:.4}\n{}", errors.join("\n"));
    assert!(f1 >= floor, "{lang} challenge F1 {f1:.4} < {floor}");
}

#[test]
fn arabic_challenge() {
    assert_floor("ar", 0.975);
}

#[test]
fn english_challenge() {
    assert_floor("en", 0.97);
}

#[test]
fn french_challenge() {
    assert_floor("fr", 0.97);
}

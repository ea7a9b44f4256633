//! A compiled rule set: where to break a paragraph, SRX semantics, fast.
//!
//! SRX semantics: a position is a break when the *first* rule (in cascade order) whose `before`
//! pattern matches text ending there and whose `after` pattern matches text starting there is a
//! `break="yes"` rule; when no rule matches, there is no break.
//!
//! Rust's `regex` has no look-around, so each rule is compiled twice: `(?:BEFORE)$`, which the
//! regex engine runs *backwards* from the position (a reverse-anchored search costs the length
//! of the match, not of the text), and `^(?:AFTER)`, run forwards from it. Both run on a window
//! of [`WINDOW`] bytes around the position so that even a pattern that defeats the reverse
//! search costs a bounded amount per position.
//!
//! When every pattern compiles with the DFA engines (the built-in rules do), all rules are
//! decided together: one anchored multi-pattern search reports which `after` patterns match at
//! the position, and one reverse lazy DFA over all `before` patterns, anchored at the position,
//! reports which of those match ending there; the first rule in both sets decides. The
//! rule-by-rule path above remains for look-around patterns and as a fallback.
//!
//! Only *candidate* positions are tested: the ends of the matches of break rules' `before`
//! patterns, found with one forward scan per distinct pattern (the regex engine's literal
//! prefilters make this a SIMD byte scan for patterns such as `[.!?؟…]`). A paragraph without
//! any sentence-final mark costs that scan and nothing else.
//!
//! Patterns are written in Java syntax in SRX files; [`java_to_rust`] translates the common
//! differences, and patterns that need look-around or possessive quantifiers are compiled with
//! `fancy-regex` instead. Anything else is refused with an error naming the rule.

use std::ops::Range;
use std::path::Path;

use regex_automata::hybrid::dfa::{Cache as DfaCache, OverlappingState, DFA};
use regex_automata::meta;
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};

use super::srx::{srx_error, LanguageRule};
use super::Error;

/// Bytes of context a rule sees on each side of a candidate position.
pub const WINDOW: usize = 512;

/// A compiled pattern.
#[derive(Debug, Clone)]
enum Matcher {
    Fast(regex::Regex),
    Fancy(Box<fancy_regex::Regex>),
}

impl Matcher {
    fn is_match(&self, s: &str) -> bool {
        match self {
            Matcher::Fast(r) => r.is_match(s),
            // A pattern that exceeds the backtracking limit does not match (documented).
            Matcher::Fancy(r) => r.is_match(s).unwrap_or(false),
        }
    }

    fn compile(pattern: &str) -> Result<Matcher, String> {
        match regex::Regex::new(pattern) {
            Ok(r) => Ok(Matcher::Fast(r)),
            Err(fast_err) => match fancy_regex::Regex::new(pattern) {
                Ok(r) => Ok(Matcher::Fancy(Box::new(r))),
                Err(_) => Err(match fast_err {
                    regex::Error::Syntax(s) => s,
                    other => other.to_string(),
                }),
            },
        }
    }
}

#[derive(Debug, Clone)]
struct CompiledRule {
    brk: bool,
    /// `(?:BEFORE)$`; `None` when the pattern is empty (matches everywhere).
    before: Option<Matcher>,
    /// `^(?:AFTER)`; `None` when empty.
    after: Option<Matcher>,
}

/// How candidate positions are found: the forward `before` patterns of the break rules.
#[derive(Debug, Clone)]
enum Finder {
    /// Break patterns whose matches all end with one of a few literal characters: the
    /// positions after those, found with SIMD scans (`memchr`, `memmem`).
    Literals(LiteralScan),
    /// A DFA-compatible pattern, searched without a literal prefilter: the prefilter's
    /// one-byte fingerprints would fire on the lead byte of most Arabic letters (`؟` is
    /// D8 9F), so a plain lazy DFA scan is several times faster on Arabic text.
    Scan(meta::Regex),
    Pattern(Matcher),
    /// A break rule with an empty `before`: every char boundary is a candidate.
    Everywhere,
}

/// The compiled rules of one language.
pub struct Rules {
    rules: Vec<CompiledRule>,
    finders: Vec<Finder>,
    fast: Option<Fast>,
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rules")
            .field("rules", &self.rules.len())
            .field("finders", &self.finders.len())
            .field("fast", &self.fast.is_some())
            .finish()
    }
}

type CachePool = Pool<Caches, Box<dyn Fn() -> Caches + Send + Sync>>;

/// All rules at once: pattern `i` of each engine is rule `i`.
struct Fast {
    /// Reverse lazy DFA over every `before` pattern, reporting all that match.
    before: DFA,
    /// Every `after` pattern, searched anchored, reporting all that match.
    after: meta::Regex,
    /// Per-thread search state of both engines.
    pool: CachePool,
}

struct Caches {
    before: DfaCache,
    after: meta::Cache,
    afters: PatternSet,
}

impl Fast {
    fn build(befores: &[String], afters: &[String]) -> Option<Fast> {
        let before = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true)
                    .minimum_cache_clear_count(None),
            )
            .thompson(thompson::Config::new().reverse(true))
            .build_many(befores)
            .ok()?;
        let after = meta::Regex::builder()
            .configure(meta::Config::new().match_kind(MatchKind::All))
            .build_many(afters)
            .ok()?;
        let (b, a, n) = (before.clone(), after.clone(), afters.len());
        let make: Box<dyn Fn() -> Caches + Send + Sync> = Box::new(move || Caches {
            before: b.create_cache(),
            after: a.create_cache(),
            afters: PatternSet::new(n),
        });
        Some(Fast {
            before,
            after,
            pool: Pool::new(make),
        })
    }

    /// The index of the deciding rule at `pos` (`None`: no rule matches), or `Err` when the
    /// DFA cannot search this text (a Unicode word boundary next to non-ASCII text).
    fn decide(&self, text: &str, pos: usize) -> Result<Option<usize>, ()> {
        let mut guard = self.pool.get();
        let c = &mut *guard;
        let hi = ceil_boundary(text, (pos + WINDOW).min(text.len()));
        let input = Input::new(text).range(pos..hi).anchored(Anchored::Yes);
        c.afters.clear();
        self.after
            .which_overlapping_matches_with(&mut c.after, &input, &mut c.afters);
        if c.afters.is_empty() {
            return Ok(None);
        }
        let lo = floor_boundary(text, pos.saturating_sub(WINDOW));
        let input = Input::new(text).range(lo..pos).anchored(Anchored::Yes);
        let mut state = OverlappingState::start();
        let mut best: Option<usize> = None;
        loop {
            self.before
                .try_search_overlapping_rev(&mut c.before, &input, &mut state)
                .map_err(|_| ())?;
            let Some(hm) = state.get_match() else { break };
            let pid = hm.pattern();
            if c.afters.contains(pid) && best.map_or(true, |b| pid.as_usize() < b) {
                best = Some(pid.as_usize());
            }
        }
        Ok(best)
    }
}

impl Rules {
    /// Compiles the rules of `langs`, in order.
    ///
    /// # Errors
    /// [`Error::Srx`] naming `path`, the rule's line:column, the language rule and the pattern.
    pub fn compile(langs: &[&LanguageRule], path: &Path) -> Result<Rules, Error> {
        let mut rules = Vec::new();
        let mut finders = Vec::new();
        let mut finder_src: Vec<String> = Vec::new();
        let (mut befores, mut afters) = (Vec::new(), Vec::new());
        for lr in langs {
            for (i, r) in lr.rules.iter().enumerate() {
                let name = || {
                    format!(
                        "rule {} of languagerule \"{}\" (break=\"{}\")",
                        i + 1,
                        lr.name,
                        if r.brk { "yes" } else { "no" }
                    )
                };
                let fail = |which: &str, pat: &str, why: String| {
                    srx_error(
                        path,
                        Some(r.position),
                        Some(name()),
                        format!("{which} pattern {pat:?}: {why}"),
                    )
                };
                let before_src = java_to_rust(&r.before);
                let after_src = java_to_rust(&r.after);
                befores.push(before_src.clone());
                afters.push(after_src.clone());
                let before = if before_src.is_empty() {
                    None
                } else {
                    Some(
                        Matcher::compile(&format!("(?:{before_src})$"))
                            .map_err(|e| fail("beforebreak", &r.before, e))?,
                    )
                };
                let after = if after_src.is_empty() {
                    None
                } else {
                    Some(
                        Matcher::compile(&format!("^(?:{after_src})"))
                            .map_err(|e| fail("afterbreak", &r.after, e))?,
                    )
                };
                if r.brk && !finder_src.contains(&before_src) {
                    let scan = meta::Regex::builder()
                        .configure(meta::Config::new().auto_prefilter(false))
                        .build(&before_src);
                    let f = if before_src.is_empty() {
                        Finder::Everywhere
                    } else if let Ok(re) = scan {
                        Finder::Scan(re)
                    } else {
                        Finder::Pattern(
                            Matcher::compile(&before_src)
                                .map_err(|e| fail("beforebreak", &r.before, e))?,
                        )
                    };
                    finder_src.push(before_src);
                    finders.push(f);
                }
                rules.push(CompiledRule {
                    brk: r.brk,
                    before,
                    after,
                });
            }
        }
        // When every break rule's matches end with one of a few characters, one set of SIMD
        // scans for those characters replaces the per-rule finders.
        if let Some(ls) = LiteralScan::new(&finder_src) {
            finders = vec![Finder::Literals(ls)];
        }
        let all_fast = rules.iter().all(|r| {
            [&r.before, &r.after]
                .iter()
                .all(|m| !matches!(m, Some(Matcher::Fancy(_))))
        });
        let fast = if all_fast && !rules.is_empty() {
            Fast::build(&befores, &afters)
        } else {
            None
        };
        Ok(Rules {
            rules,
            finders,
            fast,
        })
    }

    /// Decides whether `pos` (a char boundary strictly inside `text`) is a break.
    fn is_break(&self, text: &str, pos: usize) -> bool {
        if let Some(fast) = &self.fast {
            if let Ok(rule) = fast.decide(text, pos) {
                return rule.is_some_and(|i| self.rules[i].brk);
            }
        }
        self.is_break_slow(text, pos)
    }

    /// Rule by rule, on windows of the text.
    fn is_break_slow(&self, text: &str, pos: usize) -> bool {
        let lo = floor_boundary(text, pos.saturating_sub(WINDOW));
        let hi = ceil_boundary(text, (pos + WINDOW).min(text.len()));
        let (left, right) = (&text[lo..pos], &text[pos..hi]);
        for r in &self.rules {
            if r.after.as_ref().map_or(true, |m| m.is_match(right))
                && r.before.as_ref().map_or(true, |m| m.is_match(left))
            {
                return r.brk;
            }
        }
        false
    }

    /// Appends to `out` the break positions of `text`, in increasing order, excluding 0 and
    /// `text.len()`. `scratch` is reused between calls to avoid allocating.
    pub fn breaks_into(&self, text: &str, scratch: &mut Vec<usize>, out: &mut Vec<usize>) {
        scratch.clear();
        for f in &self.finders {
            match f {
                Finder::Everywhere => scratch.extend(text.char_indices().map(|(i, _)| i)),
                Finder::Literals(ls) => ls.ends(text, scratch),
                Finder::Scan(r) => scratch.extend(r.find_iter(text).map(|m| m.end())),
                Finder::Pattern(Matcher::Fast(r)) => {
                    scratch.extend(r.find_iter(text).map(|m| m.end()))
                }
                Finder::Pattern(Matcher::Fancy(r)) => {
                    scratch.extend(r.find_iter(text).map_while(|m| m.ok()).map(|m| m.end()))
                }
            }
        }
        if self.finders.len() > 1 || matches!(self.finders.first(), Some(Finder::Literals(_))) {
            scratch.sort_unstable();
            scratch.dedup();
        }
        for &p in scratch.iter() {
            if p > 0 && p < text.len() && self.is_break(text, p) {
                out.push(p);
            }
        }
    }
}

/// Candidate finder for a pattern whose matches all end with one of a few literal characters:
/// every position right after one of them is a candidate (the rules then decide exactly).
#[derive(Debug, Clone)]
struct LiteralScan {
    /// Single-byte last characters (ASCII), scanned three at a time with `memchr3`.
    bytes: Vec<u8>,
    /// Multi-byte last characters, each scanned with `memmem`.
    multi: Vec<memchr::memmem::Finder<'static>>,
}

impl LiteralScan {
    /// The last characters of `patterns`' matches, or `None` when one of them can end with
    /// more than a few characters (or match the empty string).
    fn new<S: AsRef<str>>(patterns: &[S]) -> Option<LiteralScan> {
        let mut lasts: Vec<Vec<u8>> = Vec::new();
        for p in patterns {
            let hir = regex_syntax::parse(p.as_ref()).ok()?;
            let mut ex = regex_syntax::hir::literal::Extractor::new();
            ex.kind(regex_syntax::hir::literal::ExtractKind::Suffix)
                .limit_class(64)
                .limit_total(1024);
            let seq = ex.extract(&hir);
            for l in seq.literals()? {
                let s = std::str::from_utf8(l.as_bytes()).ok()?;
                let c = s.chars().next_back()?; // empty: any position may end a match
                let b = s.as_bytes()[s.len() - c.len_utf8()..].to_vec();
                if !lasts.contains(&b) {
                    lasts.push(b);
                }
            }
        }
        if lasts.is_empty() || lasts.len() > 48 {
            return None;
        }
        let bytes = lasts
            .iter()
            .filter(|b| b.len() == 1)
            .map(|b| b[0])
            .collect();
        let multi = lasts
            .iter()
            .filter(|b| b.len() > 1)
            .map(|b| memchr::memmem::Finder::new(b).into_owned())
            .collect();
        Some(LiteralScan { bytes, multi })
    }

    /// Appends the positions right after each occurrence of a last character (unsorted).
    fn ends(&self, text: &str, out: &mut Vec<usize>) {
        let hay = text.as_bytes();
        for c in self.bytes.chunks(3) {
            match *c {
                [a] => out.extend(memchr::memchr_iter(a, hay).map(|i| i + 1)),
                [a, b] => out.extend(memchr::memchr2_iter(a, b, hay).map(|i| i + 1)),
                [a, b, d] => out.extend(memchr::memchr3_iter(a, b, d, hay).map(|i| i + 1)),
                _ => {}
            }
        }
        for f in &self.multi {
            let n = f.needle().len();
            out.extend(f.find_iter(hay).map(|i| i + n));
        }
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Cuts `text` at `breaks` and pushes the pieces, trimmed of white space, skipping empty ones.
pub fn pieces_into(text: &str, breaks: &[usize], out: &mut Vec<Range<usize>>) {
    let mut start = 0;
    for &b in breaks.iter().chain(std::iter::once(&text.len())) {
        let s = &text[start..b];
        let t = s.trim_start();
        let lead = s.len() - t.len();
        let t = t.trim_end();
        if !t.is_empty() {
            out.push(start + lead..start + lead + t.len());
        }
        start = b;
    }
}

/// Translates the Java regex syntax of SRX files into Rust `regex` syntax where they differ.
///
/// Handled: `\Q...\E` quoting; POSIX and `java*` classes (`\p{Lower}`, `\p{javaUpperCase}`,
/// ...); `\p{IsX}` / `\p{InX}` (script, category, block approximated by script); `\h`; `\Z`;
/// the `(?U)` flag (Unicode classes, which Rust always has; in Rust it would mean "ungreedy").
/// Look-around, back-references and possessive quantifiers are left as they are and make the
/// rule compile with `fancy-regex`.
pub fn java_to_rust(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut it = p.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == '(' && p[i..].starts_with("(?U)") {
            it.next();
            it.next();
            it.next();
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = it.next() else {
            out.push('\\');
            break;
        };
        match e {
            'Q' => {
                let rest = &p[i + 2..];
                let (lit, skip) = match rest.find("\\E") {
                    Some(k) => (&rest[..k], k + 2),
                    None => (rest, rest.len()),
                };
                out.push_str(&regex::escape(lit));
                let target = i + 2 + skip;
                while it.peek().is_some_and(|&(j, _)| j < target) {
                    it.next();
                }
            }
            'h' => {
                out.push_str(r"[\t \xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]")
            }
            'Z' => out.push_str(r"\n?\z"),
            'p' | 'P' if it.peek().is_some_and(|&(_, c)| c == '{') => {
                let rest = &p[i + 2..];
                if let Some(close) = rest.find('}') {
                    let name = &rest[1..close];
                    let neg = e == 'P';
                    out.push_str(&java_class(name, neg));
                    let target = i + 2 + close + 1;
                    while it.peek().is_some_and(|&(j, _)| j < target) {
                        it.next();
                    }
                } else {
                    out.push('\\');
                    out.push(e);
                }
            }
            _ => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    out
}

/// A Java `\p{name}` (or `\P{name}` when `neg`) in Rust syntax.
fn java_class(name: &str, neg: bool) -> String {
    let posix = match name {
        "Lower" => Some("a-z"),
        "Upper" => Some("A-Z"),
        "ASCII" => Some(r"\x00-\x7F"),
        "Alpha" => Some("a-zA-Z"),
        "Digit" => Some("0-9"),
        "Alnum" => Some("a-zA-Z0-9"),
        "Punct" => Some(r##"!-/:-@\[-`{-~"##),
        "Graph" => Some(r"!-~"),
        "Print" => Some(r" -~"),
        "Blank" => Some(r" \t"),
        "Cntrl" => Some(r"\x00-\x1F\x7F"),
        "XDigit" => Some("0-9a-fA-F"),
        "Space" => Some(r" \t\n\x0B\f\r"),
        _ => None,
    };
    if let Some(set) = posix {
        return format!("[{}{}]", if neg { "^" } else { "" }, set);
    }
    let mapped = match name {
        "javaLowerCase" => "Ll".to_string(),
        "javaUpperCase" => "Lu".to_string(),
        "javaTitleCase" => "Lt".to_string(),
        "javaDigit" => "Nd".to_string(),
        "javaLetter" => "L".to_string(),
        "javaLetterOrDigit" => "Alphabetic".to_string(),
        "javaWhitespace" | "javaSpaceChar" => "White_Space".to_string(),
        "javaAlphabetic" => "Alphabetic".to_string(),
        n if n.starts_with("Is") || n.starts_with("In") => n[2..].to_string(),
        n if n.starts_with("script=") || n.starts_with("sc=") => {
            n.split('=').nth(1).unwrap_or(n).to_string()
        }
        n => n.to_string(),
    };
    format!("\\{}{{{}}}", if neg { 'P' } else { 'p' }, mapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_syntax_translated() {
        assert_eq!(java_to_rust(r"\Qa.b\E\."), r"a\.b\.");
        assert_eq!(java_to_rust(r"\p{Lower}"), "[a-z]");
        assert_eq!(java_to_rust(r"\P{javaUpperCase}"), r"\P{Lu}");
        assert_eq!(java_to_rust(r"\p{IsArabic}"), r"\p{Arabic}");
        assert_eq!(java_to_rust(r"(?U)\w"), r"\w");
        assert_eq!(java_to_rust(r"[\.!]\s"), r"[\.!]\s");
        assert_eq!(java_to_rust("\\"), "\\");
        assert_eq!(java_to_rust(r"\Qabc"), "abc");
        assert!(regex::Regex::new(&java_to_rust(r"\h+\p{Punct}\p{InGreek}")).is_ok());
    }

    #[test]
    fn pieces_are_trimmed_and_nonempty() {
        let mut out = Vec::new();
        pieces_into(" a. b  ", &[3, 4], &mut out);
        assert_eq!(out, vec![1..3, 4..5]);
    }
}

#[cfg(test)]
mod equivalence {
    use super::*;
    use crate::segment::srx::Srx;

    /// The all-rules-at-once path decides exactly as the rule-by-rule path, at every position.
    #[test]
    fn fast_path_agrees_with_rule_by_rule() {
        let srx = Srx::parse(crate::segment::builtin_srx(), Path::new("b")).unwrap();
        let texts = [
            include_str!("../../tests/data/segment/ar-challenge.gold.txt"),
            include_str!("../../tests/data/segment/en-challenge.gold.txt"),
            include_str!("../../tests/data/segment/fr-challenge.gold.txt"),
        ];
        for lang in ["ar", "en", "fr", "de"] {
            let langs = srx.rules_for(lang, Path::new("b")).unwrap();
            let rules = Rules::compile(&langs, Path::new("b")).unwrap();
            let fast = rules
                .fast
                .as_ref()
                .expect("built-in rules take the fast path");
            for text in texts {
                for para in text.split("\n\n") {
                    let para = para.replace('\n', " ");
                    for (pos, _) in para.char_indices().skip(1) {
                        let f = fast
                            .decide(&para, pos)
                            .unwrap()
                            .is_some_and(|i| rules.rules[i].brk);
                        assert_eq!(f, rules.is_break_slow(&para, pos), "{lang} {pos} {para}");
                    }
                }
            }
        }
    }
}

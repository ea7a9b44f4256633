//! A compiled rule set: where to break a paragraph, SRX semantics, fast.
//!
//! SRX semantics: a position is a break when the *first* rule (in cascade order) whose `before`
//! pattern matches text ending there and whose `after` pattern matches text starting there is a
//! `break="yes"` rule; when no rule matches, there is no break.
//!
//! Only *candidate* positions are tested: the positions right after a possible last character
//! of a break rule's `before` pattern (extracted with regex-syntax: for the built-in rules the
//! final marks, closing quotes and brackets, bidi marks), found with SIMD scans (memchr,
//! memmem). A break rule with no finite set of last characters keeps a regex finder of its own
//! (the ends of its matches). A paragraph without any final mark costs the scans only.
//!
//! At a candidate, all DFA-compatible rules are decided together: one anchored multi-pattern
//! search reports which `after` patterns match starting there, and one *reverse* lazy DFA over
//! all `before` patterns, anchored there, reports which match ending there; the first rule in
//! both sets is the fast path's answer. Rules the DFA engines cannot run (look-around,
//! back-references, possessive quantifiers via fancy-regex; Unicode `\b`, on which a lazy DFA
//! gives up near non-ASCII text) are tried one by one as `(?:BEFORE)$` and `^(?:AFTER)`, only
//! those ordered before the fast path's answer, on a window of [`SLOW_WINDOW`] bytes.
//! [`Rules::deciding_rule`] runs every rule that way, for explanations and tests.
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

/// Bytes of context for rules run one by one (look-around, Unicode `\b`): their engines scan
/// the whole window, so it is kept to what abbreviation and quotation rules look at.
pub const SLOW_WINDOW: usize = 160;

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
    /// A break rule whose `before` can end almost anywhere (after any letter) but whose
    /// `after` is white space and then one of a few characters (a list marker, a date): the
    /// positions before the white space ahead of those characters.
    Lead(LeadScan),
    /// A break rule with an empty `before`: every char boundary is a candidate.
    Everywhere,
}

/// The compiled rules of one language.
pub struct Rules {
    rules: Vec<CompiledRule>,
    finders: Vec<Finder>,
    fast: Option<Fast>,
    /// Rules not in `fast`, in order.
    slow_ids: Vec<usize>,
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

/// All DFA-compatible rules at once: pattern `i` of each engine is rule `ids[i]`.
struct Fast {
    /// Rule index of each pattern.
    ids: Vec<usize>,
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
    fn build(ids: Vec<usize>, befores: &[&str], afters: &[&str]) -> Option<Fast> {
        let before = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true)
                    .minimum_cache_clear_count(None),
            )
            // utf8(false): only pattern IDs are used, never offsets, and the UTF-8 empty-match
            // handling of overlapping reverse searches loses later matches when one pattern
            // is empty (seen with LanguageTool's rules; regression test `empty_before_pattern`).
            .thompson(thompson::Config::new().reverse(true).utf8(false))
            .build_many(befores)
            .ok()?;
        let after = meta::Regex::builder()
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::All)
                    .utf8_empty(false),
            )
            .build_many(afters)
            .ok()?;
        let (b, a, n) = (before.clone(), after.clone(), afters.len());
        let make: Box<dyn Fn() -> Caches + Send + Sync> = Box::new(move || Caches {
            before: b.create_cache(),
            after: a.create_cache(),
            afters: PatternSet::new(n),
        });
        Some(Fast {
            ids,
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
        Ok(best.map(|i| self.ids[i]))
    }
}

/// True when every match of `pattern` starts with one of a few literals of three bytes or
/// more (`http`, `www.`): then a literal prefilter skips most of the text, while one-byte
/// fingerprints (the lead byte of Arabic letters) would only slow the scan down.
fn long_prefixes(pattern: &str) -> bool {
    let Ok(hir) = regex_syntax::parse(pattern) else {
        return false;
    };
    let mut ex = regex_syntax::hir::literal::Extractor::new();
    ex.kind(regex_syntax::hir::literal::ExtractKind::Prefix);
    ex.extract(&hir)
        .literals()
        .is_some_and(|ls| !ls.is_empty() && ls.iter().all(|l| l.as_bytes().len() >= 3))
}

/// True when the DFA engines can run `pattern` on any text: it compiles with `regex` and has
/// no Unicode word boundary (which makes a lazy DFA give up on non-ASCII text).
fn dfa_friendly(pattern: &str) -> bool {
    regex_syntax::parse(pattern).is_ok_and(|h| !h.properties().look_set().contains_word_unicode())
}

impl Rules {
    /// Compiles the rules of `langs`, in order.
    ///
    /// # Errors
    /// [`Error::Srx`] naming `path`, the rule's line:column, the language rule and the pattern.
    pub fn compile(langs: &[&LanguageRule], path: &Path) -> Result<Rules, Error> {
        let mut rules = Vec::new();
        // Finders of `before` patterns, index-aligned with `finder_src`, and `Lead` finders.
        let (mut before_finders, mut finders) = (Vec::new(), Vec::new());
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
                        format!("{which} pattern {}: {why}", crate::error::quoted(pat)),
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
                let lead = if r.brk && LiteralScan::new(&[&before_src]).is_none() {
                    LeadScan::new(&after_src)
                } else {
                    None
                };
                if let Some(l) = lead {
                    finders.push(Finder::Lead(l));
                } else if r.brk && !finder_src.contains(&before_src) {
                    let scan = meta::Regex::builder()
                        .configure(meta::Config::new().auto_prefilter(long_prefixes(&before_src)))
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
                    before_finders.push(f);
                }
                rules.push(CompiledRule {
                    brk: r.brk,
                    before,
                    after,
                });
            }
        }
        // Break rules whose matches end with one of a few characters share one set of SIMD
        // scans for those characters; the others keep their own finders.
        let (scannable, rest): (Vec<usize>, Vec<usize>) = (0..finder_src.len()).partition(|&i| {
            !finder_src[i].is_empty() && LiteralScan::new(&[&finder_src[i]]).is_some()
        });
        if !scannable.is_empty() {
            let srcs: Vec<&str> = scannable.iter().map(|&i| finder_src[i].as_str()).collect();
            if let Some(ls) = LiteralScan::new(&srcs) {
                let mut old: Vec<Option<Finder>> = std::mem::take(&mut before_finders)
                    .into_iter()
                    .map(Some)
                    .collect();
                before_finders = vec![Finder::Literals(ls)];
                before_finders.extend(rest.iter().filter_map(|&i| old[i].take()));
            }
        }
        before_finders.append(&mut finders);
        let finders = before_finders;
        // Rules the DFA engines can run are decided together; the others one by one.
        let (fast_ids, slow_ids): (Vec<usize>, Vec<usize>) =
            (0..rules.len()).partition(|&i| dfa_friendly(&befores[i]) && dfa_friendly(&afters[i]));
        let fast = if fast_ids.is_empty() {
            None
        } else {
            let b: Vec<&str> = fast_ids.iter().map(|&i| befores[i].as_str()).collect();
            let a: Vec<&str> = fast_ids.iter().map(|&i| afters[i].as_str()).collect();
            Fast::build(fast_ids, &b, &a)
        };
        let slow_ids = if fast.is_some() {
            slow_ids
        } else {
            (0..rules.len()).collect()
        };
        Ok(Rules {
            rules,
            finders,
            fast,
            slow_ids,
        })
    }

    /// Decides whether `pos` (a char boundary strictly inside `text`) is a break.
    fn is_break(&self, text: &str, pos: usize) -> bool {
        if let Some(fast) = &self.fast {
            if let Ok(best) = fast.decide(text, pos) {
                let limit = best.unwrap_or(usize::MAX);
                if self.slow_ids.first().is_some_and(|&i| i < limit) {
                    let w = windows(text, pos);
                    for &i in self.slow_ids.iter().take_while(|&&i| i < limit) {
                        if self.rules[i].matches(text, pos, w) {
                            return self.rules[i].brk;
                        }
                    }
                }
                return best.is_some_and(|i| self.rules[i].brk);
            }
        }
        self.is_break_slow(text, pos)
    }

    /// The index (in cascade order) of the rule that decides at `pos`, rule by rule: for
    /// explaining a segmentation ("which rule split here?").
    pub fn deciding_rule(&self, text: &str, pos: usize) -> Option<usize> {
        let w = windows(text, pos);
        self.rules.iter().position(|r| r.matches(text, pos, w))
    }

    /// Rule by rule, on windows of the text.
    fn is_break_slow(&self, text: &str, pos: usize) -> bool {
        let w = windows(text, pos);
        self.rules
            .iter()
            .find(|r| r.matches(text, pos, w))
            .is_some_and(|r| r.brk)
    }

    /// Appends to `out` the break positions of `text`, in increasing order, excluding 0 and
    /// `text.len()`. `scratch` is reused between calls to avoid allocating.
    pub fn breaks_into(&self, text: &str, scratch: &mut Vec<usize>, out: &mut Vec<usize>) {
        scratch.clear();
        for f in &self.finders {
            match f {
                Finder::Everywhere => scratch.extend(text.char_indices().map(|(i, _)| i)),
                Finder::Lead(l) => l.candidates(text, scratch),
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
        if self.finders.len() > 1
            || matches!(
                self.finders.first(),
                Some(Finder::Literals(_) | Finder::Lead(_))
            )
        {
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
        LiteralScan::from_chars(lasts)
    }

    /// A scan for these characters (UTF-8 each), or `None` for none or more than 48.
    fn from_chars(lasts: Vec<Vec<u8>>) -> Option<LiteralScan> {
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

    /// Appends the positions of each occurrence of one of the characters (unsorted).
    fn starts(&self, text: &str, out: &mut Vec<usize>) {
        let hay = text.as_bytes();
        for c in self.bytes.chunks(3) {
            match *c {
                [a] => out.extend(memchr::memchr_iter(a, hay)),
                [a, b] => out.extend(memchr::memchr2_iter(a, b, hay)),
                [a, b, d] => out.extend(memchr::memchr3_iter(a, b, d, hay)),
                _ => {}
            }
        }
        for f in &self.multi {
            out.extend(f.find_iter(hay));
        }
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

/// Candidate finder for an `after` pattern `\s+REST` (or `\s*REST`, any repeated class in
/// place of `\s`) whose `REST` starts with one of a few literal characters: if the pattern
/// matches at `p`, `text[p..q]` is a run of the class and `REST` matches at `q`, so `text[q]` is
/// one of those characters and `p` lies in the run before it. Every position of that run is a
/// candidate (the rules then decide exactly), so the finder is sound whatever the `before`.
#[derive(Debug, Clone)]
struct LeadScan {
    firsts: LiteralScan,
    space: regex_syntax::hir::ClassUnicode,
    /// The repetition's minimum (0 or 1): how far before `q` the last candidate is.
    min: usize,
}

impl LeadScan {
    /// `None` unless `after` has that shape with at most 48 first characters for `REST`.
    fn new(after: &str) -> Option<LeadScan> {
        use regex_syntax::hir::{Class, HirKind};
        let hir = regex_syntax::parse(after).ok()?;
        let HirKind::Concat(subs) = hir.kind() else {
            return None;
        };
        let HirKind::Repetition(rep) = subs.first()?.kind() else {
            return None;
        };
        let HirKind::Class(Class::Unicode(space)) = rep.sub.kind() else {
            return None;
        };
        if rep.min > 1 || rep.max.is_some() || subs.len() < 2 {
            return None;
        }
        let rest = regex_syntax::hir::Hir::concat(subs[1..].to_vec());
        let mut ex = regex_syntax::hir::literal::Extractor::new();
        ex.kind(regex_syntax::hir::literal::ExtractKind::Prefix)
            .limit_class(64)
            .limit_total(1024);
        let seq = ex.extract(&rest);
        let mut firsts: Vec<Vec<u8>> = Vec::new();
        for l in seq.literals()? {
            let c = std::str::from_utf8(l.as_bytes()).ok()?.chars().next()?;
            let b = c.to_string().into_bytes();
            if !firsts.contains(&b) {
                firsts.push(b);
            }
        }
        Some(LeadScan {
            firsts: LiteralScan::from_chars(firsts)?,
            space: space.clone(),
            min: rep.min as usize,
        })
    }

    /// Appends the candidate positions (unsorted).
    fn candidates(&self, text: &str, out: &mut Vec<usize>) {
        let in_space = |c: char| {
            self.space
                .ranges()
                .iter()
                .any(|r| r.start() <= c && c <= r.end())
        };
        let mut starts = Vec::new();
        self.firsts.starts(text, &mut starts);
        for q in starts {
            let mark = out.len();
            out.extend(
                text[..q]
                    .char_indices()
                    .rev()
                    .take_while(|&(_, c)| in_space(c))
                    .map(|(i, _)| i),
            );
            if self.min == 0 {
                out.push(q);
            } else if out.len() - mark < self.min {
                out.truncate(mark);
            }
        }
    }
}

/// The window of [`SLOW_WINDOW`] bytes on each side of `pos`: `(lo, hi)`.
fn windows(text: &str, pos: usize) -> (usize, usize) {
    let lo = floor_boundary(text, pos.saturating_sub(SLOW_WINDOW));
    let hi = ceil_boundary(text, (pos + SLOW_WINDOW).min(text.len()));
    (lo, hi)
}

impl Matcher {
    /// Whether the pattern (`(?:BEFORE)$`) matches in `text[..pos]` starting at or after `lo`:
    /// `^` and look-behind still see the whole text, and the search costs at most `pos - lo`.
    fn is_match_ending(&self, text: &str, lo: usize, pos: usize) -> bool {
        match self {
            Matcher::Fast(r) => r.is_match_at(&text[..pos], lo),
            Matcher::Fancy(r) => r.find_from_pos(&text[..pos], lo).is_ok_and(|m| m.is_some()),
        }
    }
}

impl CompiledRule {
    /// Whether `before` matches ending at `pos` and `after` (`^(?:AFTER)`) starting there.
    fn matches(&self, text: &str, pos: usize, (lo, hi): (usize, usize)) -> bool {
        self.after
            .as_ref()
            .map_or(true, |m| m.is_match(&text[pos..hi]))
            && self
                .before
                .as_ref()
                .map_or(true, |m| m.is_match_ending(text, lo, pos))
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
    use crate::segment::srx::Srx;

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

    /// The Arabic rules of an SRX document whose one language rule applies to every language.
    fn compile(xml: &str) -> Rules {
        let srx = Srx::parse(xml, Path::new("m")).unwrap();
        Rules::compile(
            &srx.rules_for("ar", Path::new("m")).unwrap(),
            Path::new("m"),
        )
        .unwrap()
    }

    /// The fast path decides as the rule-by-rule path at every position of `text`.
    fn assert_agrees(rules: &Rules, text: &str) {
        for (pos, _) in text.char_indices().skip(1) {
            assert_eq!(
                rules.is_break(text, pos),
                rules.is_break_slow(text, pos),
                "{pos}"
            );
        }
    }

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
            assert!(rules.fast.is_some(), "built-in rules take the fast path");
            for text in texts {
                for para in text.split("\n\n") {
                    let para = para.replace('\n', " ");
                    for (pos, _) in para.char_indices().skip(1) {
                        let f = rules.is_break(&para, pos);
                        assert_eq!(f, rules.is_break_slow(&para, pos), "{lang} {pos} {para}");
                    }
                }
            }
        }
    }

    /// A rule with an empty `beforebreak` beside others: the reverse DFA must still report
    /// every other rule that matches (it lost them with UTF-8 empty-match handling on).
    #[test]
    fn empty_before_pattern_dfa() {
        // LanguageTool's Arabic rules that exposed it, in their order (the empty one last).
        let befores = [
            r"[\.\s]\p{L}{1,2}\.\s",
            r"[^\.]\s[ابتقجحخدذصضعغفقكلمنهوىيءةأ]\.\s",
            r"[\.!?؟…][«»'\p{Pe}]*\s",
            r"\s\p{L}[\.!?؟…]\s",
            "",
        ];
        let afters = ["", "", "", "", ""];
        let fast = Fast::build((0..5).collect(), &befores, &afters).unwrap();
        let text = "القاهرة (أ.ش.أ) - استقبل د. مصطفى";
        let pos = text.find("مصطفى").unwrap();
        let mut c = fast.pool.get();
        let input = Input::new(text).range(0..pos).anchored(Anchored::Yes);
        let mut st = OverlappingState::start();
        let mut found = vec![];
        loop {
            fast.before
                .try_search_overlapping_rev(&mut c.before, &input, &mut st)
                .unwrap();
            let Some(hm) = st.get_match() else { break };
            found.push(hm.pattern().as_usize());
        }
        found.sort();
        assert_eq!(found, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn empty_before_pattern() {
        let xml = r#"<srx version="2.0"><header cascade="no"/><body><languagerules>
<languagerule languagerulename="m">
<rule break="no"><beforebreak>[^\.]\s[د]\.\s</beforebreak><afterbreak></afterbreak></rule>
<rule break="yes"><beforebreak>\s\p{L}[.]\s</beforebreak><afterbreak></afterbreak></rule>
<rule break="yes"><beforebreak>[.!?]\s</beforebreak><afterbreak></afterbreak></rule>
<rule break="no"><beforebreak></beforebreak><afterbreak>x</afterbreak></rule>
</languagerule></languagerules><maprules>
<languagemap languagepattern=".*" languagerulename="m"/></maprules></body></srx>"#;
        let rules = compile(xml);
        assert!(rules.fast.is_some());
        assert_agrees(&rules, "القاهرة - استقبل د. مصطفى مدبولي. ثم x");
    }

    /// Look-around and `\b` rules run one by one, interleaved in order with the DFA rules.
    #[test]
    fn mixed_rules_decide_as_rule_by_rule() {
        let xml = r#"<srx version="2.0"><header cascade="no"/><body><languagerules>
<languagerule languagerulename="m">
<rule break="no"><beforebreak>(?&lt;=\s)\p{Lu}\.</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="yes"><beforebreak>\bvs\.</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="no"><beforebreak>\b(?:Dr|Mr)\.</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="no"><beforebreak>د\.</beforebreak><afterbreak>\s(?!ثم)</afterbreak></rule>
<rule break="yes"><beforebreak>[.!?؟]+["»”]*</beforebreak><afterbreak>\s</afterbreak></rule>
</languagerule></languagerules><maprules>
<languagemap languagepattern=".*" languagerulename="m"/></maprules></body></srx>"#;
        let rules = compile(xml);
        assert!(rules.fast.is_some() && !rules.slow_ids.is_empty());
        let text = "A. B vs. C Dr. Who said د. ثم د. علي. «نعم؟» Mr. X! Y. Z";
        assert_agrees(&rules, text);
        let mut out = Vec::new();
        rules.breaks_into(text, &mut Vec::new(), &mut out);
        let parts: Vec<_> = out.iter().map(|&b| &text[..b]).collect();
        let ends: Vec<_> = parts
            .iter()
            .map(|p| p.rsplit(' ').next().unwrap())
            .collect();
        assert_eq!(ends, ["A.", "vs.", "د.", "علي.", "«نعم؟»", "X!"]);
    }
}

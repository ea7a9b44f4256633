//! Output helpers: colour only on a terminal and never with `NO_COLOR`.

use std::io::IsTerminal;

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Colour unless `NO_COLOR` is set.
    Always,
    /// No colour.
    Never,
}

/// Whether to colour standard output. `NO_COLOR` (any non-empty value) always wins.
pub fn use_color(choice: ColorChoice) -> bool {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal(),
    }
}

/// Paints text with an ANSI style when `on`.
pub struct Paint {
    on: bool,
}

impl Paint {
    /// A painter; `on` from [`use_color`].
    pub fn new(on: bool) -> Paint {
        Paint { on }
    }

    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Bold.
    pub fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }

    /// Yellow, for things to review.
    pub fn warn(&self, s: &str) -> String {
        self.wrap("33", s)
    }

    /// Green, for all good.
    pub fn good(&self, s: &str) -> String {
        self.wrap("32", s)
    }
}

/// Shortens `s` to at most `n` characters for one-line summaries.
pub fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

//! `string.pattern` is RE2 (protovalidate's spec); the generated code matches with the
//! `regex` crate, which is Unicode-aware where RE2 is ASCII. [`translate`] rewrites
//! the Perl classes and word boundaries into their ASCII meaning and refuses the RE2
//! syntax the two read differently, so both engines accept the same strings.

use anyhow::{Result, bail};

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
/// RE2's `\s`: `[\t\n\f\r ]` (no `\v`).
const SPACE: &str = "\\t\\n\\f\\r ";

/// The `regex` crate pattern that matches exactly what RE2 matches for `re2`; an
/// error for syntax that cannot be carried over (and for a pattern `regex` refuses).
pub fn translate(re2: &str) -> Result<String> {
    let mut out = String::with_capacity(re2.len() + 16);
    let mut chars = re2.chars().peekable();
    let mut in_class = false;
    // Just after `[` or `[^`: a `]` there is a literal.
    let mut class_start = false;
    // Whether the last token was a quantifier (`*`, `+`, `?`, `{n,m}`), and whether a
    // lazy `?` may still follow it.
    let (mut after_quantifier, mut lazy_may_follow) = (false, false);
    while let Some(c) = chars.next() {
        let at_class_start = std::mem::take(&mut class_start);
        let (prev_quantifier, prev_lazy) = (after_quantifier, lazy_may_follow);
        (after_quantifier, lazy_may_follow) = match c {
            '*' | '+' | '?' if !in_class && prev_quantifier && c == '?' && prev_lazy => {
                (true, false)
            }
            '*' | '+' | '?' | '{' if !in_class && prev_quantifier => {
                // RE2 refuses a repetition of a repetition (`a**`); one lazy `?` is fine.
                bail!("pattern {re2:?}: a repetition of a repetition is not supported");
            }
            '*' | '+' | '?' if !in_class => (true, true),
            '}' if !in_class => (true, true),
            _ => (false, false),
        };
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    bail!("pattern {re2:?} ends with a lone `\\`");
                };
                // Always a bracketed class (nested inside a class), so a `-` after it
                // cannot turn it into a range.
                let class = |set: &str, negated: bool| -> String {
                    if negated {
                        format!("[^{set}]")
                    } else {
                        format!("[{set}]")
                    }
                };
                if in_class
                    && matches!(e, 'd' | 'D' | 'w' | 'W' | 's' | 'S')
                    && chars.peek() == Some(&'-')
                {
                    let mut ahead = chars.clone();
                    ahead.next();
                    if ahead.peek() != Some(&']') {
                        bail!(
                            "pattern {re2:?}: a range from a Perl class (`\\{e}-`) is not supported"
                        );
                    }
                }
                match e {
                    'd' => out.push_str(&class(DIGIT, false)),
                    'D' => out.push_str(&class(DIGIT, true)),
                    'w' => out.push_str(&class(WORD, false)),
                    'W' => out.push_str(&class(WORD, true)),
                    's' => out.push_str(&class(SPACE, false)),
                    'S' => out.push_str(&class(SPACE, true)),
                    'b' | 'B' if !in_class => {
                        out.push_str("(?-u:\\");
                        out.push(e);
                        out.push(')');
                    }
                    'Q' | 'C' | 'E' => bail!("pattern {re2:?}: `\\{e}` is not supported"),
                    // Literals to RE2, word-boundary assertions to `regex`.
                    '<' | '>' => out.push(e),
                    '0'..='9' => {
                        bail!("pattern {re2:?}: octal or back-reference `\\{e}` is not supported")
                    }
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
            }
            '[' if in_class => {
                // `[:alpha:]` inside a class: ASCII in both engines.
                if chars.peek() == Some(&':') {
                    out.push('[');
                    for p in chars.by_ref() {
                        out.push(p);
                        if p == ']' {
                            break;
                        }
                    }
                } else {
                    // RE2 reads a `[` inside a class as a literal; `regex` as a nested class.
                    out.push_str("\\[");
                }
            }
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(']');
            }
            ']' if in_class => out.push_str("\\]"),
            '&' | '~' | '-' if in_class && chars.peek() == Some(&c) => {
                // Set operations in `regex`, literals or ranges in RE2.
                bail!("pattern {re2:?}: `{c}{c}` inside a class is not supported");
            }
            '(' if chars.peek() == Some(&'?') => {
                out.push('(');
                let flags: String = chars
                    .clone()
                    .skip(1)
                    .take_while(|f| !matches!(f, ':' | ')' | '<' | 'P'))
                    .collect();
                if flags.contains('x') {
                    bail!("pattern {re2:?}: the `x` flag is not RE2");
                }
                if flags.contains('i') {
                    bail!(
                        "pattern {re2:?}: case-insensitive matching is not supported \
                         (the engines fold Unicode case differently)"
                    );
                }
            }
            _ => out.push(c),
        }
    }
    if in_class {
        bail!("pattern {re2:?}: unterminated character class");
    }
    if let Err(e) = regex::Regex::new(&out) {
        bail!("pattern {re2:?} (as {out:?}) does not compile: {e}");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn matches(re2: &str, s: &str) -> bool {
        regex::Regex::new(&translate(re2).unwrap())
            .unwrap()
            .is_match(s)
    }

    #[test]
    fn perl_classes_are_ascii_as_in_re2() {
        assert!(matches("^\\d+$", "123"));
        assert!(!matches("^\\d+$", "١٢٣"));
        assert!(!matches("^\\w+$", "héllo"));
        assert!(matches("^\\W$", "é"));
        assert!(!matches("^\\s$", "\u{a0}"));
        assert!(!matches("^\\s$", "\u{b}"));
        assert!(matches("^\\s$", "\u{c}"));
        assert!(matches("^[\\d-]+$", "1-2"));
        assert!(matches("^[^\\d]$", "١"));
        assert!(matches("^[\\D]$", "é"));
        assert!(!matches("\\bé", "é"));
        assert!(matches("^.$", "😀"));
        // Escaped `<` and `>` are literals to RE2, not word boundaries.
        assert!(matches("^\\<a\\>$", "<a>"));
        assert!(!matches("^\\<a\\>$", "a"));
        // A Perl class in a class stays one class: `-` after it is a literal at the end.
        assert!(matches("^[\\w-]+$", "a-b_9"));
        assert!(!matches("^[\\w-]+$", "a~"));
        // Lazy quantifiers, escaped and in-class quantifier characters.
        for p in ["a*?", "a{2}?", "\\**", "[*+?]+", "a+?b"] {
            assert!(translate(p).is_ok(), "{p}");
        }
    }

    /// Random patterns: the translation never panics, and on ASCII text (where RE2's
    /// ASCII classes and the `regex` crate's byte-mode classes agree) it matches
    /// exactly what the original matches with Unicode off, as RE2 reads it. Non-ASCII
    /// text is the differential test's (`tests/tests/validate_differential.rs`, against
    /// protovalidate's RE2).
    #[test]
    fn random_patterns_translate_to_the_same_ascii_language() {
        const PIECES: &[&str] = &[
            "a", "b", "0", "9", "_", " ", "-", ".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S",
            "\\b", "[", "]", "[^", "^", "$", "(", ")", "(?:", "|", "*", "+", "?", "{1,2}", "\\.",
            "\\-", "\\[",
        ];
        // No `\v`: the oracle's ASCII `\s` has it, RE2's does not (which
        // `perl_classes_are_ascii_as_in_re2` and the differential test hold).
        const TEXT: &[u8] = b"ab09_ -.[]&~\t\n\x0cZ";
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut compared, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let re2: String = (0..next(8) + 1)
                .map(|_| PIECES[next(PIECES.len())])
                .collect();
            let Ok(translated) = translate(&re2) else {
                refused += 1;
                continue;
            };
            // A `[` inside a class is a literal to RE2 and a nested class to the
            // oracle: such patterns are not the oracle's to judge.
            if translated.matches("\\[").count() > re2.matches("\\[").count() {
                continue;
            }
            let Ok(original) = regex::bytes::RegexBuilder::new(&re2).unicode(false).build() else {
                continue;
            };
            let translated = regex::Regex::new(&translated).unwrap();
            for _ in 0..20 {
                let text: String = (0..next(6))
                    .map(|_| TEXT[next(TEXT.len())] as char)
                    .collect();
                assert_eq!(
                    translated.is_match(&text),
                    original.is_match(text.as_bytes()),
                    "{re2:?} on {text:?}"
                );
                compared += 1;
            }
        }
        assert!(
            compared > 50_000 && refused > 100,
            "{compared} compared, {refused} refused"
        );
    }

    #[test]
    fn unsupported_syntax_is_refused() {
        for p in [
            "(?i)abc",
            "\\Qa.b\\E",
            "\\1",
            "[a",
            "a\\",
            "a**",
            "a+*",
            "a*??",
            "(?x)a",
            "[+--]",
            "[a&&b]",
            "[\\w-~]",
        ] {
            assert!(translate(p).is_err(), "{p}");
        }
    }
}

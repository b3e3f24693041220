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
    while let Some(c) = chars.next() {
        let at_class_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    bail!("pattern {re2:?} ends with a lone `\\`");
                };
                let class = |set: &str, negated: bool| -> String {
                    match (in_class, negated) {
                        (false, false) => format!("[{set}]"),
                        (false, true) => format!("[^{set}]"),
                        (true, false) => set.to_string(),
                        (true, true) => format!("[^{set}]"),
                    }
                };
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
                // `&&`, `~~`, `--` are set operations in `regex`, literals in RE2.
                chars.next();
                out.push('\\');
                out.push(c);
                out.push('\\');
                out.push(c);
            }
            '(' if chars.peek() == Some(&'?') => {
                out.push('(');
                let flags: String = chars
                    .clone()
                    .skip(1)
                    .take_while(|f| !matches!(f, ':' | ')' | '<' | 'P'))
                    .collect();
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
    }

    #[test]
    fn unsupported_syntax_is_refused() {
        for p in ["(?i)abc", "\\Qa.b\\E", "\\1", "[a", "a\\"] {
            assert!(translate(p).is_err(), "{p}");
        }
    }
}

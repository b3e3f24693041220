//! prost's identifier rules (prost-build's `ident.rs`), so generated impls name the
//! fields, variants and modules prost generated.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// A Rust identifier for `ident`: keywords raw, non-raw-able keywords and leading digits
/// escaped, as prost does.
pub fn sanitize(ident: &str) -> String {
    match ident {
        "as" | "break" | "const" | "continue" | "else" | "enum" | "false" | "fn" | "for" | "if"
        | "impl" | "in" | "let" | "loop" | "match" | "mod" | "move" | "mut" | "pub" | "ref"
        | "return" | "static" | "struct" | "trait" | "true" | "type" | "unsafe" | "use"
        | "where" | "while" | "dyn" | "abstract" | "become" | "box" | "do" | "final" | "macro"
        | "override" | "priv" | "typeof" | "unsized" | "virtual" | "yield" | "async" | "await"
        | "try" | "gen" => format!("r#{ident}"),
        "_" | "super" | "self" | "Self" | "extern" | "crate" => format!("{ident}_"),
        s if s.starts_with(|c: char| c.is_numeric()) => format!("_{ident}"),
        _ => ident.to_string(),
    }
}

/// A field or module name: snake case, sanitized.
pub fn to_snake(s: &str) -> String {
    sanitize(&s.to_snake_case())
}

/// A type or variant name: upper camel case, sanitized.
pub fn to_upper_camel(s: &str) -> String {
    sanitize(&s.to_upper_camel_case())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_prost() {
        assert_eq!(to_snake("type"), "r#type");
        assert_eq!(to_snake("self"), "self_");
        assert_eq!(to_snake("FIELD_NAME11"), "field_name11");
        assert_eq!(to_snake("__field_name13"), "field_name13");
        assert_eq!(to_upper_camel("oneof_uint32"), "OneofUint32");
        assert_eq!(to_upper_camel("Self"), "Self_");
    }
}

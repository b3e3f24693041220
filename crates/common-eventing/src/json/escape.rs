//! JSON string escaping, 32 bytes at a time.
//!
//! `serde_json` looks every byte of a string up in its escape table, one at a time;
//! on text-heavy messages (a chat message, a 64 KiB model answer) that loop is most
//! of the serialization. Here a block of 32 bytes is tested with six SSE2 compares
//! (part of x86-64 itself; a plain loop elsewhere), runs of clean blocks are copied with one `memcpy`, and only
//! a block holding a byte to escape goes through the table. The escapes are exactly
//! `serde_json`'s: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, and `\u00XX` (lowercase
//! hex) for the other control characters; everything else, including `/`, DEL and
//! non-ASCII, is copied as is.

const BLOCK: usize = 32;

/// True when `byte` must be escaped in a JSON string.
#[inline(always)]
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The length of the longest prefix of whole blocks of `bytes` with nothing to
/// escape.
#[inline]
fn clean_blocks(bytes: &[u8]) -> usize {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        // SAFETY: the function only needs SSE2, which this target has (the cfg above:
        // SSE2 is part of x86-64 itself); it reads `bytes` through safe slice indexing.
        unsafe { sse2::clean_blocks(bytes) }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        let mut i = 0;
        while let Some(block) = bytes.get(i..i + BLOCK) {
            if block
                .iter()
                .fold(false, |dirty, &b| dirty | needs_escape(b))
            {
                break;
            }
            i += BLOCK;
        }
        i
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use super::BLOCK;
    use core::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8,
    };

    /// 16 bytes from `bytes[at..]` (two safe 8-byte loads the compiler fuses).
    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(bytes: &[u8], at: usize) -> __m128i {
        let word = |i: usize| {
            let mut w = [0; 8];
            w.copy_from_slice(&bytes[i..i + 8]);
            i64::from_le_bytes(w)
        };
        _mm_set_epi64x(word(at + 8), word(at))
    }

    /// The bytes of `v` below 0x20, equal to `"` or equal to `\`, as a mask.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn dirty(v: __m128i) -> __m128i {
        let control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        _mm_or_si128(control, _mm_or_si128(quote, backslash))
    }

    #[target_feature(enable = "sse2")]
    pub(super) fn clean_blocks(bytes: &[u8]) -> usize {
        let mut i = 0;
        while i + BLOCK <= bytes.len() {
            let mask = _mm_or_si128(dirty(load(bytes, i)), dirty(load(bytes, i + 16)));
            if _mm_movemask_epi8(mask) != 0 {
                break;
            }
            i += BLOCK;
        }
        i
    }
}

/// Appends `s` to `out` as a JSON string, quotes included.
#[inline(always)]
pub(crate) fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Most strings are short keys and values with nothing to escape.
    if s.len() < BLOCK && !s.bytes().any(needs_escape) {
        out.push_str(s);
    } else {
        write_contents(out, s);
    }
    out.push('"');
}

/// Appends the escaped text of `s` (no quotes).
pub(crate) fn write_contents(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes.len() - i >= BLOCK {
            i += clean_blocks(&bytes[i..]);
        }
        // Then byte by byte, to the end of this block (or of the string).
        let stop = (i + BLOCK).min(bytes.len());
        while i < stop {
            let byte = bytes[i];
            if needs_escape(byte) {
                // `start` and `i` are next to ASCII bytes: character boundaries.
                out.push_str(&s[start..i]);
                write_escape(out, byte);
                start = i + 1;
            }
            i += 1;
        }
    }
    out.push_str(&s[start..]);
}

#[cold]
fn write_escape(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
            return;
        }
    };
    out.push('\\');
    out.push(char::from(short));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random strings over an alphabet heavy in escapes, at every length around the
    /// block size, escape exactly as `serde_json` does.
    #[test]
    fn escapes_as_serde_json() {
        let alphabet: Vec<char> = ('\0'..='\u{22}')
            .chain(['\\', '/', 'a', 'Z', '\u{7f}', 'é', '€', '😀', '\u{2028}'])
            .collect();
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        for len in 0..300 {
            for round in 0..30u64 {
                // Dense, sparse and rare escapes: dirty blocks, clean runs and both.
                let one_in = [8, 64, 4096][round as usize % 3];
                let s: String = (0..len)
                    .map(|_| {
                        rng ^= rng << 13;
                        rng ^= rng >> 7;
                        rng ^= rng << 17;
                        // Mostly plain text, so clean blocks and runs occur.
                        if rng.is_multiple_of(one_in) {
                            alphabet[(rng >> 8) as usize % alphabet.len()]
                        } else {
                            'x'
                        }
                    })
                    .collect();
                let mut ours = String::new();
                write_str(&mut ours, &s);
                assert_eq!(ours, serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
    }
}

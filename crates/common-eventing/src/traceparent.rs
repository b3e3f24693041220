//! W3C Trace Context `traceparent`: parse, validate, generate.
//!
//! Version `00` is `00-<trace-id: 32 hex>-<parent-id: 16 hex>-<trace-flags: 2 hex>`,
//! exactly 55 characters, lowercase hex only, with neither id all zeros. Version `ff`
//! is forbidden. A later version is parsed as far as version `00` defines it: the
//! same four fields, then either the end or a `-` and fields this version does not
//! know (ignored), as the [specification](https://www.w3.org/TR/trace-context/#versioning-of-traceparent)
//! requires.
//!
//! ```
//! use common_eventing::traceparent::{TraceParent, TraceParentError};
//!
//! let tp: TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".parse()?;
//! assert!(tp.sampled());
//! assert_eq!(tp.to_string(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
//!
//! // The next hop keeps the trace id and gets a new parent id.
//! let child = tp.child();
//! assert_eq!(child.trace_id, tp.trace_id);
//! assert_ne!(child.parent_id, tp.parent_id);
//!
//! assert_eq!(
//!     "00-00000000000000000000000000000000-00f067aa0ba902b7-01".parse::<TraceParent>(),
//!     Err(TraceParentError::AllZeroTraceId),
//! );
//! # Ok::<(), TraceParentError>(())
//! ```

use std::fmt;
use std::str::FromStr;

/// Length of a version `00` `traceparent` (and the minimum for later versions).
pub const TRACEPARENT_LEN: usize = 55;

/// The `sampled` bit of the trace flags.
pub const FLAG_SAMPLED: u8 = 0x01;

/// Offsets of the `-` separators.
const SEPARATORS: [usize; 3] = [2, 35, 52];

/// A parsed `traceparent` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TraceParent {
    /// Format version as received (`0` today; `0xff` never). [`Display`](fmt::Display)
    /// always writes version `00`.
    pub version: u8,
    /// Id of the whole trace; never all zeros.
    pub trace_id: [u8; 16],
    /// Id of the caller's span (the parent of the receiver's); never all zeros.
    pub parent_id: [u8; 8],
    /// Trace flags; bit 0 is [`FLAG_SAMPLED`].
    pub flags: u8,
}

/// What is wrong with a `traceparent` value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TraceParentError {
    /// The value has the wrong length: version `00` is exactly 55 characters, later
    /// versions at least 55.
    WrongLength {
        /// Characters required (exact for version `00`, minimum otherwise).
        expected: usize,
        /// Characters (bytes) present.
        found: usize,
    },
    /// The version is not two hex digits, or is the forbidden `ff`.
    InvalidVersion {
        /// The version field as found.
        found: String,
    },
    /// A `-` is missing where a field ends.
    MissingSeparator {
        /// Offset where `-` was expected.
        offset: usize,
    },
    /// A field contains uppercase hex (`traceparent` is lowercase only).
    UppercaseHex {
        /// The field: `version`, `trace-id`, `parent-id` or `trace-flags`.
        field: &'static str,
    },
    /// A field contains a character that is not a hex digit.
    InvalidHex {
        /// The field: `version`, `trace-id`, `parent-id` or `trace-flags`.
        field: &'static str,
        /// Offset of the offending character.
        offset: usize,
    },
    /// The trace id is all zeros.
    AllZeroTraceId,
    /// The parent id is all zeros.
    AllZeroParentId,
}

impl fmt::Display for TraceParentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength { expected, found } => write!(
                f,
                "traceparent has {found} characters, expected {expected} \
                 (version-traceid-parentid-flags)"
            ),
            Self::InvalidVersion { found } if found == "ff" => {
                f.write_str("traceparent version ff is forbidden")
            }
            Self::InvalidVersion { found } => {
                write!(
                    f,
                    "traceparent version {found:?} is not 2 lowercase hex digits"
                )
            }
            Self::MissingSeparator { offset } => {
                write!(f, "traceparent: expected '-' at offset {offset}")
            }
            Self::UppercaseHex { field } => {
                write!(
                    f,
                    "traceparent {field} contains uppercase hex; lowercase is required"
                )
            }
            Self::InvalidHex { field, offset } => write!(
                f,
                "traceparent {field} has a non-hex character at offset {offset}"
            ),
            Self::AllZeroTraceId => f.write_str("traceparent trace-id is all zeros"),
            Self::AllZeroParentId => f.write_str("traceparent parent-id is all zeros"),
        }
    }
}

impl std::error::Error for TraceParentError {}

impl TraceParent {
    /// A new trace: random trace and parent ids, version `00`, sampled.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn generate() -> Self {
        Self {
            version: 0,
            trace_id: random_nonzero(),
            parent_id: random_nonzero(),
            flags: FLAG_SAMPLED,
        }
    }

    /// The `traceparent` to send downstream from a span of this trace: same trace id
    /// and flags, a new random parent id, version `00`.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn child(&self) -> Self {
        Self {
            version: 0,
            parent_id: random_nonzero(),
            ..*self
        }
    }

    /// Whether the caller may have recorded the trace (flag bit 0).
    pub fn sampled(&self) -> bool {
        self.flags & FLAG_SAMPLED != 0
    }

    /// The same context with the sampled flag set or cleared.
    pub fn with_sampled(self, sampled: bool) -> Self {
        let flags = if sampled {
            self.flags | FLAG_SAMPLED
        } else {
            self.flags & !FLAG_SAMPLED
        };
        Self { flags, ..self }
    }

    /// The trace id as 32 lowercase hex digits.
    pub fn trace_id_hex(&self) -> String {
        hex(&self.trace_id)
    }

    /// The parent id as 16 lowercase hex digits.
    pub fn parent_id_hex(&self) -> String {
        hex(&self.parent_id)
    }
}

/// `version-traceid-parentid-flags` in lowercase hex (fields of later versions that
/// were ignored when parsing are not written).
/// Always written in the version-00 format: a parsed future version keeps only the
/// fields this version knows, so writing its version number back would claim fields
/// that are gone (W3C: propagate with the version you support).
impl fmt::Display for TraceParent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "00-{}-{}-{:02x}",
            hex(&self.trace_id),
            hex(&self.parent_id),
            self.flags
        )
    }
}

impl FromStr for TraceParent {
    type Err = TraceParentError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let wrong_length = || TraceParentError::WrongLength {
            expected: TRACEPARENT_LEN,
            found: b.len(),
        };
        let [v0, v1, ..] = *b else {
            return Err(wrong_length());
        };
        let [version] = parse_hex::<1>(&[v0, v1], 0, "version").map_err(|e| match e {
            TraceParentError::InvalidHex { .. } => TraceParentError::InvalidVersion {
                found: String::from_utf8_lossy(&[v0, v1]).into_owned(),
            },
            other => other,
        })?;
        if version == 0xff {
            return Err(TraceParentError::InvalidVersion { found: "ff".into() });
        }
        if b.len() < TRACEPARENT_LEN || (version == 0 && b.len() != TRACEPARENT_LEN) {
            return Err(wrong_length());
        }
        // A later version may append fields, but only after a '-'.
        for offset in SEPARATORS
            .into_iter()
            .chain((b.len() > TRACEPARENT_LEN).then_some(55))
        {
            if b[offset] != b'-' {
                return Err(TraceParentError::MissingSeparator { offset });
            }
        }
        let trace_id = parse_hex::<16>(&b[3..35], 3, "trace-id")?;
        let parent_id = parse_hex::<8>(&b[36..52], 36, "parent-id")?;
        let [flags] = parse_hex::<1>(&b[53..55], 53, "trace-flags")?;
        if trace_id == [0; 16] {
            return Err(TraceParentError::AllZeroTraceId);
        }
        if parent_id == [0; 8] {
            return Err(TraceParentError::AllZeroParentId);
        }
        Ok(Self {
            version,
            trace_id,
            parent_id,
            flags,
        })
    }
}

/// Decodes `2 * N` lowercase hex digits starting at `offset` of the header.
fn parse_hex<const N: usize>(
    digits: &[u8],
    offset: usize,
    field: &'static str,
) -> Result<[u8; N], TraceParentError> {
    let nibble = |i: usize| -> Result<u8, TraceParentError> {
        match digits[i] {
            c @ b'0'..=b'9' => Ok(c - b'0'),
            c @ b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Err(TraceParentError::UppercaseHex { field }),
            _ => Err(TraceParentError::InvalidHex {
                field,
                offset: offset + i,
            }),
        }
    };
    let mut out = [0; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = (nibble(2 * i)? << 4) | nibble(2 * i + 1)?;
    }
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn random_nonzero<const N: usize>() -> [u8; N] {
    let mut id = [0; N];
    while id == [0; N] {
        getrandom::fill(&mut id).expect("the operating system's random number generator failed");
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn parse(s: &str) -> Result<TraceParent, TraceParentError> {
        s.parse()
    }

    #[test]
    fn parses_the_w3c_example() {
        let tp = parse(VALID).unwrap();
        assert_eq!(tp.version, 0);
        assert_eq!(
            tp.trace_id,
            [
                0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e,
                0x47, 0x36
            ]
        );
        assert_eq!(
            tp.parent_id,
            [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]
        );
        assert_eq!(tp.flags, 1);
        assert!(tp.sampled());
        assert_eq!(tp.to_string(), VALID);
        assert_eq!(tp.trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(tp.parent_id_hex(), "00f067aa0ba902b7");
    }

    #[test]
    fn flags_other_than_sampled_are_kept() {
        let tp = parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02").unwrap();
        assert!(!tp.sampled());
        assert_eq!(tp.flags, 2);
        assert_eq!(tp.with_sampled(true).flags, 3);
        assert_eq!(tp.with_sampled(true).with_sampled(false).flags, 2);
        assert!(tp.to_string().ends_with("-02"));
    }

    #[test]
    fn rejects_all_zero_ids() {
        assert_eq!(
            parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            Err(TraceParentError::AllZeroTraceId)
        );
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"),
            Err(TraceParentError::AllZeroParentId)
        );
    }

    #[test]
    fn rejects_uppercase_hex_naming_the_field() {
        assert_eq!(
            parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"),
            Err(TraceParentError::UppercaseHex { field: "trace-id" })
        );
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"),
            Err(TraceParentError::UppercaseHex { field: "parent-id" })
        );
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A"),
            Err(TraceParentError::UppercaseHex {
                field: "trace-flags"
            })
        );
        assert_eq!(
            parse("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Err(TraceParentError::UppercaseHex { field: "version" })
        );
    }

    #[test]
    fn rejects_wrong_lengths() {
        // Short (one trace-id digit missing), and long for version 00.
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"),
            Err(TraceParentError::WrongLength {
                expected: 55,
                found: 54
            })
        );
        assert_eq!(
            parse(&format!("{VALID}-")),
            Err(TraceParentError::WrongLength {
                expected: 55,
                found: 56
            })
        );
        assert_eq!(
            parse(&format!("{VALID}-what-the-future-holds")),
            Err(TraceParentError::WrongLength {
                expected: 55,
                found: 77
            })
        );
        assert!(matches!(
            parse(""),
            Err(TraceParentError::WrongLength { found: 0, .. })
        ));
        assert!(matches!(
            parse("00"),
            Err(TraceParentError::WrongLength { found: 2, .. })
        ));
        // Right length, fields shifted: a separator is missing.
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e47361-0f067aa0ba902b7-01"),
            Err(TraceParentError::MissingSeparator { offset: 35 })
        );
    }

    #[test]
    fn rejects_version_ff_and_non_hex_versions() {
        let err = parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").unwrap_err();
        assert_eq!(err, TraceParentError::InvalidVersion { found: "ff".into() });
        assert!(err.to_string().contains("forbidden"), "{err}");
        assert_eq!(
            parse("0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Err(TraceParentError::InvalidVersion { found: "0x".into() })
        );
    }

    #[test]
    fn accepts_future_versions_with_extra_fields() {
        let tp =
            parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds")
                .unwrap();
        assert_eq!(tp.version, 0xcc);
        assert_eq!(tp.trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(tp.flags, 1);
        // Forwarded in the version we speak, without the fields we dropped.
        assert_eq!(
            tp.to_string(),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        );
        // Exactly 55 characters is also fine for a future version.
        let tp = parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").unwrap();
        assert_eq!(tp.version, 0xcc);
        assert!(parse(&tp.to_string()).is_ok_and(|back| back.version == 0));
    }

    #[test]
    fn rejects_future_versions_with_garbage_after_flags() {
        assert_eq!(
            parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.what-the-future-holds"),
            Err(TraceParentError::MissingSeparator { offset: 55 })
        );
        // Three flag digits: the third is where the '-' must be.
        assert_eq!(
            parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011"),
            Err(TraceParentError::MissingSeparator { offset: 55 })
        );
        // Future versions must still be at least 55 characters.
        assert!(matches!(
            parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"),
            Err(TraceParentError::WrongLength { found: 54, .. })
        ));
    }

    #[test]
    fn rejects_non_hex_characters() {
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01"),
            Err(TraceParentError::InvalidHex {
                field: "trace-id",
                offset: 34
            })
        );
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01"),
            Err(TraceParentError::InvalidHex {
                field: "parent-id",
                offset: 51
            })
        );
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-.1"),
            Err(TraceParentError::InvalidHex {
                field: "trace-flags",
                offset: 53
            })
        );
        // Non-ASCII of the right byte length does not panic.
        let s = "00-4bf92f3577b34da6a3ce929d0e0e47é-00f067aa0ba902b7-01";
        assert_eq!(s.len(), 55);
        assert!(matches!(
            parse(s),
            Err(TraceParentError::InvalidHex {
                field: "trace-id",
                ..
            })
        ));
    }

    #[test]
    fn generated_values_parse_and_differ() {
        let a = TraceParent::generate();
        let b = TraceParent::generate();
        assert_ne!(a.trace_id, b.trace_id);
        assert_ne!(a.parent_id, b.parent_id);
        for tp in [a, b, a.child()] {
            let s = tp.to_string();
            assert_eq!(s.len(), 55);
            assert_eq!(parse(&s), Ok(tp));
            assert_eq!(tp.version, 0);
            assert!(tp.sampled());
        }
        let child = a.child();
        assert_eq!(child.trace_id, a.trace_id);
        assert_ne!(child.parent_id, a.parent_id);
    }

    #[test]
    fn child_of_a_future_version_is_version_00() {
        let tp = parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x").unwrap();
        assert_eq!(tp.child().version, 0);
    }
}

use std::fmt;

/// A value outside the range a well-known type can represent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeError {
    /// The well-known type, e.g. `google.protobuf.Timestamp`.
    pub type_name: &'static str,
    /// What is wrong, with the offending value.
    pub reason: String,
}

impl RangeError {
    pub(crate) fn new(type_name: &'static str, reason: impl Into<String>) -> Self {
        Self {
            type_name,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.type_name, self.reason)
    }
}

impl std::error::Error for RangeError {}

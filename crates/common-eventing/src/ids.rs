//! Identifiers for events and envelopes.

/// A new UUIDv7 as a lowercase hyphenated string. Version 7 ids start with the Unix
/// time in milliseconds, so ids created later sort later (within one process, ids
/// created in the same millisecond also sort in creation order).
///
/// ```
/// let a = common_eventing::ids::uuid_v7();
/// let b = common_eventing::ids::uuid_v7();
/// assert_eq!(a.len(), 36);
/// assert_eq!(&a[14..15], "7"); // the version nibble
/// assert!(a < b);
/// ```
pub fn uuid_v7() -> String {
    uuid::Uuid::now_v7().hyphenated().to_string()
}

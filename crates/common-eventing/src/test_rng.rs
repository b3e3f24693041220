//! The unit tests' random numbers: xorshift64, seeded, so a failure replays.

/// A xorshift64 generator from `seed` (not zero).
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

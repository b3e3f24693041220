
/// `chrono` views of the points in time of `golden.v1.Happened`.
impl Happened {
    /// `created_at` read as **seconds** since the Unix epoch; `None` when it is `0` (unset) or out of range.
    ///
    /// Upstream does not say whether `golden.v1.Happened.created_at` counts seconds or milliseconds: if your peer writes milliseconds, use [`created_at_as_millis`](Self::created_at_as_millis).
    pub fn created_at_as_secs(&self) -> ::core::option::Option<::chrono::DateTime<::chrono::Utc>> {
        crate::time_fields::from_secs(self.created_at)
    }
    /// `created_at` read as **milliseconds** since the Unix epoch; `None` when it is `0` (unset) or out of range.
    ///
    /// Upstream does not say whether `golden.v1.Happened.created_at` counts seconds or milliseconds: if your peer writes seconds, use [`created_at_as_secs`](Self::created_at_as_secs).
    pub fn created_at_as_millis(&self) -> ::core::option::Option<::chrono::DateTime<::chrono::Utc>> {
        crate::time_fields::from_millis(self.created_at)
    }
}

/// `chrono` views of the points in time of `golden.v1.Happened.Part`.
impl happened::Part {
    /// `last_seen` read as **seconds** since the Unix epoch; `None` when it is `0` (unset) or out of range.
    ///
    /// Upstream does not say whether `golden.v1.Happened.Part.last_seen` counts seconds or milliseconds: if your peer writes milliseconds, use [`last_seen_as_millis`](Self::last_seen_as_millis).
    pub fn last_seen_as_secs(&self) -> ::core::option::Option<::chrono::DateTime<::chrono::Utc>> {
        crate::time_fields::from_secs(self.last_seen)
    }
    /// `last_seen` read as **milliseconds** since the Unix epoch; `None` when it is `0` (unset) or out of range.
    ///
    /// Upstream does not say whether `golden.v1.Happened.Part.last_seen` counts seconds or milliseconds: if your peer writes seconds, use [`last_seen_as_secs`](Self::last_seen_as_secs).
    pub fn last_seen_as_millis(&self) -> ::core::option::Option<::chrono::DateTime<::chrono::Utc>> {
        crate::time_fields::from_millis(self.last_seen)
    }
}

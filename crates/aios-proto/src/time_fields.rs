//! [`chrono`] views of the `int64` points in time (`created_at`, `timestamp`,
//! `last_used`, ...).
//!
//! On the wire these are plain integers, and **upstream does not say their unit**
//! (seconds or milliseconds) — see the "Time fields" table of `proto/aios/README.md`.
//! So every such field gets two getters and none is the "right" one:
//!
//! - `<field>_as_secs()` reads it as seconds since the Unix epoch (1970-01-01 UTC);
//! - `<field>_as_millis()` reads it as milliseconds since the Unix epoch.
//!
//! Use the one that matches the peer you talk to. Both return `None` when the field
//! is `0` — proto3's default, meaning "not set" (a task that has not completed has
//! `completed_at == 0`, not a completion on 1970-01-01) — or outside chrono's range.
//!
//! To write a field, use chrono's own conversions: `dt.timestamp()` for seconds,
//! `dt.timestamp_millis()` for milliseconds.
//!
//! ```
//! use aios_proto::common::Task;
//! use chrono::{DateTime, Utc};
//!
//! let started: DateTime<Utc> = "2023-11-14T22:13:20.250Z".parse().unwrap();
//! let task = Task {
//!     started_at: started.timestamp_millis(),
//!     ..Default::default()
//! };
//! assert_eq!(task.started_at_as_millis(), Some(started));
//! assert_eq!(task.completed_at_as_millis(), None); // 0: not completed
//! ```
//!
//! Fields whose unit *is* in their name (`duration_ms`, `latency_ms`,
//! `uptime_seconds`, `duration_hours`) are durations, not points in time, and get no
//! accessor here; `runtime.ModelStatus.request_count` is a count.

use chrono::{DateTime, Utc};

/// Reads seconds since the Unix epoch; `None` for `0` (unset) or out of range.
///
/// ```
/// let t = aios_proto::time_fields::from_secs(1_700_000_000).unwrap();
/// assert_eq!(t.to_rfc3339(), "2023-11-14T22:13:20+00:00");
/// assert_eq!(aios_proto::time_fields::from_secs(0), None);
/// ```
pub fn from_secs(secs: i64) -> Option<DateTime<Utc>> {
    if secs == 0 {
        None
    } else {
        DateTime::from_timestamp(secs, 0)
    }
}

/// Reads milliseconds since the Unix epoch; `None` for `0` (unset) or out of range.
///
/// ```
/// let t = aios_proto::time_fields::from_millis(1_700_000_000_250).unwrap();
/// assert_eq!(t.to_rfc3339(), "2023-11-14T22:13:20.250+00:00");
/// ```
pub fn from_millis(millis: i64) -> Option<DateTime<Utc>> {
    if millis == 0 {
        None
    } else {
        DateTime::from_timestamp_millis(millis)
    }
}

/// One generated getter pair, as the tests see it.
#[cfg(test)]
struct Entry {
    /// `prost::Name::full_name` of the message the methods are on.
    message: fn() -> String,
    field: &'static str,
    secs: &'static str,
    millis: &'static str,
}

/// For each message: two getters per field. A listed field that does not exist or
/// is not an `i64` does not compile; the unit tests check the list against the
/// descriptors (every `int64` field is either listed or a known duration or count)
/// and the method names against the field names.
macro_rules! epoch_fields {
    ($(
        $package:literal $module:ident :: $message:ident {
            $($field:ident => $secs:ident, $millis:ident;)+
        }
    )+) => {
        $(
            impl crate::$module::$message {
                $(
                    #[doc = concat!(
                        "`", stringify!($field), "` read as **seconds** since the Unix epoch; ",
                        "`None` when it is `0` (unset) or out of range.\n\n",
                        "Upstream does not say whether `", $package, ".", stringify!($message), ".",
                        stringify!($field), "` counts seconds or milliseconds: if your peer ",
                        "writes milliseconds, use [`", stringify!($millis), "`](Self::",
                        stringify!($millis), ")."
                    )]
                    pub fn $secs(&self) -> Option<DateTime<Utc>> {
                        from_secs(self.$field)
                    }

                    #[doc = concat!(
                        "`", stringify!($field), "` read as **milliseconds** since the Unix ",
                        "epoch; `None` when it is `0` (unset) or out of range.\n\n",
                        "Upstream does not say whether `", $package, ".", stringify!($message), ".",
                        stringify!($field), "` counts seconds or milliseconds: if your peer ",
                        "writes seconds, use [`", stringify!($secs), "`](Self::",
                        stringify!($secs), ")."
                    )]
                    pub fn $millis(&self) -> Option<DateTime<Utc>> {
                        from_millis(self.$field)
                    }
                )+
            }
        )+

        #[cfg(test)]
        const ENTRIES: &[Entry] = &[$($(
            Entry {
                message: <crate::$module::$message as prost::Name>::full_name,
                field: stringify!($field),
                secs: stringify!($secs),
                millis: stringify!($millis),
            },
        )+)+];

        #[cfg(test)]
        const PACKAGES: &[(fn() -> String, &str)] = &[$(
            (<crate::$module::$message as prost::Name>::full_name,
             concat!($package, ".", stringify!($message))),
        )+];
    };
}

epoch_fields! {
    "aios.common" common::Goal {
        created_at => created_at_as_secs, created_at_as_millis;
        updated_at => updated_at_as_secs, updated_at_as_millis;
    }
    "aios.common" common::Task {
        created_at => created_at_as_secs, created_at_as_millis;
        started_at => started_at_as_secs, started_at_as_millis;
        completed_at => completed_at_as_secs, completed_at_as_millis;
    }
    "aios.common" common::AgentRegistration {
        registered_at => registered_at_as_secs, registered_at_as_millis;
    }
    "aios.common" common::ServiceRegistration {
        registered_at => registered_at_as_secs, registered_at_as_millis;
    }
    "aios.orchestrator" orchestrator::ScheduleEntry {
        last_run => last_run_as_secs, last_run_as_millis;
    }
    "aios.runtime" runtime::ModelStatus {
        loaded_at => loaded_at_as_secs, loaded_at_as_millis;
        last_used => last_used_as_secs, last_used_as_millis;
    }
    "aios.api_gateway" api_gateway::UsageRecord {
        timestamp => timestamp_as_secs, timestamp_as_millis;
    }
    "aios.memory" memory::Event {
        timestamp => timestamp_as_secs, timestamp_as_millis;
    }
    "aios.memory" memory::MetricUpdate {
        timestamp => timestamp_as_secs, timestamp_as_millis;
    }
    "aios.memory" memory::MetricValue {
        timestamp => timestamp_as_secs, timestamp_as_millis;
    }
    "aios.memory" memory::GoalRecord {
        created_at => created_at_as_secs, created_at_as_millis;
        completed_at => completed_at_as_secs, completed_at_as_millis;
    }
    "aios.memory" memory::TaskRecord {
        started_at => started_at_as_secs, started_at_as_millis;
        completed_at => completed_at_as_secs, completed_at_as_millis;
    }
    "aios.memory" memory::ToolCallRecord {
        timestamp => timestamp_as_secs, timestamp_as_millis;
    }
    "aios.memory" memory::Decision {
        timestamp => timestamp_as_secs, timestamp_as_millis;
    }
    "aios.memory" memory::Pattern {
        last_used => last_used_as_secs, last_used_as_millis;
    }
    "aios.memory" memory::AgentState {
        updated_at => updated_at_as_secs, updated_at_as_millis;
    }
    "aios.memory" memory::Procedure {
        created_at => created_at_as_secs, created_at_as_millis;
        last_used => last_used_as_secs, last_used_as_millis;
    }
    "aios.memory" memory::Incident {
        timestamp => timestamp_as_secs, timestamp_as_millis;
    }
    "aios.memory" memory::ConfigChange {
        timestamp => timestamp_as_secs, timestamp_as_millis;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::Task;
    use crate::memory::Event;
    use prost_types::field_descriptor_proto::Type;
    use std::collections::BTreeSet;

    /// `int64` fields that are not points in time: durations with the unit in their
    /// name, and a count. Every other `int64` field must have getters.
    const NOT_POINTS_IN_TIME: &[&str] = &[
        "aios.agent.AgentStatusResponse.uptime_seconds",
        "aios.common.HealthStatus.uptime_seconds",
        "aios.common.InferenceResponse.latency_ms",
        "aios.common.TaskResult.duration_ms",
        "aios.memory.Procedure.avg_duration_ms",
        "aios.memory.TaskRecord.duration_ms",
        "aios.memory.ToolCallRecord.duration_ms",
        "aios.orchestrator.CapabilityRequest.duration_hours",
        "aios.orchestrator.SystemStatusResponse.uptime_seconds",
        "aios.runtime.InferResponse.latency_ms",
        "aios.runtime.ModelStatus.request_count",
        "aios.tools.ExecuteResponse.duration_ms",
    ];

    fn int64_fields_in_descriptors() -> BTreeSet<String> {
        crate::descriptor_fields::fields_where(|f| {
            matches!(f.r#type(), Type::Int64 | Type::Sint64 | Type::Sfixed64)
        })
    }

    #[test]
    fn every_int64_field_is_a_listed_point_in_time_or_a_known_duration() {
        let all = int64_fields_in_descriptors();
        assert_eq!(all.len(), 38, "{all:#?}");
        let listed: BTreeSet<String> = ENTRIES
            .iter()
            .map(|e| format!("{}.{}", (e.message)(), e.field))
            .collect();
        assert_eq!(listed.len(), ENTRIES.len(), "a field is listed twice");
        assert_eq!(listed.len(), 26);
        let other: BTreeSet<String> = NOT_POINTS_IN_TIME.iter().map(|s| s.to_string()).collect();
        assert!(listed.is_disjoint(&other));
        let covered: BTreeSet<String> = listed.union(&other).cloned().collect();
        let unclassified: Vec<_> = all.difference(&covered).collect();
        let unknown: Vec<_> = covered.difference(&all).collect();
        assert!(
            unclassified.is_empty() && unknown.is_empty(),
            "int64 fields without time getters (add them, or to NOT_POINTS_IN_TIME if not \
             a point in time): {unclassified:?}; listed but not int64 fields: {unknown:?}"
        );
    }

    #[test]
    fn getter_names_match_the_fields() {
        for e in ENTRIES {
            assert_eq!(e.secs, format!("{}_as_secs", e.field));
            assert_eq!(e.millis, format!("{}_as_millis", e.field));
        }
        // The package written in the list (used in the docs) is the real one.
        for (full_name, written) in PACKAGES {
            assert_eq!(full_name(), *written);
        }
    }

    #[test]
    fn secs_and_millis_read_the_same_field_differently() {
        let event = Event {
            timestamp: 1_700_000_000,
            ..Default::default()
        };
        assert_eq!(
            event.timestamp_as_secs().unwrap().to_rfc3339(),
            "2023-11-14T22:13:20+00:00"
        );
        assert_eq!(
            event.timestamp_as_millis().unwrap().to_rfc3339(),
            "1970-01-20T16:13:20+00:00"
        );
        let event = Event {
            timestamp: -1_500,
            ..Default::default()
        };
        assert_eq!(
            event.timestamp_as_millis().unwrap().to_rfc3339(),
            "1969-12-31T23:59:58.500+00:00"
        );
    }

    #[test]
    fn each_getter_reads_its_own_field() {
        let task = Task {
            created_at: 1,
            started_at: 2,
            completed_at: 3,
            ..Default::default()
        };
        let secs = |t: Option<DateTime<Utc>>| t.unwrap().timestamp();
        assert_eq!(secs(task.created_at_as_secs()), 1);
        assert_eq!(secs(task.started_at_as_secs()), 2);
        assert_eq!(secs(task.completed_at_as_secs()), 3);
    }

    #[test]
    fn zero_and_out_of_range_are_none() {
        let task = Task::default();
        assert_eq!(task.completed_at_as_secs(), None);
        assert_eq!(task.completed_at_as_millis(), None);
        assert_eq!(from_secs(i64::MAX), None);
        assert_eq!(from_secs(i64::MIN), None);
        // Milliseconds overflow chrono's range too (about ±262,000 years).
        assert_eq!(from_millis(i64::MAX), None);
        assert!(from_millis(8_000_000_000_000_000).is_some());
    }

    #[test]
    fn chrono_round_trip() {
        let t: DateTime<Utc> = "2024-02-29T12:00:00.123Z".parse().unwrap();
        assert_eq!(from_millis(t.timestamp_millis()), Some(t));
        // Seconds drop the sub-second part.
        assert_eq!(
            from_secs(t.timestamp()).unwrap().to_rfc3339(),
            "2024-02-29T12:00:00+00:00"
        );
    }
}

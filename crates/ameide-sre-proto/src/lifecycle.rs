//! The incident and postmortem state machines.
//!
//! Exactly the machines of the SRE contract, one step forward at a time, nothing
//! skipped and nothing undone (a new incident or postmortem is the way back):
//!
//! - Incident: `OPEN → ACKNOWLEDGED → INVESTIGATING → MITIGATING → RESOLVED → CLOSED`.
//! - Postmortem: `DRAFT → IN_REVIEW → PUBLISHED`.
//!
//! `UNSPECIFIED` (a new aggregate) may only move to the first state; the last state
//! is final.

use crate::core::v1::{IncidentStatus, PostmortemStatus};
use std::fmt;

/// A refused state change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionError {
    /// The aggregate, `Incident` or `Postmortem`.
    pub aggregate: &'static str,
    /// The current state's proto name.
    pub from: &'static str,
    /// The requested state's proto name.
    pub to: &'static str,
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cannot go from {} to {}",
            self.aggregate, self.from, self.to
        )
    }
}

impl std::error::Error for TransitionError {}

/// A linear state machine: each state's successor, in the contract's order.
macro_rules! linear_machine {
    ($status:ident, $aggregate:literal, [$($state:ident),+ $(,)?]) => {
        impl $status {
            /// The contract's states in order, `UNSPECIFIED` (a new aggregate) first.
            const PATH: &'static [$status] = &[$($status::$state),+];

            /// The states the aggregate may move to from `self`: the next one on the
            /// path, none from the last.
            pub fn next_states(self) -> &'static [$status] {
                let at = Self::PATH.iter().position(|s| *s == self).unwrap_or(Self::PATH.len());
                Self::PATH.get(at + 1..at + 2).unwrap_or(&[])
            }

            /// Whether moving from `self` to `next` is allowed.
            pub fn can_transition_to(self, next: $status) -> bool {
                self.next_states().contains(&next)
            }

            /// `Ok` when the move is allowed, else an error naming both states.
            pub fn transition_to(self, next: $status) -> Result<$status, TransitionError> {
                if self.can_transition_to(next) {
                    Ok(next)
                } else {
                    Err(TransitionError {
                        aggregate: $aggregate,
                        from: self.as_str_name(),
                        to: next.as_str_name(),
                    })
                }
            }
        }
    };
}

linear_machine!(
    IncidentStatus,
    "Incident",
    [
        Unspecified,
        Open,
        Acknowledged,
        Investigating,
        Mitigating,
        Resolved,
        Closed
    ]
);
linear_machine!(
    PostmortemStatus,
    "Postmortem",
    [Unspecified, Draft, InReview, Published]
);

#[cfg(test)]
mod tests {
    use super::*;
    use IncidentStatus as I;
    use PostmortemStatus as P;

    #[test]
    fn incident_moves_one_step_forward_only() {
        let path = [
            I::Unspecified,
            I::Open,
            I::Acknowledged,
            I::Investigating,
            I::Mitigating,
            I::Resolved,
            I::Closed,
        ];
        // Exactly the consecutive pairs of the sheet's path are allowed.
        for (i, from) in path.iter().enumerate() {
            for (j, to) in path.iter().enumerate() {
                assert_eq!(
                    from.can_transition_to(*to),
                    j == i + 1,
                    "{from:?} -> {to:?}"
                );
            }
        }
        let err = I::Open.transition_to(I::Closed).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Incident cannot go from INCIDENT_STATUS_OPEN to INCIDENT_STATUS_CLOSED"
        );
        assert_eq!(I::Mitigating.transition_to(I::Resolved), Ok(I::Resolved));
    }

    #[test]
    fn postmortem_moves_one_step_forward_only() {
        let path = [P::Unspecified, P::Draft, P::InReview, P::Published];
        for (i, from) in path.iter().enumerate() {
            for (j, to) in path.iter().enumerate() {
                assert_eq!(
                    from.can_transition_to(*to),
                    j == i + 1,
                    "{from:?} -> {to:?}"
                );
            }
        }
        let err = P::Published.transition_to(P::InReview).unwrap_err();
        assert_eq!(err.aggregate, "Postmortem");
        assert_eq!(err.from, "POSTMORTEM_STATUS_PUBLISHED");
    }
}

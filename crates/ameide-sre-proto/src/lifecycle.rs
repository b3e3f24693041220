//! The incident and postmortem state machines.
//!
//! Incident: `OPEN → ACKNOWLEDGED → INVESTIGATING → MITIGATING → RESOLVED → CLOSED`,
//! one step forward at a time; an open incident may also be resolved from any active
//! state (the problem went away), and a resolved incident may be reopened to
//! `INVESTIGATING` (it came back). `CLOSED` is final.
//!
//! Postmortem: `DRAFT → IN_REVIEW → PUBLISHED`; a review may send it back to
//! `DRAFT`. `PUBLISHED` is final.

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

impl IncidentStatus {
    /// The states an incident may move to from `self`.
    pub fn next_states(self) -> &'static [IncidentStatus] {
        use IncidentStatus::*;
        match self {
            Unspecified => &[Open],
            Open => &[Acknowledged, Resolved],
            Acknowledged => &[Investigating, Resolved],
            Investigating => &[Mitigating, Resolved],
            Mitigating => &[Resolved],
            Resolved => &[Closed, Investigating],
            Closed => &[],
        }
    }

    /// Whether moving from `self` to `next` is allowed.
    pub fn can_transition_to(self, next: IncidentStatus) -> bool {
        self.next_states().contains(&next)
    }

    /// `Ok` when the move is allowed, else an error naming both states.
    pub fn transition_to(self, next: IncidentStatus) -> Result<IncidentStatus, TransitionError> {
        if self.can_transition_to(next) {
            Ok(next)
        } else {
            Err(TransitionError {
                aggregate: "Incident",
                from: self.as_str_name(),
                to: next.as_str_name(),
            })
        }
    }
}

impl PostmortemStatus {
    /// The states a postmortem may move to from `self`.
    pub fn next_states(self) -> &'static [PostmortemStatus] {
        use PostmortemStatus::*;
        match self {
            Unspecified => &[Draft],
            Draft => &[InReview],
            InReview => &[Published, Draft],
            Published => &[],
        }
    }

    /// Whether moving from `self` to `next` is allowed.
    pub fn can_transition_to(self, next: PostmortemStatus) -> bool {
        self.next_states().contains(&next)
    }

    /// `Ok` when the move is allowed, else an error naming both states.
    pub fn transition_to(
        self,
        next: PostmortemStatus,
    ) -> Result<PostmortemStatus, TransitionError> {
        if self.can_transition_to(next) {
            Ok(next)
        } else {
            Err(TransitionError {
                aggregate: "Postmortem",
                from: self.as_str_name(),
                to: next.as_str_name(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IncidentStatus as I;
    use PostmortemStatus as P;

    #[test]
    fn incident_happy_path_and_refusals() {
        let path = [
            I::Open,
            I::Acknowledged,
            I::Investigating,
            I::Mitigating,
            I::Resolved,
            I::Closed,
        ];
        for pair in path.windows(2) {
            assert!(pair[0].can_transition_to(pair[1]), "{pair:?}");
            assert!(!pair[1].can_transition_to(pair[0]), "{pair:?} backwards");
        }
        assert!(I::Open.can_transition_to(I::Resolved));
        assert!(
            !I::Open.can_transition_to(I::Mitigating),
            "no skipping steps"
        );
        assert!(
            !I::Open.can_transition_to(I::Closed),
            "close only after resolve"
        );
        assert!(I::Resolved.can_transition_to(I::Investigating), "reopen");
        assert!(I::Closed.next_states().is_empty());
        let err = I::Closed.transition_to(I::Open).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Incident cannot go from INCIDENT_STATUS_CLOSED to INCIDENT_STATUS_OPEN"
        );
        // Exhaustively: exactly the 10 documented moves.
        let all = [
            I::Unspecified,
            I::Open,
            I::Acknowledged,
            I::Investigating,
            I::Mitigating,
            I::Resolved,
            I::Closed,
        ];
        let allowed = all
            .iter()
            .flat_map(|a| all.iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.can_transition_to(**b))
            .count();
        assert_eq!(allowed, 10);
    }

    #[test]
    fn postmortem_flow() {
        assert!(P::Draft.can_transition_to(P::InReview));
        assert!(P::InReview.can_transition_to(P::Published));
        assert!(P::InReview.can_transition_to(P::Draft));
        assert!(!P::Draft.can_transition_to(P::Published), "review first");
        assert!(!P::Published.can_transition_to(P::Draft));
        assert_eq!(
            P::Published
                .transition_to(P::InReview)
                .unwrap_err()
                .aggregate,
            "Postmortem"
        );
    }
}


/// Calls `visitor.visit::<M>()` once for every message type of this package
/// (nested ones included): register them all for `Any` JSON, build per-type
/// tables, and so on, without listing types by hand.
pub fn visit_messages<V: ::common_eventing::MessageVisitor>(visitor: &mut V) {
    visitor.visit::<Meta>();
    visitor.visit::<Subject>();
    visitor.visit::<Happened>();
    visitor.visit::<happened::Part>();
    visitor.visit::<Counted>();
    visitor.visit::<Envelope>();
    visitor.visit::<TracedMeta>();
    visitor.visit::<Traced>();
    visitor.visit::<Checked>();
}

/// Calls `visitor.visit::<M>()` once for every event type of this package (the
/// messages with the eventing option). Needs the `validate` feature too.
#[cfg(feature = "validate")]
pub fn visit_events<V: ::common_eventing::EventVisitor>(visitor: &mut V) {
    visitor.visit::<Counted>();
    visitor.visit::<Happened>();
    visitor.visit::<Traced>();
}


/// Schema registration and Confluent framing of `golden.v1.Meta`.
impl ::common_eventing::registry::ProtoSchema for Meta {
    const FULL_NAME: &'static str = "golden.v1.Meta";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[0];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::None;
}

/// Schema registration and Confluent framing of `golden.v1.Subject`.
impl ::common_eventing::registry::ProtoSchema for Subject {
    const FULL_NAME: &'static str = "golden.v1.Subject";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[1];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::None;
}

/// Schema registration and Confluent framing of `golden.v1.Happened`.
impl ::common_eventing::registry::ProtoSchema for Happened {
    const FULL_NAME: &'static str = "golden.v1.Happened";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[2];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::Some("golden.facts.v1-value");
}

/// Schema registration and Confluent framing of `golden.v1.Happened.Part`.
impl ::common_eventing::registry::ProtoSchema for happened::Part {
    const FULL_NAME: &'static str = "golden.v1.Happened.Part";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[2, 0];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::None;
}

/// Schema registration and Confluent framing of `golden.v1.Counted`.
impl ::common_eventing::registry::ProtoSchema for Counted {
    const FULL_NAME: &'static str = "golden.v1.Counted";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[3];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::Some("golden.facts.v1-value");
}

/// Schema registration and Confluent framing of `golden.v1.Envelope`.
impl ::common_eventing::registry::ProtoSchema for Envelope {
    const FULL_NAME: &'static str = "golden.v1.Envelope";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[4];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::None;
}

/// Schema registration and Confluent framing of `golden.v1.TracedMeta`.
impl ::common_eventing::registry::ProtoSchema for TracedMeta {
    const FULL_NAME: &'static str = "golden.v1.TracedMeta";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[5];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::None;
}

/// Schema registration and Confluent framing of `golden.v1.Traced`.
impl ::common_eventing::registry::ProtoSchema for Traced {
    const FULL_NAME: &'static str = "golden.v1.Traced";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[6];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::Some("golden.traced.v1-value");
}

/// Schema registration and Confluent framing of `golden.v1.Checked`.
impl ::common_eventing::registry::ProtoSchema for Checked {
    const FULL_NAME: &'static str = "golden.v1.Checked";
    const FILE: &'static ::common_eventing::registry::ProtoFile = &crate::proto_files::GOLDEN_V1_GOLDEN;
    const MESSAGE_INDEXES: &'static [i32] = &[7];
    const DECLARED_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::None;
}


/// Field table of `golden.v1.Meta` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for Meta {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.Meta",
            known: &[1],
            nested: &[],
            lookup: &[0, 1],
        };
        &SCHEMA
    }
}

/// Field table of `golden.v1.Subject` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for Subject {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.Subject",
            known: &[1],
            nested: &[],
            lookup: &[0, 1],
        };
        &SCHEMA
    }
}

/// Field table of `golden.v1.Happened` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for Happened {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.Happened",
            known: &[1, 2, 3, 4, 5, 6, 7, 8],
            nested: &[
            ::common_eventing::lossless::NestedField { number: 3, name: "timestamp", nesting: ::common_eventing::lossless::Nesting::Singular, schema: <::common_eventing::wkt::Timestamp as ::common_eventing::lossless::Known>::schema },
            ::common_eventing::lossless::NestedField { number: 7, name: "labels", nesting: ::common_eventing::lossless::Nesting::Map, schema: <Subject as ::common_eventing::lossless::Known>::schema },
            ::common_eventing::lossless::NestedField { number: 8, name: "parts", nesting: ::common_eventing::lossless::Nesting::Repeated, schema: <happened::Part as ::common_eventing::lossless::Known>::schema },
        ],
            lookup: &[0, 1, 1, 2, 1, 1, 1, 3, 4],
        };
        &SCHEMA
    }
}

/// Field table of `golden.v1.Happened.Part` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for happened::Part {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.Happened.Part",
            known: &[1, 2],
            nested: &[],
            lookup: &[0, 1, 1],
        };
        &SCHEMA
    }
}

/// Field table of `golden.v1.Counted` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for Counted {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.Counted",
            known: &[1, 2, 3, 4],
            nested: &[],
            lookup: &[0, 1, 1, 1, 1],
        };
        &SCHEMA
    }
}

/// Field table of `golden.v1.Envelope` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for Envelope {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.Envelope",
            known: &[1, 2, 3, 4],
            nested: &[
            ::common_eventing::lossless::NestedField { number: 1, name: "meta", nesting: ::common_eventing::lossless::Nesting::Singular, schema: <Meta as ::common_eventing::lossless::Known>::schema },
            ::common_eventing::lossless::NestedField { number: 2, name: "subject", nesting: ::common_eventing::lossless::Nesting::Singular, schema: <Subject as ::common_eventing::lossless::Known>::schema },
            ::common_eventing::lossless::NestedField { number: 3, name: "happened", nesting: ::common_eventing::lossless::Nesting::Singular, schema: <Happened as ::common_eventing::lossless::Known>::schema },
            ::common_eventing::lossless::NestedField { number: 4, name: "counted", nesting: ::common_eventing::lossless::Nesting::Singular, schema: <Counted as ::common_eventing::lossless::Known>::schema },
        ],
            lookup: &[0, 2, 3, 4, 5],
        };
        &SCHEMA
    }
}

/// Field table of `golden.v1.TracedMeta` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for TracedMeta {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.TracedMeta",
            known: &[1, 2, 3, 4],
            nested: &[
            ::common_eventing::lossless::NestedField { number: 2, name: "occurred_at", nesting: ::common_eventing::lossless::Nesting::Singular, schema: <::common_eventing::wkt::Timestamp as ::common_eventing::lossless::Known>::schema },
        ],
            lookup: &[0, 1, 2, 1, 1],
        };
        &SCHEMA
    }
}

/// Field table of `golden.v1.Traced` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for Traced {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.Traced",
            known: &[1, 2],
            nested: &[
            ::common_eventing::lossless::NestedField { number: 1, name: "meta", nesting: ::common_eventing::lossless::Nesting::Singular, schema: <TracedMeta as ::common_eventing::lossless::Known>::schema },
        ],
            lookup: &[0, 2, 1],
        };
        &SCHEMA
    }
}

/// Field table of `golden.v1.Checked` for `common_eventing::Lossless`.
impl ::common_eventing::lossless::Known for Checked {
    fn schema() -> &'static ::common_eventing::lossless::Schema {
        static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {
            full_name: "golden.v1.Checked",
            known: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
            nested: &[
            ::common_eventing::lossless::NestedField { number: 7, name: "meta", nesting: ::common_eventing::lossless::Nesting::Singular, schema: <Meta as ::common_eventing::lossless::Known>::schema },
            ::common_eventing::lossless::NestedField { number: 8, name: "children", nesting: ::common_eventing::lossless::Nesting::Repeated, schema: <Checked as ::common_eventing::lossless::Known>::schema },
        ],
            lookup: &[0, 1, 1, 1, 1, 1, 1, 2, 3, 1, 1, 1],
        };
        &SCHEMA
    }
}


/// `golden.v1.Meta` has no `buf.validate` rules, nor has any message below it.
impl ::common_eventing::validate::Validate for Meta {}

/// `golden.v1.Subject` has no `buf.validate` rules, nor has any message below it.
impl ::common_eventing::validate::Validate for Subject {}

/// `golden.v1.Happened` has no `buf.validate` rules, nor has any message below it.
impl ::common_eventing::validate::Validate for Happened {}

/// `golden.v1.Happened.Part` has no `buf.validate` rules, nor has any message below it.
impl ::common_eventing::validate::Validate for happened::Part {}

/// `golden.v1.Counted` has no `buf.validate` rules, nor has any message below it.
impl ::common_eventing::validate::Validate for Counted {}

/// `golden.v1.Envelope` has no `buf.validate` rules, nor has any message below it.
impl ::common_eventing::validate::Validate for Envelope {}

/// `golden.v1.TracedMeta` has no `buf.validate` rules, nor has any message below it.
impl ::common_eventing::validate::Validate for TracedMeta {}

/// `golden.v1.Traced` has no `buf.validate` rules, nor has any message below it.
impl ::common_eventing::validate::Validate for Traced {}

/// The `buf.validate` rules of `golden.v1.Checked`.
impl ::common_eventing::validate::Validate for Checked {
    #[allow(clippy::all, unused_variables)]
    fn validate_into(&self, cx: &mut ::common_eventing::validate::rt::Cx) {
        use ::common_eventing::validate::rt;
        match &self.choice {
            ::core::option::Option::Some(checked::Choice::Left(v)) => {
            const F: rt::Field = rt::Field { number: 10, name: "left", ty: 9, key: 0, value: 0 };
            if rt::fewer_chars_than(v, 1) { cx.violation(&F, &rt::Rule { id: "string.min_len", message: "must be at least 1 characters", path: &[::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 2, field_name: "min_len", field_type: 4 }] }); }
            }
            ::core::option::Option::Some(checked::Choice::Right(v)) => {
            const F: rt::Field = rt::Field { number: 11, name: "right", ty: 13, key: 0, value: 0 };
            if *v > 9u32 { cx.violation(&F, &rt::Rule { id: "uint32.lte", message: "must be less than or equal to 9", path: &[::common_eventing::validate::RulePathElement { field_number: 5, field_name: "uint32", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 3, field_name: "lte", field_type: 13 }] }); }
            }
            ::core::option::Option::None => { cx.oneof_violation("choice"); }
        }
        {
            const F: rt::Field = rt::Field { number: 1, name: "code", ty: 9, key: 0, value: 0 };
            let v = &self.code;
            if v.is_empty() { cx.violation(&F, &rt::REQUIRED); } else {
            if rt::fewer_chars_than(v, 2) { cx.violation(&F, &rt::Rule { id: "string.min_len", message: "must be at least 2 characters", path: &[::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 2, field_name: "min_len", field_type: 4 }] }); }
            if rt::more_chars_than(v, 8) { cx.violation(&F, &rt::Rule { id: "string.max_len", message: "must be at most 8 characters", path: &[::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 3, field_name: "max_len", field_type: 4 }] }); }
            if v.len() > 16 { cx.violation(&F, &rt::Rule { id: "string.max_bytes", message: "must be at most 16 bytes", path: &[::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 5, field_name: "max_bytes", field_type: 4 }] }); }
            { static P: rt::Pattern = rt::Pattern::new("^[a-z][0-9]+$"); if !P.is_match(v) { cx.violation(&F, &rt::Rule { id: "string.pattern", message: "does not match regex pattern `^[a-z]\\d+$`", path: &[::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 6, field_name: "pattern", field_type: 9 }] }); } }
            if v.contains("00") { cx.violation(&F, &rt::Rule { id: "string.not_contains", message: "contains substring `00`", path: &[::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 23, field_name: "not_contains", field_type: 9 }] }); }
            }
        }
        {
            const F: rt::Field = rt::Field { number: 2, name: "page_size", ty: 5, key: 0, value: 0 };
            let v = &self.page_size;
            if !(0i32..=100i32).contains(v) { cx.violation(&F, &rt::Rule { id: "int32.gte_lte", message: "must be greater than or equal to 0 and less than or equal to 100", path: &[::common_eventing::validate::RulePathElement { field_number: 3, field_name: "int32", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 5, field_name: "gte", field_type: 5 }] }); }
        }
        {
            const F: rt::Field = rt::Field { number: 3, name: "item_count", ty: 3, key: 0, value: 0 };
            let v = &self.item_count;
            if *v < 1i64 { cx.violation(&F, &rt::Rule { id: "int64.gte", message: "must be greater than or equal to 1", path: &[::common_eventing::validate::RulePathElement { field_number: 4, field_name: "int64", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 5, field_name: "gte", field_type: 3 }] }); }
        }
        {
            const F: rt::Field = rt::Field { number: 4, name: "level", ty: 14, key: 0, value: 0 };
            let v = &self.level;
            if !::core::matches!(*v, 0 | 1 | 2) { cx.violation(&F, &rt::Rule { id: "enum.defined_only", message: "value must be one of the defined enum values", path: &[::common_eventing::validate::RulePathElement { field_number: 16, field_name: "enum", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 2, field_name: "defined_only", field_type: 8 }] }); }
            if ::core::matches!(*v, 0) { cx.violation(&F, &rt::Rule { id: "enum.not_in", message: "must not be in list [0]", path: &[::common_eventing::validate::RulePathElement { field_number: 16, field_name: "enum", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 4, field_name: "not_in", field_type: 5 }] }); }
        }
        {
            const F: rt::Field = rt::Field { number: 5, name: "tags", ty: 9, key: 0, value: 0 };
            let l = &self.tags;
            if (l.len() as u64) > 3 { cx.violation(&F, &rt::Rule { id: "repeated.max_items", message: "must contain no more than 3 item(s)", path: &[::common_eventing::validate::RulePathElement { field_number: 18, field_name: "repeated", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 2, field_name: "max_items", field_type: 4 }] }); }
            for (i, v) in l.iter().enumerate() {
            if rt::fewer_chars_than(v, 1) { cx.item_violation(&F, i, &rt::Rule { id: "string.min_len", message: "must be at least 1 characters", path: &[::common_eventing::validate::RulePathElement { field_number: 18, field_name: "repeated", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 4, field_name: "items", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 2, field_name: "min_len", field_type: 4 }] }); }
            }
        }
        {
            const F: rt::Field = rt::Field { number: 6, name: "labels", ty: 11, key: 9, value: 9 };
            let m = &self.labels;
            if (m.len() as u64) > 4 { cx.violation(&F, &rt::Rule { id: "map.max_pairs", message: "map must be at most 4 entries", path: &[::common_eventing::validate::RulePathElement { field_number: 19, field_name: "map", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 2, field_name: "max_pairs", field_type: 4 }] }); }
            for (k, x) in m.iter() {
            { let v = k;
            if rt::fewer_chars_than(v, 1) { cx.entry_violation(&F, rt::Subscript::StringKey(::std::string::String::clone(k)), &rt::Rule { id: "string.min_len", message: "must be at least 1 characters", path: &[::common_eventing::validate::RulePathElement { field_number: 19, field_name: "map", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 4, field_name: "keys", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 2, field_name: "min_len", field_type: 4 }] }, true); }
            }
            { let v = x;
            if rt::more_chars_than(v, 10) { cx.entry_violation(&F, rt::Subscript::StringKey(::std::string::String::clone(k)), &rt::Rule { id: "string.max_len", message: "must be at most 10 characters", path: &[::common_eventing::validate::RulePathElement { field_number: 19, field_name: "map", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 5, field_name: "values", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 3, field_name: "max_len", field_type: 4 }] }, false); }
            }
            }
        }
        {
            const F: rt::Field = rt::Field { number: 7, name: "meta", ty: 11, key: 0, value: 0 };
            match &self.meta {
                ::core::option::Option::Some(v) => {
            }
                ::core::option::Option::None => { cx.violation(&F, &rt::REQUIRED); }
            }
        }
        {
            const F: rt::Field = rt::Field { number: 8, name: "children", ty: 11, key: 0, value: 0 };
            let l = &self.children;
            for (i, v) in l.iter().enumerate() {
            cx.nested(&F, ::core::option::Option::Some(rt::Subscript::Index(i as u64)), v);
            }
        }
        {
            const F: rt::Field = rt::Field { number: 9, name: "note", ty: 9, key: 0, value: 0 };
            match &self.note {
                ::core::option::Option::Some(v) => {
            if rt::more_chars_than(v, 4) { cx.violation(&F, &rt::Rule { id: "string.max_len", message: "must be at most 4 characters", path: &[::common_eventing::validate::RulePathElement { field_number: 14, field_name: "string", field_type: 11 }, ::common_eventing::validate::RulePathElement { field_number: 3, field_name: "max_len", field_type: 4 }] }); }
            }
                ::core::option::Option::None => {  }
            }
        }
    }
}

/// Calls `visitor.visit::<M>()` once for every message type of this package
/// (nested ones included), each with its [`Validate`](::common_eventing::validate::Validate) impl.
pub fn visit_validated<V: ::common_eventing::validate::ValidateVisitor>(visitor: &mut V) {
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

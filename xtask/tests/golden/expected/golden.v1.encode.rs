
/// Backward encoder of `golden.v1.Meta` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for Meta {
    const FLAT: bool = true;
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        { let x = &self.message_id; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        { let x = &self.message_id; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], x.as_bytes()); } }
        pos
    }
}

/// Backward encoder of `golden.v1.Subject` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for Subject {
    const FLAT: bool = true;
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        { let x = &self.id; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        { let x = &self.id; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], x.as_bytes()); } }
        pos
    }
}

/// Backward encoder of `golden.v1.Happened` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for Happened {
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        { let x = &self.event_id; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        { let x = &self.tenant_id; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        if let Some(x) = &self.timestamp { n += rt::delimited(1, ::common_eventing::encode::Encode::size(x)); }
        { let x = &self.details_json; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        { let x = &self.created_at; if *x != 0 { n += 1 + rt::varint_len((*x) as u64); } }
        { let x = &self.duration_ms; if *x != 0 { n += 1 + rt::varint_len((*x) as u64); } }
        for (k, v) in &self.labels {
            let body = if !k.is_empty() { rt::delimited(1, k.len()) } else { 0 } + if *v != ::core::default::Default::default() { rt::delimited(1, ::common_eventing::encode::Encode::size(v)) } else { 0 };
            n += rt::delimited(1, body);
        }
        for x in &self.parts { n += rt::delimited(1, ::common_eventing::encode::Encode::size(x)); }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        for x in self.parts.iter().rev() { pos = rt::message(out, pos, &[0x42], x); }
        for (k, v) in self.labels.iter().rev() {
            let end = pos;
            if *v != ::core::default::Default::default() { pos = rt::message(out, pos, &[0x12], v); }
            if !k.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], k.as_bytes()); }
            pos = rt::header(out, pos, &[0x3a], end);
        }
        { let x = &self.duration_ms; if *x != 0 { pos = rt::key_varint(out, pos, &[0x30], (*x) as u64); } }
        { let x = &self.created_at; if *x != 0 { pos = rt::key_varint(out, pos, &[0x28], (*x) as u64); } }
        { let x = &self.details_json; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x22], &x[..]); } }
        if let Some(x) = &self.timestamp { pos = rt::message(out, pos, &[0x1a], x); }
        { let x = &self.tenant_id; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x12], x.as_bytes()); } }
        { let x = &self.event_id; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], x.as_bytes()); } }
        pos
    }
}

/// Backward encoder of `golden.v1.Happened.Part` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for happened::Part {
    const FLAT: bool = true;
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        { let x = &self.payload_json; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        { let x = &self.last_seen; if *x != 0 { n += 1 + rt::varint_len((*x) as u64); } }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        { let x = &self.last_seen; if *x != 0 { pos = rt::key_varint(out, pos, &[0x10], (*x) as u64); } }
        { let x = &self.payload_json; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], &x[..]); } }
        pos
    }
}

/// Backward encoder of `golden.v1.Counted` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for Counted {
    const FLAT: bool = true;
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        { let x = &self.event_id; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        { let x = &self.tenant_id; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        { let x = &self.timestamp_ms; if *x != 0 { n += 1 + rt::varint_len((*x) as u64); } }
        { let x = &self.item_count; if *x != 0 { n += 1 + rt::varint_len((*x) as u64); } }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        { let x = &self.item_count; if *x != 0 { pos = rt::key_varint(out, pos, &[0x20], (*x) as u64); } }
        { let x = &self.timestamp_ms; if *x != 0 { pos = rt::key_varint(out, pos, &[0x18], (*x) as u64); } }
        { let x = &self.tenant_id; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x12], x.as_bytes()); } }
        { let x = &self.event_id; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], x.as_bytes()); } }
        pos
    }
}

/// Backward encoder of `golden.v1.Envelope` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for Envelope {
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        if let Some(x) = &self.meta { n += rt::delimited(1, ::common_eventing::encode::Encode::size(x)); }
        if let Some(x) = &self.subject { n += rt::delimited(1, ::common_eventing::encode::Encode::size(x)); }
        if let Some(o) = &self.fact {
            n += match o {
                envelope::Fact::Happened(x) => rt::delimited(1, ::common_eventing::encode::Encode::size(x)),
                envelope::Fact::Counted(x) => rt::delimited(1, ::common_eventing::encode::Encode::size(x)),
            };
        }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        if let Some(o) = &self.fact {
            match o {
                envelope::Fact::Happened(x) => { pos = rt::message(out, pos, &[0x1a], x); }
                envelope::Fact::Counted(x) => { pos = rt::message(out, pos, &[0x22], x); }
            }
        }
        if let Some(x) = &self.subject { pos = rt::message(out, pos, &[0x12], x); }
        if let Some(x) = &self.meta { pos = rt::message(out, pos, &[0x0a], x); }
        pos
    }
}

/// Backward encoder of `golden.v1.TracedMeta` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for TracedMeta {
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        { let x = &self.message_id; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        if let Some(x) = &self.occurred_at { n += rt::delimited(1, ::common_eventing::encode::Encode::size(x)); }
        if let Some(x) = &self.traceparent { n += rt::delimited(1, x.len()); }
        if let Some(x) = &self.producer { n += rt::delimited(1, x.len()); }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        if let Some(x) = &self.producer { pos = rt::delimited_bytes(out, pos, &[0x22], x.as_bytes()); }
        if let Some(x) = &self.traceparent { pos = rt::delimited_bytes(out, pos, &[0x1a], x.as_bytes()); }
        if let Some(x) = &self.occurred_at { pos = rt::message(out, pos, &[0x12], x); }
        { let x = &self.message_id; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], x.as_bytes()); } }
        pos
    }
}

/// Backward encoder of `golden.v1.Traced` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for Traced {
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        if let Some(x) = &self.meta { n += rt::delimited(1, ::common_eventing::encode::Encode::size(x)); }
        if let Some(x) = &self.tracestate { n += rt::delimited(1, x.len()); }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        if let Some(x) = &self.tracestate { pos = rt::delimited_bytes(out, pos, &[0x12], x.as_bytes()); }
        if let Some(x) = &self.meta { pos = rt::message(out, pos, &[0x0a], x); }
        pos
    }
}

/// Backward encoder of `golden.v1.Checked` for `common_eventing::encode::to_vec`.
impl ::common_eventing::encode::Encode for Checked {
    #[allow(unused_mut, unused_imports)]
    fn size(&self) -> usize {
        use ::common_eventing::encode::rt;
        let mut n = 0;
        { let x = &self.code; if !x.is_empty() { n += rt::delimited(1, x.len()); } }
        { let x = &self.page_size; if *x != 0 { n += 1 + rt::varint_len((*x) as i64 as u64); } }
        { let x = &self.item_count; if *x != 0 { n += 1 + rt::varint_len((*x) as u64); } }
        { let x = &self.level; if *x != 0 { n += 1 + rt::varint_len((*x) as i64 as u64); } }
        for x in &self.tags { n += rt::delimited(1, x.len()); }
        for (k, v) in &self.labels {
            let body = if !k.is_empty() { rt::delimited(1, k.len()) } else { 0 } + if !v.is_empty() { rt::delimited(1, v.len()) } else { 0 };
            n += rt::delimited(1, body);
        }
        if let Some(x) = &self.meta { n += rt::delimited(1, ::common_eventing::encode::Encode::size(x)); }
        for x in &self.children { n += rt::delimited(1, ::common_eventing::encode::Encode::size(x)); }
        if let Some(x) = &self.note { n += rt::delimited(1, x.len()); }
        if let Some(o) = &self.choice {
            n += match o {
                checked::Choice::Left(x) => rt::delimited(1, x.len()),
                checked::Choice::Right(x) => 1 + rt::varint_len(u64::from(*x)),
            };
        }
        n
    }
    #[allow(unused_mut, unused_imports)]
    fn write_back(&self, out: &mut [u8], mut pos: usize) -> usize {
        use ::common_eventing::encode::rt;
        if let Some(o) = &self.choice {
            match o {
                checked::Choice::Left(x) => { pos = rt::delimited_bytes(out, pos, &[0x52], x.as_bytes()); }
                checked::Choice::Right(x) => { pos = rt::key_varint(out, pos, &[0x58], u64::from(*x)); }
            }
        }
        if let Some(x) = &self.note { pos = rt::delimited_bytes(out, pos, &[0x4a], x.as_bytes()); }
        for x in self.children.iter().rev() { pos = rt::message(out, pos, &[0x42], x); }
        if let Some(x) = &self.meta { pos = rt::message(out, pos, &[0x3a], x); }
        for (k, v) in self.labels.iter().rev() {
            let end = pos;
            if !v.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x12], v.as_bytes()); }
            if !k.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], k.as_bytes()); }
            pos = rt::header(out, pos, &[0x32], end);
        }
        for x in self.tags.iter().rev() { pos = rt::delimited_bytes(out, pos, &[0x2a], x.as_bytes()); }
        { let x = &self.level; if *x != 0 { pos = rt::key_varint(out, pos, &[0x20], (*x) as i64 as u64); } }
        { let x = &self.item_count; if *x != 0 { pos = rt::key_varint(out, pos, &[0x18], (*x) as u64); } }
        { let x = &self.page_size; if *x != 0 { pos = rt::key_varint(out, pos, &[0x10], (*x) as i64 as u64); } }
        { let x = &self.code; if !x.is_empty() { pos = rt::delimited_bytes(out, pos, &[0x0a], x.as_bytes()); } }
        pos
    }
}

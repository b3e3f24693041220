
/// `golden.v1.Happened` is the `happened` case of `golden.v1.Envelope.fact`.
impl ::common_eventing::OneofCase<envelope::Fact> for Happened {
    fn into_oneof(self) -> envelope::Fact {
        envelope::Fact::Happened(self)
    }
    fn from_oneof(oneof: &envelope::Fact) -> ::core::option::Option<&Self> {
        match oneof {
            envelope::Fact::Happened(m) => Some(m),
            _ => None,
        }
    }
    fn try_from_oneof(oneof: envelope::Fact) -> ::core::result::Result<Self, envelope::Fact> {
        match oneof {
            envelope::Fact::Happened(m) => Ok(m),
            other => Err(other),
        }
    }
}

/// `golden.v1.Counted` is the `counted` case of `golden.v1.Envelope.fact`.
impl ::common_eventing::OneofCase<envelope::Fact> for Counted {
    fn into_oneof(self) -> envelope::Fact {
        envelope::Fact::Counted(self)
    }
    fn from_oneof(oneof: &envelope::Fact) -> ::core::option::Option<&Self> {
        match oneof {
            envelope::Fact::Counted(m) => Some(m),
            _ => None,
        }
    }
    fn try_from_oneof(oneof: envelope::Fact) -> ::core::result::Result<Self, envelope::Fact> {
        match oneof {
            envelope::Fact::Counted(m) => Ok(m),
            other => Err(other),
        }
    }
}

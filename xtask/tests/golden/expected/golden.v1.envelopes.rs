
/// Building a `golden.v1.Envelope` from its inner message, and reading it back by type.
impl Envelope {
    /// A new `Envelope`; the `fact` case is chosen by the type of `fact`.
    pub fn new(meta: Meta, subject: Subject, fact: impl ::common_eventing::OneofCase<envelope::Fact>) -> Self {
        Self {
            meta: ::core::option::Option::Some(meta),
            subject: ::core::option::Option::Some(subject),
            fact: ::core::option::Option::Some(fact.into_oneof()),
        }
    }

    /// The inner message if it is an `M` (the oneof case is chosen by type).
    pub fn fact_as<M: ::common_eventing::OneofCase<envelope::Fact>>(&self) -> ::core::option::Option<&M> {
        self.fact.as_ref().and_then(M::from_oneof)
    }

    /// Takes the inner message if it is an `M`; gives the envelope back otherwise
    /// (nothing is lost: try the next type with the same value).
    #[allow(clippy::result_large_err)]
    pub fn into_fact<M: ::common_eventing::OneofCase<envelope::Fact>>(mut self) -> ::core::result::Result<M, Self> {
        match self.fact.take().map(M::try_from_oneof) {
            ::core::option::Option::Some(::core::result::Result::Ok(m)) => ::core::result::Result::Ok(m),
            ::core::option::Option::Some(::core::result::Result::Err(other)) => {
                self.fact = ::core::option::Option::Some(other);
                ::core::result::Result::Err(self)
            }
            ::core::option::Option::None => ::core::result::Result::Err(self),
        }
    }
}


/// Typed access to the JSON fields of `golden.v1.Happened`.
impl Happened {
    /// Decodes `details_json` (JSON) into `T`. An empty field decodes as JSON `null`.
    ///
    /// # Errors
    ///
    /// A [`JsonFieldError`](crate::json_fields::JsonFieldError) naming `golden.v1.Happened.details_json` when the bytes are not JSON or not a `T`.
    pub fn decode_details_json<'a, T: ::serde::Deserialize<'a>>(&'a self) -> ::core::result::Result<T, crate::json_fields::JsonFieldError> {
        crate::json_fields::decode(&self.details_json, "golden.v1.Happened.details_json")
    }

    /// Serializes `value` as JSON into `details_json`.
    ///
    /// # Errors
    ///
    /// A [`JsonFieldError`](crate::json_fields::JsonFieldError) naming `golden.v1.Happened.details_json` when `value` cannot be serialized (the field is then left unchanged).
    pub fn set_details_json<T: ::serde::Serialize + ?Sized>(&mut self, value: &T) -> ::core::result::Result<(), crate::json_fields::JsonFieldError> {
        self.details_json = crate::json_fields::encode(value, "golden.v1.Happened.details_json")?;
        ::core::result::Result::Ok(())
    }
}

/// The JSON fields of `golden.v1.Happened`.
impl crate::json_fields::JsonFields for Happened {
    const JSON_FIELDS: &'static [&'static str] = &["golden.v1.Happened.details_json"];

    fn validate_json(&self) -> ::core::result::Result<(), crate::json_fields::JsonFieldError> {
        self.decode_details_json::<::serde::de::IgnoredAny>()?;
        ::core::result::Result::Ok(())
    }
}

/// Typed access to the JSON fields of `golden.v1.Happened.Part`.
impl happened::Part {
    /// Decodes `payload_json` (JSON) into `T`. An empty field decodes as JSON `null`.
    ///
    /// # Errors
    ///
    /// A [`JsonFieldError`](crate::json_fields::JsonFieldError) naming `golden.v1.Happened.Part.payload_json` when the bytes are not JSON or not a `T`.
    pub fn decode_payload_json<'a, T: ::serde::Deserialize<'a>>(&'a self) -> ::core::result::Result<T, crate::json_fields::JsonFieldError> {
        crate::json_fields::decode(&self.payload_json, "golden.v1.Happened.Part.payload_json")
    }

    /// Serializes `value` as JSON into `payload_json`.
    ///
    /// # Errors
    ///
    /// A [`JsonFieldError`](crate::json_fields::JsonFieldError) naming `golden.v1.Happened.Part.payload_json` when `value` cannot be serialized (the field is then left unchanged).
    pub fn set_payload_json<T: ::serde::Serialize + ?Sized>(&mut self, value: &T) -> ::core::result::Result<(), crate::json_fields::JsonFieldError> {
        self.payload_json = crate::json_fields::encode(value, "golden.v1.Happened.Part.payload_json")?;
        ::core::result::Result::Ok(())
    }
}

/// The JSON fields of `golden.v1.Happened.Part`.
impl crate::json_fields::JsonFields for happened::Part {
    const JSON_FIELDS: &'static [&'static str] = &["golden.v1.Happened.Part.payload_json"];

    fn validate_json(&self) -> ::core::result::Result<(), crate::json_fields::JsonFieldError> {
        self.decode_payload_json::<::serde::de::IgnoredAny>()?;
        ::core::result::Result::Ok(())
    }
}

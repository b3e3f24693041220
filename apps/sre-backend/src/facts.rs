//! The fact log: every `SreDomainFact` the backend emits, Confluent-framed (magic byte,
//! schema id, message indexes, payload: what a Kafka producer would send to
//! `sre.domain.facts.v1`), kept in memory and optionally appended to a file.
//!
//! File format: one record per fact, a 4-byte big-endian length and then the framed
//! bytes. Each record is flushed before the rpc that emitted it answers, so a reader
//! that saw the answer finds the fact. [`read_log`] reads such a file back.

use ameide_sre_proto::core::v1::SreDomainFact;
use common_eventing::framing;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// Where facts go.
#[derive(Debug)]
pub struct FactLog {
    schema_id: u32,
    file: Option<Mutex<std::fs::File>>,
    facts: Mutex<Vec<Vec<u8>>>,
}

impl FactLog {
    /// A log in memory only, framing with `schema_id`.
    pub fn in_memory(schema_id: u32) -> Self {
        Self {
            schema_id,
            file: None,
            facts: Mutex::default(),
        }
    }

    /// A log that also appends to `path` (created, or appended to when it exists).
    pub fn to_file(schema_id: u32, path: &Path) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(Self {
            file: Some(Mutex::new(file)),
            ..Self::in_memory(schema_id)
        })
    }

    /// Frames and records `fact`; a fact that breaks the contract's rules is never
    /// recorded (`InvalidData`, naming its fields).
    pub fn append(&self, fact: &SreDomainFact) -> std::io::Result<()> {
        let framed = framing::encode_valid(self.schema_id, fact)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        if let Some(file) = &self.file {
            let mut file = file.lock().expect("fact log lock");
            let len = u32::try_from(framed.len()).expect("a fact is under 4 GiB");
            file.write_all(&len.to_be_bytes())?;
            file.write_all(&framed)?;
            file.flush()?;
        }
        self.facts.lock().expect("fact log lock").push(framed);
        Ok(())
    }

    /// The framed facts recorded so far, oldest first.
    pub fn framed(&self) -> Vec<Vec<u8>> {
        self.facts.lock().expect("fact log lock").clone()
    }

    /// The facts recorded so far, decoded, oldest first.
    pub fn facts(&self) -> Vec<SreDomainFact> {
        self.framed()
            .iter()
            .map(|f| {
                framing::decode_message::<SreDomainFact>(f)
                    .expect("the log frames what it encodes")
                    .message
            })
            .collect()
    }
}

/// The framed records of a fact-log file. Fails on a truncated record, naming its
/// offset.
pub fn read_log(bytes: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut records = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let Some(len) = bytes.get(at..at + 4) else {
            return Err(format!("offset {at}: truncated length"));
        };
        let len = u32::from_be_bytes(len.try_into().expect("4 bytes")) as usize;
        let Some(record) = bytes.get(at + 4..at + 4 + len) else {
            return Err(format!("offset {at}: record of {len} bytes is truncated"));
        };
        records.push(record);
        at += 4 + len;
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ameide_sre_proto::core::v1::{
        Actor, Incident, IncidentCreated, Severity, SreMessageMeta, SreSubject,
    };
    use common_eventing::EnvelopeMetadata;
    use common_eventing::traceparent::TraceParent;

    fn fact(version: i64) -> SreDomainFact {
        let meta = EnvelopeMetadata::builder("acme", "sre-backend-test", "v1.0.0")
            .correlation_id("flow")
            .trace(TraceParent::generate(), None);
        SreDomainFact::new(
            SreMessageMeta::build(meta, Actor::default()).unwrap(),
            SreSubject {
                aggregate_type: "Incident".into(),
                aggregate_id: format!("inc-{version}"),
                aggregate_version: version,
            },
            IncidentCreated {
                aggregate_version: version,
                incident: Some(Incident {
                    incident_id: format!("inc-{version}"),
                    severity: Severity::Low as i32,
                    ..Default::default()
                }),
            },
        )
    }

    #[test]
    fn a_fact_that_breaks_the_contract_is_never_recorded() {
        let log = FactLog::in_memory(42);
        let mut bad = fact(1);
        bad.meta.as_mut().unwrap().traceparent.clear();
        let error = log.append(&bad).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("meta.traceparent"), "{error}");
        assert!(log.framed().is_empty());
    }

    #[test]
    fn the_file_holds_exactly_what_was_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("facts.log");
        let log = FactLog::to_file(42, &path).unwrap();
        let facts: Vec<SreDomainFact> = (1..=3).map(fact).collect();
        for f in &facts {
            log.append(f).unwrap();
        }
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(read_log(&bytes).unwrap(), log.framed());
        assert_eq!(log.facts(), facts);
        // Reopening appends.
        FactLog::to_file(42, &path)
            .unwrap()
            .append(&fact(4))
            .unwrap();
        assert_eq!(read_log(&std::fs::read(&path).unwrap()).unwrap().len(), 4);
    }

    #[test]
    fn every_truncation_is_an_error_naming_the_record_offset() {
        let log = FactLog::in_memory(1);
        let mut bytes = Vec::new();
        let mut starts = Vec::new();
        for v in 1..=3 {
            log.append(&fact(v)).unwrap();
            let framed = log.framed().pop().unwrap();
            starts.push(bytes.len());
            bytes.extend((framed.len() as u32).to_be_bytes());
            bytes.extend(framed);
        }
        for cut in 0..bytes.len() {
            match read_log(&bytes[..cut]) {
                Ok(records) => assert!(starts.contains(&cut), "{cut}: {} records", records.len()),
                Err(e) => {
                    let at = starts.iter().rev().find(|s| **s <= cut).unwrap();
                    assert!(e.starts_with(&format!("offset {at}: ")), "{cut}: {e}");
                }
            }
        }
        assert_eq!(read_log(&bytes).unwrap().len(), 3);
    }
}

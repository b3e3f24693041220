//! The in-memory store: every aggregate by tenant, then by id, and the seed file that
//! fills it.

use crate::limits::{MAX_AGGREGATE_BYTES, MAX_PAGE_BYTES, item_bytes};
use ameide_sre_proto::core::v1::{Alert, FleetState, Incident, Postmortem, Runbook, Service, Slo};
use serde::Deserialize;
use std::collections::BTreeMap;
use tonic::Status;

/// An incident and its aggregate version (1 once created, +1 per change).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Versioned {
    /// The aggregate.
    pub incident: Incident,
    /// Its version.
    pub version: i64,
}

/// One tenant's aggregates, each map keyed by the aggregate's id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TenantData {
    /// Incidents.
    pub incidents: BTreeMap<String, Versioned>,
    /// Alerts.
    pub alerts: BTreeMap<String, Alert>,
    /// Runbooks.
    pub runbooks: BTreeMap<String, Runbook>,
    /// SLOs.
    pub slos: BTreeMap<String, Slo>,
    /// Fleet states.
    pub fleet_states: BTreeMap<String, FleetState>,
    /// Services.
    pub services: BTreeMap<String, Service>,
    /// Postmortems.
    pub postmortems: BTreeMap<String, Postmortem>,
}

/// The seed of one tenant, as JSON (each aggregate in proto3 JSON).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TenantSeed {
    /// Incidents (status and version as given; version 1).
    pub incidents: Vec<Incident>,
    /// Alerts.
    pub alerts: Vec<Alert>,
    /// Runbooks.
    pub runbooks: Vec<Runbook>,
    /// SLOs.
    pub slos: Vec<Slo>,
    /// Fleet states.
    pub fleet_states: Vec<FleetState>,
    /// Services.
    pub services: Vec<Service>,
    /// Postmortems.
    pub postmortems: Vec<Postmortem>,
}

/// A seed file: `{"<tenant>": {"alerts": [...], "runbooks": [...], ...}}`.
pub type Seed = BTreeMap<String, TenantSeed>;

fn by_id<T: prost::Message>(
    tenant: &str,
    kind: &str,
    items: Vec<T>,
    id: impl Fn(&T) -> &str,
) -> Result<BTreeMap<String, T>, String> {
    let mut map = BTreeMap::new();
    for (i, item) in items.into_iter().enumerate() {
        let key = id(&item).to_string();
        if key.is_empty() {
            return Err(format!("{tenant}.{kind}[{i}]: no id"));
        }
        let bytes = item.encoded_len();
        if bytes > MAX_AGGREGATE_BYTES {
            return Err(format!(
                "{tenant}.{kind}[{i}]: {bytes} bytes, over the {MAX_AGGREGATE_BYTES} bytes \
                 an aggregate may have"
            ));
        }
        if map.insert(key.clone(), item).is_some() {
            return Err(format!("{tenant}.{kind}[{i}]: id {key:?} appears twice"));
        }
    }
    Ok(map)
}

impl TenantData {
    /// A tenant's data from its seed; errors name the tenant, list and index.
    pub fn from_seed(tenant: &str, seed: TenantSeed) -> Result<Self, String> {
        Ok(Self {
            incidents: by_id(tenant, "incidents", seed.incidents, |i| &i.incident_id)?
                .into_iter()
                .map(|(id, incident)| {
                    (
                        id,
                        Versioned {
                            incident,
                            version: 1,
                        },
                    )
                })
                .collect(),
            alerts: by_id(tenant, "alerts", seed.alerts, |a| &a.alert_id)?,
            runbooks: by_id(tenant, "runbooks", seed.runbooks, |r| &r.runbook_id)?,
            slos: by_id(tenant, "slos", seed.slos, |s| &s.slo_id)?,
            fleet_states: by_id(tenant, "fleetStates", seed.fleet_states, |f| {
                &f.fleetstate_id
            })?,
            services: by_id(tenant, "services", seed.services, |s| &s.service_id)?,
            postmortems: by_id(tenant, "postmortems", seed.postmortems, |p| {
                &p.postmortem_id
            })?,
        })
    }
}

/// Parses a seed file's text; errors name the JSON path.
pub fn parse_seed(text: &str) -> Result<BTreeMap<String, TenantData>, String> {
    let seed: Seed = serde_json::from_str(text).map_err(|e| format!("seed: {e}"))?;
    seed.into_iter()
        .map(|(tenant, s)| Ok((tenant.clone(), TenantData::from_seed(&tenant, s)?)))
        .collect()
}

/// Default page size of list rpcs when `page_size` is 0.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// Largest page a list rpc returns.
pub const MAX_PAGE_SIZE: usize = 500;

/// One page of `items` (in id order) after `page_token` (the last id of the previous
/// page), and the token of the next page (empty on the last). A page holds at most
/// `page_size` items (default [`DEFAULT_PAGE_SIZE`], at most [`MAX_PAGE_SIZE`]) and
/// ends early rather than grow past [`MAX_PAGE_BYTES`] (it always holds one item).
pub fn page<'a, T: Clone + prost::Message + 'a>(
    items: impl Iterator<Item = (&'a String, &'a T)>,
    page_size: i32,
    page_token: &str,
) -> Result<(Vec<T>, String), Status> {
    let size = match usize::try_from(page_size) {
        Err(_) => {
            return Err(Status::invalid_argument(format!(
                "page_size: {page_size} is negative"
            )));
        }
        Ok(0) => DEFAULT_PAGE_SIZE,
        Ok(n) => n.min(MAX_PAGE_SIZE),
    };
    let mut rest = items
        .filter(|(id, _)| page_token.is_empty() || id.as_str() > page_token)
        .peekable();
    let mut out = Vec::new();
    let mut last = String::new();
    let mut bytes = 0;
    while out.len() < size {
        let Some((id, item)) = rest.peek() else { break };
        let item_bytes = item_bytes(*item);
        if !out.is_empty() && bytes + item_bytes > MAX_PAGE_BYTES {
            break;
        }
        bytes += item_bytes;
        last.clone_from(id);
        out.push((*item).clone());
        rest.next();
    }
    let next = if rest.peek().is_some() {
        last
    } else {
        String::new()
    };
    Ok((out, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_item_once() {
        let items: BTreeMap<String, u32> = (0..7).map(|i| (format!("id-{i}"), i)).collect();
        let mut token = String::new();
        let mut seen = Vec::new();
        loop {
            let (got, next) = page(items.iter(), 3, &token).unwrap();
            seen.extend(got);
            if next.is_empty() {
                break;
            }
            token = next;
        }
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
        assert!(
            page(items.iter(), -1, "")
                .unwrap_err()
                .message()
                .contains("page_size")
        );
    }

    #[test]
    fn pages_end_before_they_outgrow_what_readers_decode() {
        let big = |i: usize| Incident {
            incident_id: format!("inc-{i}"),
            title: "x".repeat(MAX_AGGREGATE_BYTES - 100),
            ..Default::default()
        };
        let items: BTreeMap<String, Incident> =
            (0..3).map(|i| (format!("inc-{i}"), big(i))).collect();
        let (first, next) = page(items.iter(), 0, "").unwrap();
        assert_eq!(first.len(), 1, "two would be over MAX_PAGE_BYTES");
        assert_eq!(next, "inc-0");
        let (second, _) = page(items.iter(), 0, &next).unwrap();
        assert_eq!(second[0].incident_id, "inc-1");
    }

    #[test]
    fn seeded_aggregates_over_the_limit_are_refused() {
        let title = "x".repeat(MAX_AGGREGATE_BYTES);
        let seed =
            format!(r#"{{"acme": {{"incidents": [{{"incidentId": "i", "title": "{title}"}}]}}}}"#);
        let err = parse_seed(&seed).unwrap_err();
        assert!(err.starts_with("acme.incidents[0]: "), "{}", &err[..80]);
    }

    #[test]
    fn the_example_seed_of_the_readme_parses() {
        let tenants = parse_seed(include_str!("../examples/seed.json")).unwrap();
        let acme = &tenants["acme"];
        assert_eq!(acme.incidents["inc-1"].version, 1);
        assert_eq!(acme.slos["slo-1"].window.unwrap().seconds, 28 * 86400);
    }

    #[test]
    fn seed_errors_name_the_place() {
        let err = parse_seed(r#"{"acme": {"alerts": [{"alertId": "a"}, {"alertId": "a"}]}}"#)
            .unwrap_err();
        assert_eq!(err, "acme.alerts[1]: id \"a\" appears twice");
        let err = parse_seed(r#"{"acme": {"alerts": [{"alertId": 5}]}}"#).unwrap_err();
        assert!(err.starts_with("seed: "), "{err}");
    }
}

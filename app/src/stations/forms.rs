//! The polling stations' forms (adding a station, who operates it, where it
//! is and the ballots it was handed): the contract between each page's
//! `<form>` and the server handler that reads it. Field names are the
//! `name="..."` attributes in the views, exactly; a missing field reads as
//! empty (`#[serde(default)]`). The station's page (`paper::station_page`)
//! renders the last three; the stations capability's handlers read them all.

use serde::{Deserialize, Serialize};

/// `POST /console/stations` (a new polling station).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddStationForm {
    pub csrf: String,
    pub name: String,
}

/// `POST /console/organizers/{id}/stations` (the stations a station operator
/// enters ballots for): one `station=<id>` per ticked box, none at all when
/// no box is ticked.
///
/// The key repeats, which `serde_urlencoded` (behind `axum::Form`) cannot put
/// into a `Vec`: deserialize this with `axum_extra::extract::Form` (backed by
/// `serde_html_form`), or read pairs as the handler does today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssignStationsForm {
    pub csrf: String,
    pub station: Vec<i64>,
}

/// `POST /console/stations/{id}` (an administrator sets where a station is).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StationDetailsForm {
    pub csrf: String,
    /// The campaign's id, or empty for none.
    pub campaign: String,
    /// The community's id, or empty for none.
    pub community: String,
    pub address: String,
    pub opening_hours: String,
    /// The ballots its box usually holds, or empty.
    pub usual_turnout: String,
}

/// `POST /console/stations/{id}/operators` (who keys a station's sheets): one
/// `operator=<id>` per ticked box, none at all when no box is ticked (read
/// like [`AssignStationsForm`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StationOperatorsForm {
    pub csrf: String,
    pub operator: Vec<i64>,
}

/// `POST /console/stations/{id}/stock` (blank ballots handed to a station).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StockForm {
    pub csrf: String,
    pub ballots: String,
    pub serial_from: String,
    pub serial_to: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[
        include_str!("operators.rs"),
        include_str!("../paper/station_page.rs"),
    ];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("AddStationForm", fields::<AddStationForm>(), VIEWS);
        assert_named("AssignStationsForm", fields::<AssignStationsForm>(), VIEWS);
        assert_named("StationDetailsForm", fields::<StationDetailsForm>(), VIEWS);
        assert_named("StockForm", fields::<StockForm>(), VIEWS);
        assert_named(
            "StationOperatorsForm",
            fields::<StationOperatorsForm>(),
            VIEWS,
        );
    }

    #[test]
    fn no_ticked_box_reads_as_no_station() {
        let s: AssignStationsForm = serde_json::from_str(r#"{"csrf":"t"}"#).unwrap();
        assert!(s.station.is_empty());
    }
}

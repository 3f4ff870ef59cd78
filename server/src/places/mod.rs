//! Streets and their communities: imported from a file, renamed, removed.

pub mod http;
pub mod import;
pub mod pages;
pub mod storage;

use std::sync::Arc;

use alleyvote_domain::{CommunityId, FreeText, TextRule};

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::clock::Clock;
use crate::storage::StoreError;
use storage::{PlaceId, PlaceStorage};

/// Why a change to a street or community was refused.
#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    #[error("a name is missing or too long")]
    Invalid,
    #[error("another place has the name")]
    Taken,
    #[error("nominees or ballot cards still name the community")]
    InUse,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for PlaceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(_) => PlaceError::Taken,
            e => PlaceError::Store(e),
        }
    }
}

/// Why an import took nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} rows rejected", .0.len())]
    Rejected(Vec<import::Rejected>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A place's two names as typed: the Chinese one required, each at most 40 characters.
pub fn names(zh: &str, en: &str) -> Result<(String, String), PlaceError> {
    let name = TextRule::line(40);
    let zh = FreeText::parse(zh, name).map_err(|_| PlaceError::Invalid)?;
    let en = FreeText::parse(en, name.optional()).map_err(|_| PlaceError::Invalid)?;
    Ok((zh.into_string(), en.into_string()))
}

pub struct Places {
    store: Arc<dyn PlaceStorage>,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

impl Places {
    pub fn new(store: Arc<dyn PlaceStorage>, clock: Clock) -> Self {
        Places { store, clock }
    }

    /// Imports a file's streets and communities, all or nothing.
    #[tracing::instrument(skip_all)]
    pub async fn import(
        &self,
        actor: Actor<'_>,
        text: &str,
    ) -> Result<import::ImportCounts, ImportError> {
        let rows = import::parse_csv(text).map_err(ImportError::Rejected)?;
        let audit = NewAuditEntry::new(actor, AuditAction::StreetImport, "places");
        Ok(self
            .store
            .import_places(&rows, &audit, self.clock.now())
            .await?)
    }

    /// Renames a street or a community; names stay unique.
    #[tracing::instrument(skip_all, fields(place = ?place))]
    pub async fn rename(
        &self,
        actor: Actor<'_>,
        place: PlaceId,
        name_zh: &str,
        name_en: &str,
    ) -> Result<(), PlaceError> {
        let (zh, en) = names(name_zh, name_en)?;
        let (action, subject) = match place {
            PlaceId::Street(id) => (AuditAction::StreetRename, format!("street:{}", id.0)),
            PlaceId::Community(id) => (
                AuditAction::StreetRenameCommunity,
                format!("community:{}", id.0),
            ),
        };
        let audit = NewAuditEntry::new(actor, action, subject)
            .after(serde_json::json!({ "name_zh": zh, "name_en": en }));
        self.store
            .rename_place(place, &zh, &en, &audit, self.clock.now())
            .await?;
        Ok(())
    }

    /// Removes a community, only while nothing names it.
    #[tracing::instrument(skip_all, fields(community = id.0))]
    pub async fn remove_community(
        &self,
        actor: Actor<'_>,
        id: CommunityId,
    ) -> Result<(), PlaceError> {
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::StreetRemoveCommunity,
            format!("community:{}", id.0),
        );
        if self
            .store
            .remove_community(id, &audit, self.clock.now())
            .await?
        {
            Ok(())
        } else {
            Err(PlaceError::InUse)
        }
    }
}

/// The communities as a form's choices, "street · community".
pub fn choices(
    communities: &[crate::places::storage::CommunityOf],
) -> Vec<app::places::model::CommunityChoice> {
    communities
        .iter()
        .map(|c| app::places::model::CommunityChoice {
            id: c.community.id,
            label: format!("{} · {}", c.street_zh, c.community.name_zh),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_need_chinese_and_fit() {
        assert_eq!(
            names(" 定海路街道 ", "Dinghai").unwrap(),
            ("定海路街道".to_string(), "Dinghai".to_string())
        );
        assert!(matches!(names(" ", "x"), Err(PlaceError::Invalid)));
        assert!(matches!(
            names(&"长".repeat(41), ""),
            Err(PlaceError::Invalid)
        ));
        assert!(matches!(
            names("a", &"x".repeat(41)),
            Err(PlaceError::Invalid)
        ));
        assert!(matches!(names("定\0海", ""), Err(PlaceError::Invalid)));
    }
}

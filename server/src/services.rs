//! What the running server's capabilities offer beside their own use cases:
//! the current campaign, and each capability's page port, built from
//! [`Services`] (which `capabilities.rs` declares) holding only what its
//! pages read.

use alleyvote_domain::Campaign;

use crate::capabilities::Services;
use crate::storage::StoreResult;
use crate::store::Store;

impl Services {
    /// A campaign by its slug; an organizer's change shows within a second.
    pub async fn campaign(&self, slug: &str) -> StoreResult<Option<Campaign>> {
        self.campaigns.get(slug).await
    }

    pub async fn current_campaign(&self) -> StoreResult<Option<Campaign>> {
        self.campaigns.current().await
    }
}

/// The capabilities' page ports, each holding only what its pages read.
impl Services {
    /// Checks console pages' sessions and roles.
    pub fn page_access(&self) -> crate::organizers::pages::PageAccess {
        crate::organizers::pages::PageAccess {
            organizers: self.organizers.clone(),
        }
    }

    pub fn voting_pages(&self) -> crate::voting::pages::VotingPages<dyn Store> {
        crate::voting::pages::VotingPages {
            campaigns: self.campaigns.clone(),
            nominees: self.nominees.clone(),
            signin: self.signin.clone(),
            casting: self.casting.clone(),
            store: self.store.clone(),
        }
    }

    pub fn results_pages(&self) -> crate::results::pages::ResultsPages {
        crate::results::pages::ResultsPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            hub: self.hub.clone(),
            store: self.store.clone(),
        }
    }

    pub fn organizers_pages(&self) -> crate::organizers::pages::OrganizersPages<dyn Store> {
        crate::organizers::pages::OrganizersPages {
            access: self.page_access(),
            stations: self.stations.clone(),
            store: self.store.clone(),
        }
    }

    pub fn campaign_pages(&self) -> crate::campaigns::pages::CampaignPages<dyn Store> {
        crate::campaigns::pages::CampaignPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            store: self.store.clone(),
        }
    }

    pub fn nominees_pages(&self) -> crate::nominees::pages::NomineesPages<dyn Store> {
        crate::nominees::pages::NomineesPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            store: self.store.clone(),
        }
    }

    pub fn places_pages(&self) -> crate::places::pages::PlacesPages<dyn Store> {
        crate::places::pages::PlacesPages {
            access: self.page_access(),
            store: self.store.clone(),
        }
    }

    pub fn audit_pages(&self) -> crate::exports::pages::AuditPages<dyn Store> {
        crate::exports::pages::AuditPages {
            access: self.page_access(),
            store: self.store.clone(),
        }
    }

    pub fn paper_pages(&self) -> crate::paper::pages::PaperPages<dyn Store> {
        crate::paper::pages::PaperPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            paper: self.paper.clone(),
            stations: self.stations.clone(),
            store: self.store.clone(),
        }
    }

    pub fn publication_pages(&self) -> crate::publication::pages::PublicationPages {
        crate::publication::pages::PublicationPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            publications: self.publications.clone(),
            signin: self.signin.clone(),
        }
    }

    pub fn screen_pages(&self) -> crate::screen::pages::ScreenPages {
        crate::screen::pages::ScreenPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            screens: self.screens.clone(),
        }
    }

    pub fn dashboard_pages(&self) -> crate::dashboard::pages::DashboardPages<dyn Store> {
        crate::dashboard::pages::DashboardPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            store: self.store.clone(),
            clock: self.clock,
        }
    }

    pub fn jury_pages(&self) -> crate::jury::pages::JuryPages<dyn Store> {
        crate::jury::pages::JuryPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            jury: self.jury.clone(),
            store: self.store.clone(),
        }
    }

    pub fn nomination_pages(&self) -> crate::nominations::pages::NominationPages<dyn Store> {
        crate::nominations::pages::NominationPages {
            access: self.page_access(),
            campaigns: self.campaigns.clone(),
            nominations: self.nominations.clone(),
            signin: self.signin.clone(),
            store: self.store.clone(),
        }
    }
}

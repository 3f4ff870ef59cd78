//! The big screen at the award ceremony: what an operator tells it to show
//! (waiting, live, hidden, frozen, a staged reveal), on the public screen
//! and on a private rehearsal screen, and the one function that decides
//! what a screen may be sent — a reveal never carries a place not yet
//! revealed.

pub mod control;
pub mod view;

pub use control::{
    counts_secret, Channel, PressContext, ScreenCommand, ScreenControl, ScreenMode, ScreenRefusal,
};
pub use view::{screen_view, Portrait, ScreenEntry, ScreenView};

//! The Leptos pages' ports, implemented over the capabilities: the public
//! pages ([`public`]) and the organizer console ([`console`]). They sit above
//! the capabilities and only read; every change goes through a capability's
//! handlers.

pub mod console;
pub mod public;

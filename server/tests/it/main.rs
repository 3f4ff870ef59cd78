//! The integration tests, as one binary: the server is linked once for all of them.

#[macro_use]
mod support;

mod abuse;
mod clocks;
mod connections;
mod consent;
mod console;
mod corrections;
mod faults;
mod final_is_final;
mod first_filter;
mod free_text;
mod http;
mod jury;
mod layers;
mod nominations;
mod paper;
mod publication;
mod request_keys;
mod results;
mod screen;
mod sessions;
mod shared_limits;
mod sms_gateway;
mod storage;
mod suppression;
mod voting;

//! How many of something each client address holds open — live-result
//! streams (a big screen and a few phones are normal, a hundred from one
//! address is not), and connections in the accept loop.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct Readers {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// A place among an address's open streams, given back when dropped.
pub struct ReaderSlot {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    from: IpAddr,
}

impl Readers {
    /// A place for one more stream from this address, if it holds fewer than `cap`.
    pub fn slot(&self, from: IpAddr, cap: usize) -> Option<ReaderSlot> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(from).or_insert(0);
        if *count >= cap {
            return None;
        }
        *count += 1;
        Some(ReaderSlot {
            open: self.open.clone(),
            from,
        })
    }
}

impl Drop for ReaderSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.from) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.from);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_its_cap_of_streams() {
        let readers = Readers::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let first = readers.slot(a, 2).unwrap();
        let _second = readers.slot(a, 2).unwrap();
        assert!(readers.slot(a, 2).is_none());
        assert!(readers.slot("10.0.0.2".parse().unwrap(), 2).is_some());
        drop(first);
        assert!(
            readers.slot(a, 2).is_some(),
            "a closed stream gives its place back"
        );
        assert_eq!(
            readers.open.lock().unwrap().len(),
            1,
            "idle addresses are forgotten"
        );
    }
}

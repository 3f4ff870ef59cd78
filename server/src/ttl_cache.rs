//! Short-lived in-process copies of hot reads that rarely change (a campaign
//! by its slug, the voter a session belongs to), so a vote does not pay a
//! database round trip for each. An entry lives a fixed time: a change made
//! through another instance shows here within that time, never later.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Memo<K, V> {
    ttl: Duration,
    max_entries: usize,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Memo<K, V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        Memo {
            ttl,
            max_entries: max_entries.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The remembered value, if it is still fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.max_entries {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= self.max_entries {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), value));
    }

    pub fn forget(&self, key: &K) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_are_forgotten_and_stay_bounded() {
        let memo = Memo::new(Duration::from_secs(60), 2);
        memo.put("a", 1);
        assert_eq!(memo.get(&"a"), Some(1));
        memo.forget(&"a");
        assert_eq!(memo.get(&"a"), None);
        memo.put("a", 1);
        memo.put("b", 2);
        memo.put("c", 3);
        assert_eq!(memo.get(&"c"), Some(3));
        assert!(memo.entries.lock().unwrap().len() <= 2);

        let stale = Memo::new(Duration::ZERO, 8);
        stale.put("a", 1);
        assert_eq!(
            stale.get(&"a"),
            None,
            "an entry older than its time is not used"
        );
    }
}

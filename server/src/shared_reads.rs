//! Reads that must not be stale, shared by whoever waits at the same time.
//!
//! "Hidden from the moment the organizer's request is answered" means every
//! request must see a read of the campaign's state that began after the
//! request arrived. One database read per request would cost the ceremony
//! evening thousands of reads a second; here a caller either joins a read
//! that started after it arrived, or starts one that the callers queued
//! behind it share. Under load that is one read per round trip per key.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub struct FreshReads<K, V> {
    slots: Mutex<HashMap<K, Arc<Slot<V>>>>,
}

struct Slot<V> {
    /// How many reads of this key have started.
    started: AtomicU64,
    /// The last read's number and value.
    last: tokio::sync::Mutex<Option<(u64, V)>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Default for FreshReads<K, V> {
    fn default() -> Self {
        FreshReads {
            slots: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> FreshReads<K, V> {
    /// A value that `read` produced after this call began. A failed read is
    /// not shared: each waiter then reads for itself.
    pub async fn get<F, Fut, E>(&self, key: &K, read: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            slots
                .entry(key.clone())
                .or_insert_with(|| {
                    Arc::new(Slot {
                        started: AtomicU64::new(0),
                        last: tokio::sync::Mutex::new(None),
                    })
                })
                .clone()
        };
        // Reads numbered above this one began after we arrived.
        let arrived = slot.started.load(Ordering::SeqCst);
        let mut last = slot.last.lock().await;
        if let Some((number, value)) = &*last {
            if *number > arrived {
                return Ok(value.clone());
            }
        }
        let number = slot.started.fetch_add(1, Ordering::SeqCst) + 1;
        let value = read().await?;
        *last = Some((number, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;
    use std::sync::atomic::AtomicU32;

    #[tokio::test]
    async fn a_caller_always_sees_what_was_written_before_it_asked() {
        let reads: FreshReads<u8, u32> = FreshReads::default();
        let stored = AtomicU32::new(0);
        for expected in 1..=20 {
            stored.store(expected, Ordering::SeqCst);
            let seen = reads
                .get(&1, || async {
                    Ok::<_, Infallible>(stored.load(Ordering::SeqCst))
                })
                .await
                .unwrap();
            assert_eq!(seen, expected);
        }
    }

    #[tokio::test]
    async fn callers_waiting_together_share_reads() {
        let reads: Arc<FreshReads<u8, u32>> = Arc::new(FreshReads::default());
        let count = Arc::new(AtomicU32::new(0));
        let asked = Arc::new(AtomicU32::new(0));
        // Reads wait until every caller has asked.
        let (open, gate) = tokio::sync::watch::channel(false);
        let mut callers = Vec::new();
        for _ in 0..50 {
            let (reads, count, asked, mut gate) =
                (reads.clone(), count.clone(), asked.clone(), gate.clone());
            callers.push(tokio::spawn(async move {
                asked.fetch_add(1, Ordering::SeqCst);
                reads
                    .get(&7, || async move {
                        let _ = gate.wait_for(|open| *open).await;
                        Ok::<_, Infallible>(count.fetch_add(1, Ordering::SeqCst) + 1)
                    })
                    .await
                    .unwrap()
            }));
        }
        // On this single-threaded runtime a caller that has asked is parked
        // inside `get`, its arrival noted.
        while asked.load(Ordering::SeqCst) < 50 {
            tokio::task::yield_now().await;
        }
        open.send(true).unwrap();
        let mut seen = Vec::new();
        for c in callers {
            seen.push(c.await.unwrap());
        }
        // The first caller's read began before the others arrived, so they
        // need one more, and share it.
        assert_eq!(count.load(Ordering::SeqCst), 2);
        assert_eq!(seen[0], 1);
        assert!(seen[1..].iter().all(|&v| v == 2), "{seen:?}");
    }

    #[tokio::test]
    async fn a_failed_read_is_not_shared() {
        let reads: FreshReads<u8, u32> = FreshReads::default();
        let failed: Result<u32, &str> = reads.get(&1, || async { Err("down") }).await;
        assert_eq!(failed, Err("down"));
        let ok: Result<u32, &str> = reads.get(&1, || async { Ok(3) }).await;
        assert_eq!(ok, Ok(3));
    }
}

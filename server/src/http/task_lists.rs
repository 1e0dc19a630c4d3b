//! The `GET /api/tasks` bodies last sent, per user, with the change counter they were read at.
//!
//! A client polls its list far more often than it changes it. Each read still checks the token,
//! the session and the account in the database, in the same statement that reads the user's
//! current counter (`Store::user_session_and_tasks`); only when that counter is the one a body
//! here was read at are the tasks not read, decoded and written again. So a write on any instance,
//! a sign-out or a disabled account is seen by the very next read on every instance, as without
//! it; a stale entry costs one full read, never a stale answer.
//!
//! Bounded: bodies up to [`MAX_BODY`], [`MAX_TOTAL`] bytes in all (an idle server's memory stays
//! small). Full, an arbitrary entry makes room: the cache only saves work.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;
use uuid::Uuid;

/// A list longer than this (some 200 tasks) is written for every read.
const MAX_BODY: usize = 32 * 1024;
/// All bodies together.
const MAX_TOTAL: usize = 1024 * 1024;

#[derive(Default)]
pub struct TaskLists {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    bodies: HashMap<Uuid, (i64, Bytes)>,
    total: usize,
}

impl TaskLists {
    /// The body kept for `user`, and the counter it was read at.
    pub fn get(&self, user: Uuid) -> Option<(i64, Bytes)> {
        self.lock().bodies.get(&user).cloned()
    }

    /// Keeps `body`, read at `version`, for `user`, unless it is too big to keep.
    pub fn put(&self, user: Uuid, version: i64, body: Bytes) {
        if body.len() > MAX_BODY {
            return;
        }
        let mut inner = self.lock();
        if let Some((_, old)) = inner.bodies.remove(&user) {
            inner.total -= old.len();
        }
        while inner.total + body.len() > MAX_TOTAL {
            let Some(&victim) = inner.bodies.keys().next() else { break };
            if let Some((_, old)) = inner.bodies.remove(&victim) {
                inner.total -= old.len();
            }
        }
        inner.total += body.len();
        inner.bodies.insert(user, (version, body));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_kept_per_user_within_the_bounds() {
        let lists = TaskLists::default();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        lists.put(a, 1, Bytes::from_static(b"[1]"));
        lists.put(a, 2, Bytes::from_static(b"[2]"));
        lists.put(b, 7, Bytes::from_static(b"[]"));
        assert_eq!(lists.get(a), Some((2, Bytes::from_static(b"[2]"))));
        assert_eq!(lists.get(b), Some((7, Bytes::from_static(b"[]"))));
        assert_eq!(lists.lock().total, 5);

        lists.put(a, 3, Bytes::from(vec![b' '; MAX_BODY + 1]));
        assert_eq!(lists.get(a).map(|(v, _)| v), Some(2), "a body over the limit is not kept");

        for _ in 0..2 * MAX_TOTAL / MAX_BODY {
            lists.put(Uuid::new_v4(), 0, Bytes::from(vec![b' '; MAX_BODY]));
        }
        let inner = lists.lock();
        assert!(inner.total <= MAX_TOTAL, "{}", inner.total);
        assert_eq!(inner.total, inner.bodies.values().map(|(_, body)| body.len()).sum::<usize>());
    }
}

//! `cargo bench -p authdesk-contract --bench task_json`: a `GET /api/tasks` body (20 tasks)
//! written with the contract's timestamp writer (`timestamp.rs`) against chrono's own `Serialize`,
//! the same tasks, in alternated turns (A B B A), so the machine's drift hits both alike.

use std::hint::black_box;
use std::time::{Duration, Instant};

use authdesk_contract::Task;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use uuid::Uuid;

/// The same fields, timestamps written by chrono.
#[derive(Serialize)]
struct ChronoTask<'a> {
    id: Uuid,
    title: &'a str,
    completed: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: i64,
}

fn tasks() -> Vec<Task> {
    let start = DateTime::parse_from_rfc3339("2026-12-06T11:03:14.476322Z").unwrap().to_utc();
    (0..20)
        .map(|i| Task {
            id: Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8 + i as u128),
            title: format!("Task number {i}"),
            completed: i % 3 == 0,
            created_at: start + TimeDelta::microseconds(i * 1_234_567),
            updated_at: start + TimeDelta::microseconds(i * 2_345_678),
            version: i,
        })
        .collect()
}

/// Nanoseconds per body, over `turn`.
fn per_body(turn: Duration, mut write: impl FnMut() -> usize) -> f64 {
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < turn {
        for _ in 0..100 {
            black_box(write());
        }
        n += 100;
    }
    started.elapsed().as_nanos() as f64 / n as f64
}

fn main() {
    let ours = tasks();
    let theirs: Vec<ChronoTask> = ours
        .iter()
        .map(|t| ChronoTask {
            id: t.id,
            title: &t.title,
            completed: t.completed,
            created_at: t.created_at,
            updated_at: t.updated_at,
            version: t.version,
        })
        .collect();
    assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&theirs).unwrap(), "same bytes");
    let turn = Duration::from_millis(500);
    let (mut a, mut b) = (0.0, 0.0);
    for _ in 0..5 {
        a += per_body(turn, || serde_json::to_vec(&theirs).unwrap().len());
        b += per_body(turn, || serde_json::to_vec(&ours).unwrap().len());
        b += per_body(turn, || serde_json::to_vec(&ours).unwrap().len());
        a += per_body(turn, || serde_json::to_vec(&theirs).unwrap().len());
    }
    let (a, b) = (a / 10.0, b / 10.0);
    println!("20 tasks as JSON: chrono's timestamps {a:.0} ns, the contract's {b:.0} ns: {:.2}x as fast", a / b);
}

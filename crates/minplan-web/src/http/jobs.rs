//! Long work that a request starts and a background task finishes (issue 19: a layer import
//! that reads, buffers and writes millions of vertices must not hold the write lock nor the
//! request): [`Jobs`] keeps each job's progress and, once it has ended, its outcome, for the
//! page that shows it. A job keeps running when its request is abandoned (the browser left
//! the page); its outcome is kept for [`KEEP_FINISHED`] after it ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How long an ended job's outcome stays to be shown.
pub const KEEP_FINISHED: Duration = Duration::from_secs(3600);

/// One job as a page sees it.
#[derive(Debug, Clone)]
pub struct JobView<P, O> {
    /// The account that started it.
    pub owner: i64,
    /// What it is, in words (e.g. “生态保护红线：红线.zip”).
    pub title: String,
    /// Its progress, updated by the work as it goes.
    pub progress: Arc<P>,
    /// How long it has run (or ran).
    pub elapsed: Duration,
    /// Its outcome, once ended.
    pub outcome: Option<O>,
}

struct Entry<P, O> {
    owner: i64,
    title: String,
    progress: Arc<P>,
    started: Instant,
    ended: Option<Instant>,
    outcome: Option<O>,
    done: watch::Sender<bool>,
}

struct Table<P, O> {
    next: u64,
    jobs: HashMap<u64, Entry<P, O>>,
}

/// The jobs of one kind, with at most `max_running` running at once (each takes the cores).
pub struct Jobs<P, O> {
    table: Mutex<Table<P, O>>,
    max_running: usize,
}

/// [`Jobs::start`] refused: this many are running already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy(pub usize);

impl<P, O: Clone> Jobs<P, O> {
    /// No jobs; at most `max_running` at once.
    pub fn new(max_running: usize) -> Self {
        Jobs {
            table: Mutex::new(Table {
                next: 1,
                jobs: HashMap::new(),
            }),
            max_running: max_running.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table<P, O>> {
        // A panic elsewhere while holding the table leaves plain data: use it as it is.
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a job; returns its number. Jobs ended more than [`KEEP_FINISHED`] ago are
    /// forgotten here.
    ///
    /// # Errors
    /// [`Busy`] when `max_running` jobs are running.
    pub fn start(&self, owner: i64, title: String, progress: Arc<P>) -> Result<u64, Busy> {
        let mut t = self.lock();
        t.jobs
            .retain(|_, e| e.ended.is_none_or(|at| at.elapsed() < KEEP_FINISHED));
        let running = t.jobs.values().filter(|e| e.ended.is_none()).count();
        if running >= self.max_running {
            return Err(Busy(running));
        }
        let id = t.next;
        t.next += 1;
        let (done, _) = watch::channel(false);
        t.jobs.insert(
            id,
            Entry {
                owner,
                title,
                progress,
                started: Instant::now(),
                ended: None,
                outcome: None,
                done,
            },
        );
        Ok(id)
    }

    /// Records job `id`'s outcome and wakes whoever waits for it.
    pub fn finish(&self, id: u64, outcome: O) {
        let mut t = self.lock();
        if let Some(e) = t.jobs.get_mut(&id) {
            e.ended = Some(Instant::now());
            e.outcome = Some(outcome);
            e.done.send_replace(true);
        }
    }

    /// Job `id` as it stands, or `None` when there is none (or it was forgotten).
    pub fn view(&self, id: u64) -> Option<JobView<P, O>> {
        let t = self.lock();
        t.jobs.get(&id).map(|e| JobView {
            owner: e.owner,
            title: e.title.clone(),
            progress: e.progress.clone(),
            elapsed: e.ended.unwrap_or_else(Instant::now) - e.started,
            outcome: e.outcome.clone(),
        })
    }

    /// Waits until job `id` ends or `limit` passes (`None`: no limit); returns its outcome if
    /// it ended.
    pub async fn wait(&self, id: u64, limit: Option<Duration>) -> Option<O> {
        let mut rx = self.lock().jobs.get(&id)?.done.subscribe();
        let ended = rx.wait_for(|d| *d);
        match limit {
            Some(l) => {
                let _ = tokio::time::timeout(l, ended).await;
            }
            None => {
                let _ = ended.await;
            }
        }
        self.lock().jobs.get(&id).and_then(|e| e.outcome.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_job_is_waited_for_shown_and_limited() {
        let jobs: Jobs<(), Result<i64, String>> = Jobs::new(1);
        let a = jobs.start(7, "甲".into(), Arc::new(())).unwrap();
        assert_eq!(jobs.start(7, "乙".into(), Arc::new(())), Err(Busy(1)));
        assert_eq!(
            jobs.wait(a, Some(Duration::from_millis(20))).await,
            None,
            "still running"
        );
        assert!(jobs.view(a).unwrap().outcome.is_none());
        jobs.finish(a, Ok(42));
        assert_eq!(jobs.wait(a, None).await, Some(Ok(42)));
        let v = jobs.view(a).unwrap();
        assert_eq!(
            (v.owner, v.title.as_str(), v.outcome),
            (7, "甲", Some(Ok(42)))
        );
        // One ended: another may start.
        let b = jobs.start(8, "乙".into(), Arc::new(())).unwrap();
        assert_ne!(a, b);
        assert!(jobs.view(999).is_none());
        assert_eq!(jobs.wait(999, None).await, None);
    }
}

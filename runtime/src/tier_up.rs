//! Tiering up in the background: each engine has at most one worker
//! thread, made at its first background tier-up, which compiles hot
//! functions and on-stack entries one at a time, in the order they were
//! asked for. However many functions get hot at once, tiering up takes one
//! thread and one compiler's memory at a time; the code that asked runs on
//! meanwhile. The thread ends once the engine and every module of it are
//! dropped.

use alloc::boxed::Box;
use std::sync::mpsc::{self, Sender};
use std::sync::{Mutex, PoisonError};
use std::thread;

/// A compilation to run on the worker.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

/// An engine's tier-up worker: its queue, once the thread is made.
#[derive(Debug, Default)]
pub(crate) struct TierUpWorker {
    queue: Mutex<Option<Sender<Job>>>,
}

impl TierUpWorker {
    /// Queues `job` for the worker thread, making the thread first if
    /// needed. Returns `job` if no thread could be made (the caller then
    /// runs it itself).
    pub(crate) fn queue(&self, job: Job) -> Result<(), Job> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if queue.is_none() {
            let (sender, jobs) = mpsc::channel::<Job>();
            let spawned = thread::Builder::new()
                .name("pulley tier-up".into())
                .spawn(move || jobs.into_iter().for_each(|job| job()));
            if spawned.is_err() {
                return Err(job);
            }
            *queue = Some(sender);
        }
        let sender = queue.as_ref().expect("made above");
        sender.send(job).map_err(|unsent| {
            // The thread is gone (a job panicked): the next job makes
            // another.
            *queue = None;
            unsent.0
        })
    }
}

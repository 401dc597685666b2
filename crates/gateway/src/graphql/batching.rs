//! Where the batching loader's batches run: on the request's own task, each time the request has
//! gone as far as it can, instead of on tasks of their own.
//!
//! The loader starts a batch when the first key of a kind is asked for and fetches every key of
//! that kind asked for until the batch runs. The fields of one level of a query ask in the same
//! poll of the request (a list's items and an object's fields are polled together), so a batch
//! that runs only once that poll is over has every key of its level, with no wait at all; a batch
//! on a task of its own, which another core may run at once, could start before its siblings have
//! asked, and so has to wait a while for them (the loader's delay, `limits.batch_window_ms`), once
//! for each level of nesting. Here the delay only adds to that (0, the default, adds nothing).
//!
//! The batches end with their request: when a request is over its time budget, its batches are
//! dropped with it rather than running on.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;

/// The batches of one request, waiting for the request's task to run them.
#[derive(Clone, Default)]
pub struct Batches(Arc<Mutex<Queue>>);

#[derive(Default)]
struct Queue {
    /// Batches started and not yet picked up.
    waiting: Vec<BoxFuture<'static, ()>>,
    /// The request's task, to wake when a batch is started from elsewhere.
    driver: Option<Waker>,
}

impl std::fmt::Debug for Batches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batches").finish_non_exhaustive()
    }
}

impl Batches {
    /// What the loader is given to start a batch with: the batch waits for [`Batches::drive`].
    pub fn spawner(&self) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
        let batches = self.clone();
        move |batch| {
            let driver = {
                let mut queue = batches.0.lock().unwrap_or_else(PoisonError::into_inner);
                queue.waiting.push(batch);
                queue.driver.take()
            };
            // Woken outside the lock; a batch started by the request's own poll wakes nothing
            // that is not already running.
            if let Some(driver) = driver {
                driver.wake();
            }
        }
    }

    /// Runs `request` and, after each of its polls, the batches it started: they run on the
    /// request's task, and end with it.
    pub async fn drive<F: Future>(self, request: F) -> F::Output {
        Driven {
            request: Box::pin(request),
            batches: self,
            running: FuturesUnordered::new(),
        }
        .await
    }

    /// While the request is polled, a batch it starts needs no wake-up: it is picked up as soon
    /// as the poll is over.
    fn polling(&self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).driver = None;
    }

    /// The batches started since last asked; a batch started later (from another task) wakes
    /// the request's task.
    fn take_waiting(&self, cx: &Context<'_>) -> Vec<BoxFuture<'static, ()>> {
        let mut queue = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        queue.driver = Some(cx.waker().clone());
        std::mem::take(&mut queue.waiting)
    }
}

struct Driven<F: Future> {
    request: Pin<Box<F>>,
    batches: Batches,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        loop {
            this.batches.polling();
            if let Poll::Ready(out) = this.request.as_mut().poll(cx) {
                return Poll::Ready(out);
            }
            // Every field the request could reach now has asked for its keys: run the batches.
            this.running.extend(this.batches.take_waiting(cx));
            let mut answered = false;
            while let Poll::Ready(Some(())) = this.running.poll_next_unpin(cx) {
                answered = true;
            }
            // A batch that has answered its fields lets them go on at once; the others wait on
            // the database (or the delay), which wakes the task.
            if !answered {
                return Poll::Pending;
            }
        }
    }
}

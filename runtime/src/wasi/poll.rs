//! `poll_oneoff`: waiting for clocks and descriptors.
//!
//! - Clock subscriptions: `realtime` and `monotonic`, relative or absolute
//!   (`SUBSCRIPTION_CLOCK_ABSTIME`); the precision is ignored. CPU-time
//!   clocks cannot be waited on: their events report `ENOTSUP`.
//! - Descriptor subscriptions: files are always ready (a read reports the
//!   bytes left before the end); in-memory standard input is ready, with
//!   `FD_READWRITE_HANGUP` once it is exhausted; the host's standard input
//!   is waited on with `poll(2)` on Unix and reported ready elsewhere;
//!   standard output and error are always writable.
//! - A subscription that cannot be served (bad descriptor, missing
//!   `POLL_FD_READWRITE` right, directory) gets an event right away that
//!   carries the error, as the event's `error` field is there for.
//!
//! Events come back in the order of their subscriptions.

use std::thread;
use std::time::{Duration, Instant};
use std::vec::Vec;

use super::WasiCtx;
use super::clocks::{clock, duration_nanos, monotonic_epoch, realtime_now};
use super::descriptors::Kind;
use super::errno::Errno;
use super::host_os::{self, Clock, Readiness};
use super::memory::GuestMemory;
use super::stdio::Input;
use super::types::{
    Event, Snapshot, Subscription, SubscriptionKind, eventrwflags, eventtype, rights, subclockflags,
};

/// How one subscription will be answered.
enum Plan {
    /// Already answered.
    Ready(Event),
    /// Fires at that instant (never if `None`: it is too far away).
    Clock(Option<Instant>),
    /// Waits for the host's standard input to be readable.
    HostStdin,
}

/// When a clock subscription fires.
fn deadline(id: u32, timeout: u64, flags: u16, now: Instant) -> Result<Option<Instant>, Errno> {
    if flags & !subclockflags::SUBSCRIPTION_CLOCK_ABSTIME != 0 {
        return Err(Errno::Inval);
    }
    let absolute = flags & subclockflags::SUBSCRIPTION_CLOCK_ABSTIME != 0;
    let wait = match clock(id)? {
        Clock::Monotonic if absolute => {
            timeout.saturating_sub(duration_nanos(now.duration_since(monotonic_epoch())))
        }
        Clock::Realtime if absolute => timeout.saturating_sub(realtime_now()?),
        Clock::Monotonic | Clock::Realtime => timeout,
        Clock::ProcessCpu | Clock::ThreadCpu => return Err(Errno::Notsup),
    };
    Ok(now.checked_add(Duration::from_nanos(wait)))
}

/// The events of the subscriptions ready at `now`, in subscription order;
/// `stdin` is the readiness of the host's standard input, if it is known.
fn collect(
    subscriptions: &[Subscription],
    plans: &[Plan],
    now: Instant,
    stdin: Option<Result<(u64, u16), Errno>>,
) -> Vec<Event> {
    let mut ready = Vec::new();
    for (sub, plan) in subscriptions.iter().zip(plans) {
        let (kind, result) = match (plan, sub.kind) {
            (Plan::Ready(event), _) => {
                ready.push(*event);
                continue;
            }
            (Plan::Clock(Some(when)), _) if *when <= now => (eventtype::CLOCK, Ok((0, 0))),
            (Plan::Clock(_), _) => continue,
            (Plan::HostStdin, SubscriptionKind::FdWrite(_)) => match stdin {
                Some(result) => (eventtype::FD_WRITE, result),
                None => continue,
            },
            (Plan::HostStdin, _) => match stdin {
                Some(result) => (eventtype::FD_READ, result),
                None => continue,
            },
        };
        ready.push(event(sub, kind, result));
    }
    ready
}

/// The event answering `sub`: ready with `(nbytes, flags)`, or failed.
fn event(sub: &Subscription, kind: u8, result: Result<(u64, u16), Errno>) -> Event {
    let (error, (nbytes, flags)) = match result {
        Ok(ready) => (Errno::Success, ready),
        Err(error) => (error, (0, 0)),
    };
    Event {
        userdata: sub.userdata,
        error,
        kind,
        nbytes,
        flags,
    }
}

impl WasiCtx {
    /// Whether descriptor `fd` is ready: `Some((nbytes, flags))` if so,
    /// `None` if it is the host's standard input, which must be waited on.
    fn readiness(&self, fd: u32, read: bool) -> Result<Option<(u64, u16)>, Errno> {
        let descriptor = self.fds.get(fd)?;
        match (&descriptor.kind, read) {
            (Kind::Dir(_), _) | (Kind::Stdin(_), false) | (Kind::Output(_), true) => {
                return Err(Errno::Badf);
            }
            _ => descriptor.require(rights::POLL_FD_READWRITE)?,
        }
        Ok(match &descriptor.kind {
            Kind::File(file) if read => {
                let size = file.file.metadata()?.len();
                Some((size.saturating_sub(file.position), 0))
            }
            Kind::Stdin(Input::Inherit) => None,
            Kind::Stdin(input) => match input.available() {
                Some(0) => Some((0, eventrwflags::FD_READWRITE_HANGUP)),
                Some(bytes) => Some((bytes, 0)),
                // A reader's data cannot be known in advance.
                None => Some((1, 0)),
            },
            _ => Some((1, 0)),
        })
    }

    /// How subscription `sub` will be answered.
    fn plan(&self, sub: &Subscription, now: Instant) -> Plan {
        let event = |kind, result| Plan::Ready(event(sub, kind, result));
        match sub.kind {
            SubscriptionKind::Clock { id, timeout, flags } => {
                match deadline(id, timeout, flags, now) {
                    Ok(when) => Plan::Clock(when),
                    Err(error) => event(eventtype::CLOCK, Err(error)),
                }
            }
            SubscriptionKind::FdRead(fd) => match self.readiness(fd, true) {
                Ok(Some(ready)) => event(eventtype::FD_READ, Ok(ready)),
                Ok(None) => Plan::HostStdin,
                Err(error) => event(eventtype::FD_READ, Err(error)),
            },
            SubscriptionKind::FdWrite(fd) => match self.readiness(fd, false) {
                Ok(Some(ready)) => event(eventtype::FD_WRITE, Ok(ready)),
                Ok(None) => Plan::HostStdin,
                Err(error) => event(eventtype::FD_WRITE, Err(error)),
            },
        }
    }

    /// `poll_oneoff`: waits until at least one subscription is ready, then
    /// writes an event for each ready one and returns how many. No
    /// subscriptions at all is `EINVAL` (it would wait forever).
    pub(crate) fn poll_oneoff(
        &mut self,
        memory: &mut GuestMemory<'_>,
        snapshot: Snapshot,
        subs: u32,
        events: u32,
        nsubscriptions: u32,
    ) -> Result<u32, Errno> {
        if nsubscriptions == 0 {
            return Err(Errno::Inval);
        }
        let size = snapshot.subscription_size();
        memory.check_array(subs, nsubscriptions, size)?;
        memory.check_array(events, nsubscriptions, Event::SIZE)?;
        // Both arrays are in bounds, so their offsets below do not overflow.
        let mut subscriptions = Vec::with_capacity(nsubscriptions as usize);
        for i in 0..nsubscriptions {
            let bytes = memory.slice(subs + i * size, size)?;
            subscriptions.push(Subscription::decode(bytes, snapshot)?);
        }
        let start = Instant::now();
        let plans: Vec<Plan> = subscriptions
            .iter()
            .map(|sub| self.plan(sub, start))
            .collect();

        let next = plans
            .iter()
            .filter_map(|plan| match plan {
                Plan::Clock(when) => *when,
                _ => None,
            })
            .min();
        let stdin_waits = plans.iter().any(|plan| matches!(plan, Plan::HostStdin));
        let ready = loop {
            let now = Instant::now();
            let mut ready = collect(&subscriptions, &plans, now, None);
            let timeout = if ready.is_empty() {
                next.map(|next| next.saturating_duration_since(now))
            } else {
                Some(Duration::ZERO)
            };
            if stdin_waits {
                let stdin = match host_os::wait_stdin(timeout) {
                    Ok(Readiness::Pending) => None,
                    Ok(Readiness::Ready) => Some(Ok((1, 0))),
                    Ok(Readiness::Hangup) => Some(Ok((0, eventrwflags::FD_READWRITE_HANGUP))),
                    Err(error) => Some(Err(Errno::from(error))),
                };
                if stdin.is_some() {
                    ready = collect(&subscriptions, &plans, now, stdin);
                }
            } else if ready.is_empty() {
                // Only clocks: sleep until the first. One too far away to
                // represent never fires; sleep in long steps meanwhile.
                thread::sleep(timeout.unwrap_or(Duration::from_secs(3600)));
            }
            if !ready.is_empty() {
                break ready;
            }
        };

        for (i, event) in (0u32..).zip(&ready) {
            memory.write(events + i * Event::SIZE, &event.encode())?;
        }
        // At most `nsubscriptions`.
        Ok(ready.len() as u32)
    }
}

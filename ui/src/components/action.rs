//! Async work a screen starts on demand (a form's submit, a button), usually a shell command:
//! `pending()` is the busy state, and the outcome is the command's answer or its [`CommandError`].
//!
//! The app's own rather than Dioxus's `use_action`: that one keeps four signals, a shared channel
//! and a mapped reader per action, all generic over its closure and answer: 47 KB of wasm code
//! for the app's 14 actions. Here the future is boxed, so all that is generic is the answer's
//! type, and most actions answer `()` (10 KB less of the gzipped wasm).

use std::future::Future;
use std::pin::Pin;

use authdesk_contract::desktop::{CommandError, CommandResult};
use dioxus::core::Task;
use dioxus::prelude::*;

type Work<I, O> = Box<dyn FnMut(I) -> Pin<Box<dyn Future<Output = CommandResult<O>>>>>;

/// Where an action is: never run (or reset), running, or how its last run ended.
enum Phase<O> {
    Idle,
    Pending,
    Done(O),
    Failed(CommandError),
}

/// A handle to work started by [`use_action`]; `Copy`, so event handlers can each take one.
pub struct Action<I: 'static, O: 'static> {
    phase: Signal<Phase<O>>,
    task: CopyValue<Option<Task>>,
    work: CopyValue<Work<I, O>>,
}

impl<I: 'static, O: 'static> Clone for Action<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, O: 'static> Copy for Action<I, O> {}

/// An action running `work` each time it is called; a call while one is running cancels that
/// one. `work` takes no argument (`action.call()`) or one (`action.call_with(x)`).
pub fn use_action<I: 'static, O: 'static, M>(work: impl IntoWork<I, O, M>) -> Action<I, O> {
    let mut fresh = Some(work.into_work());
    let mut work = use_hook(|| CopyValue::new(fresh.take().expect("the first render's closure")));
    // Each render's closure replaces the last, so a call sees the latest render's props.
    if let Some(latest) = fresh {
        work.set(latest);
    }
    Action { phase: use_signal(|| Phase::Idle), task: use_hook(|| CopyValue::new(None)), work }
}

impl<O: 'static> Action<(), O> {
    pub fn call(&mut self) {
        self.call_with(());
    }
}

impl<I: 'static, O: 'static> Action<I, O> {
    pub fn call_with(&mut self, input: I) {
        self.cancel();
        let running = (*self.work.write())(input);
        let mut phase = self.phase;
        phase.set(Phase::Pending);
        self.task.set(Some(spawn(async move {
            phase.set(match running.await {
                Ok(answer) => Phase::Done(answer),
                Err(error) => Phase::Failed(error),
            });
        })));
    }

    pub fn pending(&self) -> bool {
        matches!(*self.phase.read(), Phase::Pending)
    }

    /// The error of the last run, if it failed.
    pub fn failure(&self) -> Option<CommandError> {
        match &*self.phase.read() {
            Phase::Failed(error) => Some(error.clone()),
            _ => None,
        }
    }

    /// Whether the last run succeeded.
    pub fn succeeded(&self) -> bool {
        matches!(*self.phase.read(), Phase::Done(_))
    }

    /// Cancels a running call and forgets the last outcome.
    pub fn reset(&mut self) {
        self.cancel();
        self.phase.set(Phase::Idle);
    }

    /// Forgets the last run's failure (another action's outcome replaces it); a success stays.
    pub fn forget_failure(&mut self) {
        if matches!(*self.phase.peek(), Phase::Failed(_)) {
            self.phase.set(Phase::Idle);
        }
    }

    /// Forgets the last run's success (what it said no longer holds); a failure stays.
    pub fn forget_success(&mut self) {
        if matches!(*self.phase.peek(), Phase::Done(_)) {
            self.phase.set(Phase::Idle);
        }
    }

    fn cancel(&mut self) {
        if let Some(task) = self.task.take() {
            task.cancel();
        }
    }
}

impl<I: 'static, O: Clone + 'static> Action<I, O> {
    /// The answer of the last run, if it succeeded.
    pub fn value(&self) -> Option<O> {
        match &*self.phase.read() {
            Phase::Done(answer) => Some(answer.clone()),
            _ => None,
        }
    }
}

/// A closure [`use_action`] can run: `FnMut() -> impl Future` (input `()`) or
/// `FnMut(A) -> impl Future` (input `A`), the future answering a [`CommandResult`]. `M` only tells
/// the two apart.
pub trait IntoWork<I, O, M> {
    fn into_work(self) -> Work<I, O>;
}

impl<F, R, O> IntoWork<(), O, ()> for F
where
    F: FnMut() -> R + 'static,
    R: Future<Output = CommandResult<O>> + 'static,
{
    fn into_work(mut self) -> Work<(), O> {
        Box::new(move |()| Box::pin(self()))
    }
}

impl<F, R, A, O> IntoWork<A, O, (A,)> for F
where
    F: FnMut(A) -> R + 'static,
    R: Future<Output = CommandResult<O>> + 'static,
{
    fn into_work(mut self) -> Work<A, O> {
        Box::new(move |input| Box::pin(self(input)))
    }
}

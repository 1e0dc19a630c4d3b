//! A shell command's answer a screen shows (settings, sessions, the account's status): asked
//! when the component first renders, asked again on `restart()`.
//!
//! The app's own rather than Dioxus's `use_resource`, which also follows the signals its future
//! reads (these commands read none) and costs a reactive context, a waker and a callback per use.

use std::ops::Deref;

use authdesk_contract::desktop::{Command, CommandResult};
use dioxus::core::Task;
use dioxus::prelude::*;

use crate::api;

/// The answer to a command, `None` until the first one arrives; a restart keeps the last answer
/// on screen until the new one replaces it.
pub struct Answer<C: Command + 'static> {
    answer: Signal<Option<CommandResult<C::Output>>>,
    task: CopyValue<Option<Task>>,
    command: CopyValue<C>,
}

impl<C: Command + 'static> Clone for Answer<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: Command + 'static> Copy for Answer<C> {}

/// Asks the shell `command` now, and again on each `restart()`.
pub fn use_answer<C: Command + Clone + 'static>(command: C) -> Answer<C> {
    let answer = use_signal(|| None);
    let mut ask = use_hook(|| Answer { answer, task: CopyValue::new(None), command: CopyValue::new(command) });
    use_hook(move || ask.restart());
    ask
}

impl<C: Command + Clone + 'static> Answer<C> {
    /// Asks again (cancelling a question still open).
    pub fn restart(&mut self) {
        if let Some(task) = self.task.take() {
            task.cancel();
        }
        let (mut answer, command) = (self.answer, self.command.peek().clone());
        self.task.set(Some(spawn(async move { answer.set(Some(api::call(command).await)) })));
    }
}

impl<C: Command + 'static> Answer<C> {
    /// The answer, subscribing the component to it.
    pub fn read(&self) -> impl Deref<Target = Option<CommandResult<C::Output>>> + '_ {
        self.answer.read()
    }

    /// The answer, without subscribing.
    pub fn peek(&self) -> impl Deref<Target = Option<CommandResult<C::Output>>> + '_ {
        self.answer.peek()
    }
}

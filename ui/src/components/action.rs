//! Reading a [`use_action`] whose work is a shell command: `pending()` is the busy state, and
//! these give its failure as the shell's [`CommandError`].

use authdesk_contract::desktop::CommandError;
use dioxus::prelude::*;

/// The error of the action's last run, if it failed.
pub fn failure<I: 'static, O: 'static>(action: &Action<I, O>) -> Option<CommandError> {
    match action.value() {
        Some(Err(e)) => {
            Some(e.downcast_ref::<CommandError>().cloned().unwrap_or_else(|| CommandError::local(e.to_string())))
        }
        _ => None,
    }
}

/// Whether the action's last run succeeded.
pub fn succeeded<I: 'static, O: 'static>(action: &Action<I, O>) -> bool {
    matches!(action.value(), Some(Ok(_)))
}

/// Forgets the last run's failure (another action's outcome replaces it); a success stays.
pub fn forget_failure<I: 'static, O: 'static>(action: &mut Action<I, O>) {
    if failure(action).is_some() {
        action.reset();
    }
}

/// Forgets the last run's success (what it said no longer holds); a failure stays.
pub fn forget_success<I: 'static, O: 'static>(action: &mut Action<I, O>) {
    if succeeded(action) {
        action.reset();
    }
}

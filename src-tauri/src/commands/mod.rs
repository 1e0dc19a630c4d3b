//! The Tauri commands, grouped per area: each takes and answers the types of
//! `authdesk_contract::desktop::commands` (which the UI calls it with) and calls the facade.

pub mod account;
pub mod admin;
pub mod data;
pub mod dialogs;
pub mod sessions;
pub mod settings;
pub mod sync;
pub mod tasks;

use std::sync::Arc;

use authdesk_contract::desktop::{Command, CommandError};
use authdesk_desktop::Desktop;
use tauri::State;

/// What the command `C` answers: its output, or the error the UI reads.
type Answer<C> = Result<<C as Command>::Output, CommandError>;
/// The app's state, as every command gets it.
type Shell<'a> = State<'a, Arc<Desktop>>;

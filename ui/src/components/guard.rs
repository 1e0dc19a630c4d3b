use dioxus::prelude::*;

use crate::state::CurrentUser;
use crate::Route;

/// Keeps the calling screen to signed-in users (`signed_in: true`; anyone else goes to sign in) or
/// to the others (`false`; a signed-in user goes to the dashboard).
pub fn use_screen_for(signed_in: bool) {
    let current = use_context::<CurrentUser>();
    let nav = navigator();
    use_effect(move || {
        if current.user.read().is_some() != signed_in {
            nav.replace(if signed_in { Route::SignIn {} } else { Route::Dashboard {} });
        }
    });
}

//! The screens and their addresses. Each screen's code is its own wasm module, fetched the first
//! time the screen is shown (Dioxus's `wasm-split`; scripts/build-wasm.sh splits the build).

// The router's split loaders are functions named after the screens.
#![allow(non_snake_case)]

use dioxus::prelude::*;

use crate::components;
use crate::screens::{Administration, Dashboard, ForgotPassword, NotFound, Settings, SignIn, SignUp, YourData};

#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(components::Frame)]
        #[route("/")]
        SignIn {},
        #[route("/signup")]
        SignUp {},
        #[route("/forgot-password")]
        ForgotPassword {},
        #[route("/dashboard")]
        Dashboard {},
        #[route("/settings")]
        Settings {},
        #[route("/data")]
        YourData {},
        #[route("/admin")]
        Administration {},
    #[end_layout]
    #[route("/:..segments")]
    NotFound { segments: Vec<String> },
}

//! One file per screen.

mod account;
mod dashboard;
mod not_found;
mod settings;
mod sign_in;
mod sign_up;

pub use dashboard::Dashboard;
pub use not_found::NotFound;
pub use settings::Settings;
pub use sign_in::SignIn;
pub use sign_up::SignUp;

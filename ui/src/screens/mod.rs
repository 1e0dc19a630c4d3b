//! One file per screen.

mod account;
mod admin;
mod dashboard;
mod data;
mod forgot_password;
mod invitations;
mod not_found;
mod settings;
mod sign_in;
mod sign_up;
mod sso;
mod task_row;
mod two_factor;
mod verify_email;

pub use admin::Administration;
pub use dashboard::Dashboard;
pub use data::YourData;
pub use forgot_password::ForgotPassword;
pub use not_found::NotFound;
pub use settings::Settings;
pub use sign_in::SignIn;
pub use sign_up::SignUp;

//! Form parts: the email and password fields (with the live checks the server's rules make) and
//! the form with its submit button.

mod email_field;
mod password_field;
mod submit;

pub use email_field::EmailField;
pub use password_field::{Checklist, PasswordField};
pub use submit::{Form, SubmitButton};

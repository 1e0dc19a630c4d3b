//! Credentials: argon2id password hashing and HS256 access tokens.

pub mod password;
pub mod refresh;
pub mod token;

pub use password::PasswordHasher;
pub use token::{Claims, TokenError, TokenKeys, VerifiedToken};

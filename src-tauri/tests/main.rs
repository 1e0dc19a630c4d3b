//! The desktop shell's integration tests, one binary (each file a module): its logic without a
//! window against the embedded server and a real remote one, the second factor, and remote mode's
//! sync engine, replica and loop.

mod support;

mod hostile_server;
mod second_factor;
mod shell;
mod sync;

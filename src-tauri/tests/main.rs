//! The desktop shell's integration tests, one binary (each file a module): its logic without a
//! window against the embedded server and a real remote one, the second factor, remote mode's
//! sync engine, replica and loop, and your data (backups, export and import, the move).

mod support;

mod data;
mod hostile_server;
mod language;
mod second_factor;
mod shell;
mod sync;

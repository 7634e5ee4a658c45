//! Integration tests: the real binary against wiremock servers and the
//! sandbox. One test binary (modules below) keeps link time down.

mod support;

mod agents;
mod agents_writes;
mod approvals;
mod approvals_watch;
mod bad_input;
mod complete;
mod compression;
mod config;
mod config_dry_run;
mod config_init;
mod config_keychain;
#[cfg(unix)]
mod config_safety;
mod errors;
mod examples;
mod exec;
mod exec_faults;
mod faults;
mod faults_net;
mod global;
mod hints;
mod hostile_loops;
mod hostile_net;
mod join_keys;
mod list_aliases;
mod meta;
mod props;
mod raw_server;
mod round_trips;
mod sandbox_e2e;
mod sandbox_knowledge;
mod screen;
mod secrets;
mod shell_hints;
mod status;
mod status_probe;
mod terminal;
mod terminal_fit;
mod terminal_safety;
mod tls;

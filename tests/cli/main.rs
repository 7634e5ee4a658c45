//! Integration tests: the real binary against wiremock servers and the
//! sandbox. One test binary (modules below) keeps link time down.

mod support;

mod agents;
mod agents_writes;
mod approvals;
mod approvals_watch;
mod bad_input;
mod compression;
mod config;
mod config_dry_run;
#[cfg(unix)]
mod config_safety;
mod errors;
mod exec;
mod exec_faults;
mod faults;
mod faults_net;
mod global;
mod hostile_loops;
mod hostile_net;
mod join_keys;
mod meta;
mod props;
mod raw_server;
mod sandbox_e2e;
mod secrets;
mod shell_hints;
mod status;
mod terminal;
mod terminal_safety;
mod tls;

//! In-process tests: each command runs through `xeroctl::run` with its
//! stdout and stderr captured in memory (no process spawned), against a
//! wiremock router. Every assertion snapshots the whole run — stdout,
//! stderr and exit code — so an extra or changed line shows up in review.

mod agent_control;
mod agents;
mod approvals;
mod candidates;
mod formats;
mod help;
mod invocations;
mod join_keys;
mod learnings;
mod paging;
mod scripting;
mod scripting_streams;
mod support;

//! Integration tests: the real binary against wiremock servers and the
//! sandbox. One test binary (modules below) keeps link time down.

mod support;

mod agents;
mod exec;

//! Integration tests: one binary, one module per area, each driving the real `dcrctl`.

mod accounts;
mod cli;
mod cli_hardening;
mod contention;
mod crash;
mod durability;
mod generated;
mod hostile_cli;
mod hostile_cli_output;
mod hostile_http;
mod hostile_http_heads;
mod hostile_http_manage;
mod hostile_wire;
mod http;
mod maintenance;
mod openapi;
mod provisioning;
mod secrets;
mod storage;
mod terminal;
mod tls;
mod undelivered;
mod util;
mod validation;

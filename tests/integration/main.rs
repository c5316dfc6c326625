//! Integration tests: one binary, one module per area, each driving the real `dcrctl`.

mod accounts;
mod cli;
mod crash;
mod durability;
mod generated;
mod http;
mod maintenance;
mod openapi;
mod provisioning;
mod storage;
mod terminal;
mod util;
mod validation;

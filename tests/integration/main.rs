//! The integration test harness: one test target, one module per theme.
//!
//! `support` builds test editions and runs the `qingdan` binary in a
//! temporary directory; the other modules each guard one capability.

mod support;

mod build;
mod cli;
mod corpus;
mod crashes;
mod damaged;
mod diagnostics;
mod diff;
mod docs;
mod files;
mod fixtures;
mod formats;
mod html;
mod messages;
mod originals;
mod outputs;
mod pathological;
mod properties;
mod sample;
mod schema;
mod snapshots;
mod stdout;
mod variants;
mod vocabulary;
mod workbook;

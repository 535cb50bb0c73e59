//! Lontara: a static site generator for catalogues of public-service innovations.
//!
//! The pipeline runs one way: `config` → `content` (load, validate, Catalogue) → `site`
//! (pages, feed, data) → `output` (staging folder, atomic swap). `main.rs` only parses
//! arguments and calls the functions of `commands`.

pub mod book;
pub mod bundle;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod emblem;
pub mod engine;
pub mod init;
pub mod markdown;
pub mod output;
pub mod serve;
pub mod site;
pub mod text;

//! Shared HTTP plumbing of every capability: the one error type and its JSON body
//! ([`error`]), the server's state ([`state`]), accounts' sessions and the role matrix
//! ([`auth`], [`sessions`]), CSRF ([`csrf`]), security headers and Chinese errors for bare responses
//! ([`security`]), the layers around every route ([`harden`]), forms ([`forms`]), serde names and JSON values
//! ([`json`]), the request
//! context ([`context`]), page layout and shared view helpers ([`views`]), people's words on screen — Beijing
//! time, display names, Chinese action names, audit field tables ([`words`]), what map pages tell
//! the map script ([`mapview`]), file downloads ([`download`]), long work finished in the
//! background with its progress ([`jobs`]) and the embedded assets ([`assets`]). Nothing here imports a capability.

pub mod assets;
pub mod auth;
pub mod context;
pub mod csrf;
pub mod download;
pub mod error;
pub mod extract;
pub mod forms;
pub mod harden;
pub mod jobs;
pub mod json;
pub mod listing;
pub mod mapview;
pub mod security;
pub mod sessions;
pub mod state;
pub mod views;
pub mod words;

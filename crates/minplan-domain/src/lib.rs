//! # minplan-domain
//!
//! The domain of minplan: the plan as data ([`plan`]), plan bundles and their checks
//! ([`bundle`]), citations into the plan text ([`citation`]), units ([`units`]) and minerals
//! ([`minerals`]); applications and their review ([`application`], [`review`]); the register
//! of rights with its lifecycle and the mines' annual reports ([`register`]); plan monitoring,
//! evaluation, the annual plan and reminders ([`monitoring`]); calendar dates ([`date`]).
//!
//! Pure: values in, values out. No files, no database, no clock — callers pass the bundle's
//! bytes and the time in.

pub mod application;
pub mod attachment;
pub mod bundle;
pub mod calendar;
pub mod citation;
pub mod credit_code;
pub mod date;
pub mod disclosure;
mod labels;
pub mod layer;
pub mod limits;
pub mod minerals;
pub mod monitoring;
pub mod plan;
pub mod record_number;
pub mod register;
pub mod restoration;
pub mod review;
pub mod rights;
pub mod serde_zh;
pub mod supervision;
pub mod units;

pub use bundle::{BundleError, BundleErrors, BundleFiles, LoadedBundle, load_bundle};
pub use citation::{Citation, PlanText};
pub use credit_code::CreditCode;
pub use plan::Plan;
pub use record_number::RecordNumber;

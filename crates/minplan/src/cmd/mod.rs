//! One module per command group; each calls library functions and formats their results.

pub mod coords;

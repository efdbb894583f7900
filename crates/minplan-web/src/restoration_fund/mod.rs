//! (being built.)

use crate::AppState;

/// The routes.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
}

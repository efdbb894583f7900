//! # minplan-geo
//!
//! CGCS2000 geodesy and geometry for mining-right corner coordinates (拐点坐标):
//! Gauss–Krüger zones ([`crs`]), the Transverse Mercator projection ([`tmerc`]) and its inverse
//! by tiles for many nearby points ([`tiled`]), plane and
//! ellipsoidal areas per TD/T 1055-2019 附录D ([`area`]), geodesic distances ([`geodesic`]), and corner coordinates: reading,
//! checking and official areas ([`corners`]), and the overlay of a polygon with prepared
//! layers at speed ([`overlay`]).
//!
//! This crate is pure: it takes values and returns values. No files, no database, no clock.
//!
//! Conventions: Chinese tables write **X = northing, Y = easting**; functions that take plane
//! coordinates say which order they take. Longitude/latitude are degrees in RFC 7946 order
//! (longitude first).

pub mod area;
mod clip;
pub mod corners;
pub mod crs;
pub mod ellipsoid;
pub mod geodesic;
pub mod overlay;
pub mod tiled;
pub mod tmerc;

pub use crs::{Crs, GaussKrugerZone, ZoneWidth};
pub use ellipsoid::Ellipsoid;
pub use tiled::TiledInverse;
pub use tmerc::TransverseMercator;

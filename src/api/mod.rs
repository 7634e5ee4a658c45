//! HTTP access to the router: one small client, typed models, paging.

pub mod client;
pub mod errors;
mod log;
pub mod models;
pub mod paginate;
pub mod path;
mod retry;
mod transport;

pub use client::{ApiRequest, ApiResponse, Client};
pub use paginate::Pager;
pub use path::id_segment;

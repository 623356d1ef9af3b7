//! The parts of an HTTP server that every gongdu server shares (`serve` today, the LAN mirror
//! server next), on axum + hyper + tokio: who may ask ([`host`]), how many connections and for
//! how long ([`server`]), what the request headers ask for ([`headers`]), and responses for
//! files held in memory ([`response`]). What a server answers (its routes) stays with that
//! server.

pub(crate) mod headers;
pub(crate) mod host;
pub(crate) mod path;
pub(crate) mod response;
pub(crate) mod server;

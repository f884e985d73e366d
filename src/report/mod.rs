//! Every output format. Nothing here decides a score or a diagnostic; it only
//! presents them.

pub mod diagnostics;

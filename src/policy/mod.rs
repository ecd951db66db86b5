//! IAM policies: typed documents, the builders of every policy this provider
//! writes, and semantic equivalence.
//!
//! Layer: pure. Nothing here performs I/O or calls AWS; callers in
//! `crate::aws` fetch and send the JSON text these functions produce or read.
//! Builders are deterministic byte for byte because the plan shows their
//! output verbatim and any jitter would be a perpetual diff.

pub mod actions;
pub mod builders;
pub mod document;
pub mod equivalence;

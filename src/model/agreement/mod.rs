//! Inter-annotator agreement. docs/agreement.md is the contract: every definition there is what
//! these functions compute.

pub mod clitics;
pub mod compare;
pub mod figure;
pub mod layers;
pub mod pairing;
pub mod unitizing;

pub use figure::Figure;
pub use layers::SpanFilter;

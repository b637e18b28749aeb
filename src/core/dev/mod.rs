//! Tools for developers and tests, hidden from learners.

pub mod generate;

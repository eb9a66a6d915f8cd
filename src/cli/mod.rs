//! The CLI's commands, one file each, and what they share (loading files, drawing findings).

pub mod audit;
pub mod check;
pub mod eval;
pub mod load;
pub mod render;
pub mod rules;

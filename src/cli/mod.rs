//! The CLI's commands, one file each, and what they share (loading files, drawing findings).

pub mod audit;
pub mod check;
pub mod eval;
pub mod load;
pub mod render;
pub mod rules;
pub mod train;

/// Writes a command's whole output to stdout at once. A reader that stops early (`| head`) is not an error
/// of the command: the rest is dropped quietly instead of the panic `println!` gives on a closed pipe.
pub fn print(text: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
}

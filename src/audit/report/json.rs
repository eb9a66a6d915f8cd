//! The audit report as JSON for tooling: the [`Report`] structure as is (fields documented in
//! [`super`]), pretty-printed, one object.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("the report serializes");
    out.push('\n');
    out
}

//! The start of a body, bounded and made printable, for error messages.

/// The most bytes of a body an error message quotes.
pub const SNIPPET_LIMIT: usize = 256;

/// The start of `body` for an error message: at most [`SNIPPET_LIMIT`] bytes,
/// cut on a character boundary, with the total length when cut.
pub fn snippet(body: &[u8]) -> String {
    if body.is_empty() {
        return "an empty body".to_owned();
    }
    let head = &body[..body.len().min(SNIPPET_LIMIT)];
    let text = String::from_utf8_lossy(head);
    // A multi-byte character cut at the limit shows up as U+FFFD at the end; drop it.
    let text = if body.len() > SNIPPET_LIMIT { text.trim_end_matches('\u{FFFD}') } else { &text };
    let text: String = text.chars().map(|c| if c.is_control() && c != ' ' { ' ' } else { c }).collect();
    if body.len() > SNIPPET_LIMIT { format!("{text:?}… ({} bytes in all)", body.len()) } else { format!("{text:?}") }
}

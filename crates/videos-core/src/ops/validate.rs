//! Checks on input, against the limits the fragment states.

use videos_types::limits;

use crate::error::InvalidInput;

/// A prompt: 1 to 32000 characters.
pub(crate) fn prompt(field: &str, value: &str) -> Result<(), InvalidInput> {
    length(field, value, limits::PROMPT_MIN_LENGTH, limits::PROMPT_MAX_LENGTH)
}

/// A character name: 1 to 80 characters.
pub(crate) fn character_name(value: &str) -> Result<(), InvalidInput> {
    length("name", value, limits::CHARACTER_NAME_MIN_LENGTH, limits::CHARACTER_NAME_MAX_LENGTH)
}

/// A length in characters (Unicode scalar values, as JSON Schema counts).
pub(crate) fn length(field: &str, value: &str, min: usize, max: usize) -> Result<(), InvalidInput> {
    // Counting stops one past the maximum, so a huge value costs no more than a valid one.
    let count = value.chars().take(max + 1).count();
    if count < min {
        return Err(InvalidInput::new(
            field,
            if min == 1 { "must not be empty".to_owned() } else { format!("must be at least {min} characters") },
        ));
    }
    if count > max {
        return Err(InvalidInput::new(field, format!("must be at most {max} characters")));
    }
    Ok(())
}

/// An id that goes in the body rather than the path.
pub(crate) fn id(field: &str, value: &str) -> Result<(), InvalidInput> {
    if value.is_empty() { Err(InvalidInput::new(field, "must not be empty")) } else { Ok(()) }
}

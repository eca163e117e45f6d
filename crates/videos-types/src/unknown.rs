//! The value an open enum holds when the service sends something this
//! version of the SDK does not list.

use std::fmt;

/// A string value of an open enum that this SDK version does not list.
///
/// Opaque on purpose: it can only come from a string that matches no listed
/// value, so `VideoSize::Unknown(..)` never spells `720x1280`. Build one
/// through the enum's `From<&str>`, which picks the listed variant when there
/// is one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a string the caller has checked matches no listed value.
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The value exactly as the service sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

//! The error of a token provider that could not supply a token.

use std::fmt;

/// A token provider failed, or gave a token no header can carry. The call
/// ends without sending; the provider's own error is the `source()`.
#[derive(Debug)]
#[non_exhaustive]
pub struct CredentialError {
    /// What went wrong, in a phrase (never the token itself).
    pub reason: String,
    /// The provider's error, when it returned one.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CredentialError {
    /// A failure for `reason`, with the provider's error when there is one.
    pub fn new(reason: impl Into<String>, source: Option<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self { reason: reason.into(), source }
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credential: {}", self.reason)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

//! A job-creating call that ended with its outcome unknown.

use std::fmt;

use super::Error;

/// A job-creating call (create, remix, edit, extend, create character) gave
/// up within its patience without an answer that said whether a job was
/// made: the request may have reached the service (a cut or missing answer,
/// a reset or timeout after sending, a 5xx). The same call with
/// `idempotency_key` gets the job if there is one, and never makes a second.
#[derive(Debug)]
#[non_exhaustive]
pub struct JobMayExist {
    /// The `Idempotency-Key` every attempt carried.
    pub idempotency_key: String,
    /// The last attempt's failure.
    pub last: Error,
}

impl fmt::Display for JobMayExist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no answer said whether a job was made, so the service may have made one: the same call with \
             idempotency key {} gets it without making another",
            self.idempotency_key
        )
    }
}

impl std::error::Error for JobMayExist {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.last)
    }
}

//! Moments as the API sends them: Unix seconds, whole from the service,
//! sometimes fractional or in milliseconds from a gateway. The number is
//! kept exactly as it arrived, so writing a response back out gives the
//! same text; reading it gives seconds whatever the unit.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The largest number read as Unix seconds (10^11, in the year 5138): some
/// gateways send milliseconds, and a larger number is read as those.
pub const MILLIS_ABOVE: i64 = 100_000_000_000;

/// A moment in Unix seconds, such as a job's `created_at` (or in
/// milliseconds, as some gateways send it: see [`MILLIS_ABOVE`]).
///
/// ```
/// use videos_types::UnixTime;
/// let t: UnixTime = serde_json::from_str("1712697600.25").unwrap();
/// assert_eq!(t.as_secs(), 1712697600);
/// assert_eq!(serde_json::to_string(&t).unwrap(), "1712697600.25");
/// assert_eq!(UnixTime::from_secs(5).as_secs(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnixTime(serde_json::Number);

/// The epoch, so that generated types holding a time can be `Default`.
impl Default for UnixTime {
    fn default() -> Self {
        Self(0.into())
    }
}

impl UnixTime {
    /// The moment `secs` whole seconds after the Unix epoch.
    pub fn from_secs(secs: i64) -> Self {
        Self(secs.into())
    }

    /// Whole seconds, rounded down; saturates for values outside `i64`
    /// (a fraction far beyond any real date), and 0 for a non-number. A
    /// value too large to be seconds (over [`MILLIS_ABOVE`], the year 5138)
    /// is a gateway's milliseconds, and read as such.
    pub fn as_secs(&self) -> i64 {
        match self.0.as_i64() {
            Some(ms) if ms.unsigned_abs() > MILLIS_ABOVE as u64 => ms.div_euclid(1000),
            Some(secs) => secs,
            // `as` saturates, and maps NaN (which JSON cannot carry) to 0.
            None => self.as_f64().floor() as i64,
        }
    }

    /// Seconds, with any fraction (milliseconds read as seconds, see [`UnixTime::as_secs`]).
    pub fn as_f64(&self) -> f64 {
        let raw = self.0.as_f64().unwrap_or_default();
        if raw.abs() > MILLIS_ABOVE as f64 { raw / 1000.0 } else { raw }
    }

    /// Whether the number was sent in milliseconds (it is over [`MILLIS_ABOVE`]).
    pub fn is_millis(&self) -> bool {
        self.0.as_f64().is_some_and(|raw| raw.abs() > MILLIS_ABOVE as f64)
    }

    /// As a [`SystemTime`], when it is one this platform can represent.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let secs = self.as_f64();
        if secs >= 0.0 {
            UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(secs).ok()?)
        } else {
            UNIX_EPOCH.checked_sub(Duration::try_from_secs_f64(-secs).ok()?)
        }
    }

    /// The number exactly as it was read.
    pub fn as_number(&self) -> &serde_json::Number {
        &self.0
    }
}

impl From<i64> for UnixTime {
    fn from(secs: i64) -> Self {
        Self::from_secs(secs)
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

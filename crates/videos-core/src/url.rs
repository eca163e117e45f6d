//! Percent-encoding of path segments and query values, for requests and
//! for the default query a configuration carries.
//!
//! Everything but RFC 3986's unreserved characters is encoded, so an id can
//! never add a path segment, a query or a fragment. The two dot segments
//! are refused outright: URL parsers (reqwest's among them) treat `.`, `..`
//! and even `%2e%2e` as directory steps, so no encoding makes them safe.

use crate::error::InvalidInput;

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Appends `value` percent-encoded to `out`.
pub(crate) fn encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Ids are almost always all unreserved: copy runs of them whole, and
    // escape the other bytes by table (formatting each cost more than the
    // rest of building a request).
    let mut start = 0;
    for (i, &byte) in value.as_bytes().iter().enumerate() {
        if is_unreserved(byte) {
            continue;
        }
        // A run ends before a byte that is not unreserved ASCII: a char boundary.
        out.push_str(value.get(start..i).unwrap_or_default());
        out.extend(['%', char::from(HEX[usize::from(byte >> 4)]), char::from(HEX[usize::from(byte & 15)])]);
        start = i + 1;
    }
    out.push_str(value.get(start..).unwrap_or_default());
}

/// `value` as one path segment, or why it cannot be one.
pub(crate) fn path_segment(field: &str, value: &str) -> Result<String, InvalidInput> {
    if value.is_empty() {
        return Err(InvalidInput::new(field, "must not be empty"));
    }
    if value == "." || value == ".." {
        return Err(InvalidInput::new(field, format!("{value:?} is not an id")));
    }
    let mut out = String::with_capacity(value.len());
    encode_into(&mut out, value);
    Ok(out)
}

/// A query string under construction (without the leading `?`).
#[derive(Debug, Default)]
pub(crate) struct Query(String);

impl Query {
    /// A query that starts with `encoded`, taken as it is (a base URL's own query).
    pub(crate) fn from_encoded(encoded: &str) -> Self {
        Self(encoded.to_owned())
    }

    /// Appends an already encoded query (`a=1&b=2`).
    pub(crate) fn append_encoded(&mut self, encoded: &str) {
        if encoded.is_empty() {
            return;
        }
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0.push_str(encoded);
    }

    /// Appends `key=value`, both encoded.
    pub(crate) fn push(&mut self, key: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        encode_into(&mut self.0, key);
        self.0.push('=');
        encode_into(&mut self.0, value);
    }

    /// Appends `key=value` when there is a value.
    pub(crate) fn push_opt(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.push(key, value);
        }
    }

    /// The encoded query, empty when nothing was pushed.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_stay_one_segment() {
        assert_eq!(path_segment("video_id", "../files").unwrap(), "..%2Ffiles");
        assert_eq!(path_segment("video_id", "a/b?c=d").unwrap(), "a%2Fb%3Fc%3Dd");
        assert_eq!(path_segment("video_id", "%2e%2e").unwrap(), "%252e%252e");
        assert_eq!(path_segment("video_id", "x#y z").unwrap(), "x%23y%20z");
        assert_eq!(path_segment("video_id", "video_123").unwrap(), "video_123");
        assert_eq!(path_segment("video_id", "é").unwrap(), "%C3%A9");
        assert_eq!(path_segment("video_id", "aé/b😀c").unwrap(), "a%C3%A9%2Fb%F0%9F%98%80c");
        assert_eq!(path_segment("video_id", "%").unwrap(), "%25");
    }

    /// Every string encodes to unreserved bytes and escapes only, and
    /// decodes back to itself.
    #[test]
    fn encoding_round_trips() {
        let samples = ["", "video_1", "a b", "é", "😀x", "~-._", "\u{0}\u{7f}\u{80}", "x%y/z?#[]@!$&'()*+,;="];
        for sample in samples {
            let mut out = String::new();
            encode_into(&mut out, sample);
            assert!(out.bytes().all(|b| is_unreserved(b) || b == b'%'), "{out}");
            let mut decoded = Vec::new();
            let bytes = out.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    decoded.push(u8::from_str_radix(&out[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    decoded.push(bytes[i]);
                    i += 1;
                }
            }
            assert_eq!(decoded, sample.as_bytes());
        }
    }

    #[test]
    fn empty_and_dot_ids_are_refused() {
        assert_eq!(path_segment("video_id", "").unwrap_err().to_string(), "invalid video_id: must not be empty");
        assert!(path_segment("video_id", "..").is_err());
        assert!(path_segment("video_id", ".").is_err());
    }

    #[test]
    fn query_values_are_encoded() {
        let mut q = Query::default();
        q.push("after", "v&limit=1");
        q.push_opt("order", None);
        q.push("limit", "5");
        assert_eq!(q.as_str(), "after=v%26limit%3D1&limit=5");
    }
}

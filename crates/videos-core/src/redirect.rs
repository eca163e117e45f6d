//! Following redirects without leaking credentials.
//!
//! A compatible gateway may answer a content download with a redirect to a
//! signed URL on another host. The transport follows it, but only the core
//! decides where to and with which headers: to a different origin, the
//! `Authorization`, organization, project and cookie headers are dropped.

use http::header::{AUTHORIZATION, COOKIE, LOCATION, PROXY_AUTHORIZATION};
use http::{HeaderMap, Method, StatusCode, Uri};

use crate::error::{Error, TransportError, TransportErrorKind};
use crate::request::{OPENAI_ORGANIZATION, OPENAI_PROJECT};

/// The most redirects one call follows.
pub const MAX_REDIRECTS: usize = 5;

/// Where a redirect leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The absolute URL to request next.
    pub uri: Uri,
    /// The method for it (a 303 turns anything into GET).
    pub method: Method,
    /// Whether it goes to the same scheme, host and port, so credentials may follow.
    pub same_origin: bool,
}

/// The redirect a response asks for, if any. `hops` is how many were
/// already followed for this call.
pub fn follow(
    from: &Uri,
    method: &Method,
    status: StatusCode,
    headers: &HeaderMap,
    hops: usize,
) -> Result<Option<Redirect>, Error> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let fail = |what: String| Error::Transport(TransportError::new(TransportErrorKind::Redirect, what));
    if hops >= MAX_REDIRECTS {
        return Err(fail(format!("more than {MAX_REDIRECTS} redirects")));
    }
    let location = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| fail(format!("{status} without a usable Location")))?;
    let uri = resolve(from, location).ok_or_else(|| fail(format!("Location {location:?} is not a URL")))?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return Err(fail(format!("Location {location:?} is not http or https")));
    }
    let same_origin = uri.scheme() == from.scheme() && uri.authority() == from.authority();
    let method = if status == StatusCode::SEE_OTHER { Method::GET } else { method.clone() };
    Ok(Some(Redirect { uri, method, same_origin }))
}

/// The headers to send along a redirect: all of them within the origin,
/// none of the credentials outside it.
pub fn headers_for(redirect: &Redirect, headers: &HeaderMap) -> HeaderMap {
    let mut out = headers.clone();
    if !redirect.same_origin {
        for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE, OPENAI_ORGANIZATION, OPENAI_PROJECT] {
            out.remove(name);
        }
    }
    out
}

fn resolve(base: &Uri, location: &str) -> Option<Uri> {
    let parsed: Uri = location.parse().ok()?;
    if parsed.scheme().is_some() {
        return Some(parsed);
    }
    let mut parts = http::uri::Parts::default();
    parts.scheme = base.scheme().cloned();
    parts.authority = base.authority().cloned();
    let path = if location.starts_with('/') {
        location.to_owned()
    } else {
        let dir = base.path().rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{location}")
    };
    parts.path_and_query = Some(path.parse().ok()?);
    Uri::from_parts(parts).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn location(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(LOCATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn cross_host_redirects_drop_credentials() {
        let from: Uri = "https://gateway.example/v1/videos/v/content".parse().unwrap();
        let r = follow(&from, &Method::GET, StatusCode::FOUND, &location("https://cdn.example/x?sig=1"), 0)
            .unwrap()
            .unwrap();
        assert!(!r.same_origin);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer sk"));
        headers.insert(OPENAI_PROJECT, HeaderValue::from_static("p"));
        headers.insert("accept", HeaderValue::from_static("application/binary"));
        let sent = headers_for(&r, &headers);
        assert!(sent.get(AUTHORIZATION).is_none() && sent.get(OPENAI_PROJECT).is_none());
        assert_eq!(sent.get("accept").unwrap(), "application/binary");
    }

    #[test]
    fn relative_and_same_host_redirects_keep_credentials() {
        let from: Uri = "http://127.0.0.1:8080/v1/videos/v/content".parse().unwrap();
        let r =
            follow(&from, &Method::GET, StatusCode::TEMPORARY_REDIRECT, &location("/files/v.mp4"), 0).unwrap().unwrap();
        assert!(r.same_origin);
        assert_eq!(r.uri, "http://127.0.0.1:8080/files/v.mp4");
        let other_port =
            follow(&from, &Method::GET, StatusCode::FOUND, &location("http://127.0.0.1:9/x"), 0).unwrap().unwrap();
        assert!(!other_port.same_origin);
    }

    #[test]
    fn loops_and_garbage_are_errors() {
        let from: Uri = "http://h/a".parse().unwrap();
        assert!(follow(&from, &Method::GET, StatusCode::FOUND, &location("/b"), MAX_REDIRECTS).is_err());
        assert!(follow(&from, &Method::GET, StatusCode::FOUND, &HeaderMap::new(), 0).is_err());
        assert!(follow(&from, &Method::GET, StatusCode::FOUND, &location("ftp://h/x"), 0).is_err());
        assert_eq!(follow(&from, &Method::GET, StatusCode::OK, &location("/b"), 0).unwrap(), None);
    }
}

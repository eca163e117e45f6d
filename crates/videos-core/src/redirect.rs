//! Following redirects without leaking credentials.
//!
//! A compatible gateway may answer a content download with a redirect to a
//! signed URL on another host. The transport follows it, but only the core
//! decides where to and with which headers: to a different origin, every
//! credential (`Authorization`, `api-key`, cookies, any header marked
//! sensitive) and the organization and project headers are dropped.

use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION, PROXY_AUTHORIZATION};
use http::{HeaderMap, HeaderName, Method, Request, StatusCode, Uri};

use crate::request::Body;

use crate::config::auth::is_secret_header;
use crate::error::{TransportError, TransportFailure};
use crate::header::{OPENAI_ORGANIZATION, OPENAI_PROJECT};

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
) -> Result<Option<Redirect>, TransportError> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let fail = |what: String| TransportError::new(TransportFailure::Redirect, what);
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
    let same_origin = same_origin(&uri, from);
    let method = if status == StatusCode::SEE_OTHER { Method::GET } else { method.clone() };
    Ok(Some(Redirect { uri, method, same_origin }))
}

/// Whether two URIs share an origin: scheme and authority (host and port)
/// alike. The one test of it: credentials follow a redirect only within one.
pub fn same_origin(a: &Uri, b: &Uri) -> bool {
    a.scheme() == b.scheme() && a.authority() == b.authority()
}

/// The headers to send along a redirect: all of them within the origin,
/// none of the credentials outside it.
pub fn headers_for(redirect: &Redirect, headers: &HeaderMap) -> HeaderMap {
    let mut out = headers.clone();
    if !redirect.same_origin {
        for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE, OPENAI_ORGANIZATION, OPENAI_PROJECT] {
            out.remove(name);
        }
        // Every other credential too: an Azure `api-key`, any header a
        // caller marked secret (sensitive), any header named like a secret.
        let secret: Vec<HeaderName> = out
            .iter()
            .filter(|(name, value)| value.is_sensitive() || is_secret_header(name))
            .map(|(name, _)| name.clone())
            .collect();
        for name in secret {
            out.remove(name);
        }
    }
    out
}

/// The request to send after `response_status`/`response_headers` answered
/// `request`, when they ask for a redirect: the new URL and method, the
/// headers [`headers_for`] allows, and no body once the method became GET.
pub fn next_request(
    request: &Request<Body>,
    status: StatusCode,
    response_headers: &HeaderMap,
    hops: usize,
) -> Result<Option<Request<Body>>, TransportError> {
    let Some(redirect) = follow(request.uri(), request.method(), status, response_headers, hops)? else {
        return Ok(None);
    };
    let mut headers = headers_for(&redirect, request.headers());
    let body = if redirect.method == Method::GET && request.method() != Method::GET {
        headers.remove(CONTENT_TYPE);
        headers.remove(CONTENT_LENGTH);
        Body::Empty
    } else {
        request.body().clone()
    };
    let mut next = Request::new(body);
    *next.method_mut() = redirect.method;
    *next.uri_mut() = redirect.uri;
    *next.headers_mut() = headers;
    Ok(Some(next))
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
    fn a_303_after_a_post_becomes_a_bodiless_get() {
        let mut request = Request::new(Body::Bytes(bytes::Bytes::from_static(b"{}")));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = "http://h/v1/videos".parse().unwrap();
        request.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        request.headers_mut().insert(AUTHORIZATION, HeaderValue::from_static("Bearer sk"));
        let next = next_request(&request, StatusCode::SEE_OTHER, &location("/v1/videos/v"), 0).unwrap().unwrap();
        assert_eq!(next.method(), Method::GET);
        assert_eq!(next.body(), &Body::Empty);
        assert!(next.headers().get(CONTENT_TYPE).is_none());
        assert_eq!(next.headers()[AUTHORIZATION], "Bearer sk", "same origin keeps credentials");
        let next =
            next_request(&request, StatusCode::TEMPORARY_REDIRECT, &location("https://other/x"), 0).unwrap().unwrap();
        assert_eq!((next.method(), next.body().content_length()), (&Method::POST, 2));
        assert!(next.headers().get(AUTHORIZATION).is_none());
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

//! The service's address, checked and taken apart once when it is set.

use http::uri::{Authority, Scheme};

use crate::error::InvalidInput;

/// A base URL in the parts every request is built from.
#[derive(Clone, Debug)]
pub(crate) struct BaseUrl {
    pub(crate) scheme: Scheme,
    pub(crate) authority: Authority,
    /// The path, without a trailing slash (`/v1`).
    pub(crate) path: String,
    /// The URL's own query, encoded as given (`api-version=…`), or empty.
    pub(crate) query: String,
}

impl BaseUrl {
    /// OpenAI's own address.
    pub(crate) fn openai() -> Self {
        Self {
            scheme: Scheme::HTTPS,
            authority: Authority::from_static("api.openai.com"),
            path: "/v1".to_owned(),
            query: String::new(),
        }
    }

    /// Reads `url`: any `http` or `https` URL with a host and no user or
    /// password; a trailing slash is dropped and a query kept. What is wrong
    /// is said, but the value is never repeated: a key pasted where the URL
    /// goes (two variables swapped) would otherwise land in the terminal and
    /// in CI logs.
    pub(crate) fn parse(url: &str) -> Result<Self, InvalidInput> {
        let (without_query, query) = match url.trim().split_once('?') {
            Some((base, query)) => (base, query),
            None => (url.trim(), ""),
        };
        let trimmed = without_query.trim_end_matches('/');
        let uri: http::Uri = trimmed.parse().map_err(|_| {
            InvalidInput::new("base_url", "is not a URL (its text is not shown, in case it holds a secret)")
        })?;
        let wrong = match (uri.scheme_str(), uri.host()) {
            (None, _) => Some("has no scheme: give an absolute URL starting with http:// or https://"),
            (Some("http" | "https"), None) => Some("has no host"),
            (Some("http" | "https"), Some(_)) => None,
            (Some(_), _) => Some("is not http or https"),
        };
        if let Some(wrong) = wrong {
            let reason = format!("{wrong} (the value is not shown, in case it holds a secret)");
            return Err(InvalidInput::new("base_url", reason));
        }
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return Err(InvalidInput::new("base_url", "has no host"));
        };
        if authority.as_str().contains('@') {
            return Err(InvalidInput::new(
                "base_url",
                "carries a user or password; give the key with the API key setting instead (the URL is not shown)",
            ));
        }
        if !query.is_empty() && http::uri::PathAndQuery::try_from(format!("/?{query}")).is_err() {
            return Err(InvalidInput::new("base_url", "has a query that is not valid in a URL"));
        }
        Ok(Self {
            scheme: scheme.clone(),
            authority: authority.clone(),
            path: uri.path().trim_end_matches('/').to_owned(),
            query: query.to_owned(),
        })
    }
}

//! Client configuration: where to send requests, how to authenticate, and
//! the defaults every transport shares (timeouts, retries, user agent).

use std::fmt;
use std::time::Duration;

use http::header::{AUTHORIZATION, USER_AGENT};
use http::uri::{Authority, Scheme};
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, InvalidInput};
use crate::header::{OPENAI_ORGANIZATION, OPENAI_PROJECT};
use crate::retry::RetryPolicy;

/// The service's address when none is configured.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// How long to wait for a TCP/TLS connection, as the official SDKs do.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one request may take in all, as the official SDKs do (10 minutes:
/// creating a job with a large upload can be slow).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(600);

/// How long a response may go silent between two reads of its body before
/// the call gives up. Only this bounds a download's body, whose length is
/// legitimately open; JSON bodies are also bounded by the request timeout.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// An API key. Its `Debug` and `Display` never show the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a secret key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The secret itself, for building the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Everything a transport needs to reach the service.
///
/// Built with [`Config::new`] or [`Config::from_env`], then adjusted with the
/// `with_*` methods:
///
/// ```
/// use videos_core::Config;
/// let config = Config::new("sk-test").with_base_url("http://127.0.0.1:8080/v1/").unwrap();
/// assert_eq!(config.base_url(), "http://127.0.0.1:8080/v1");
/// assert!(!format!("{config:?}").contains("sk-test"));
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    base_url: String,
    api_key: Option<ApiKey>,
    organization: Option<String>,
    project: Option<String>,
    default_headers: HeaderMap,
    user_agent: String,
    /// When to retry and how long to wait in between.
    pub retry: RetryPolicy,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long one attempt may take, from sending to the end of the answer
    /// (to the end of the head for a download), redirects included.
    pub request_timeout: Duration,
    /// How long a response may go silent between two reads of its body.
    pub read_timeout: Duration,
    /// What every request needs, computed once per change rather than per request.
    prepared: Prepared,
}

/// The parts of every request that depend only on the configuration.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) scheme: Scheme,
    pub(crate) authority: Authority,
    /// The base URL's path, without a trailing slash (`/v1`).
    pub(crate) path_prefix: String,
    /// Default headers, then authorization, organization, project and user agent.
    pub(crate) headers: HeaderMap,
    /// A setting that cannot go in a header, reported when a request is built.
    pub(crate) error: Option<InvalidInput>,
}

impl Config {
    /// A configuration for the official service with `api_key`.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self::anonymous().with_api_key(api_key)
    }

    /// A configuration with no API key (for a local emulator that does not check one).
    pub fn anonymous() -> Self {
        let mut config = Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: None,
            organization: None,
            project: None,
            default_headers: HeaderMap::new(),
            user_agent: concat!("videos-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            prepared: Prepared {
                scheme: Scheme::HTTPS,
                authority: Authority::from_static("api.openai.com"),
                path_prefix: "/v1".to_owned(),
                headers: HeaderMap::new(),
                error: None,
            },
        };
        config.prepare();
        config
    }

    /// Recomputes [`Prepared`] after a change.
    fn prepare(&mut self) {
        fn value(field: &str, text: &str) -> Result<HeaderValue, InvalidInput> {
            HeaderValue::try_from(text)
                .map_err(|_| InvalidInput::new(field, "contains characters a header cannot carry"))
        }
        let mut error = None;
        let mut headers = self.default_headers.clone();
        let mut set = |name: HeaderName, result: Result<HeaderValue, InvalidInput>, sensitive: bool| match result {
            Ok(mut v) => {
                v.set_sensitive(sensitive);
                headers.insert(name, v);
            }
            Err(e) => error = error.take().or(Some(e)),
        };
        if let Some(key) = &self.api_key {
            set(AUTHORIZATION, value("api_key", &format!("Bearer {}", key.expose())), true);
        }
        if let Some(org) = &self.organization {
            set(OPENAI_ORGANIZATION, value("organization", org), false);
        }
        if let Some(project) = &self.project {
            set(OPENAI_PROJECT, value("project", project), false);
        }
        set(USER_AGENT, value("user_agent", &self.user_agent), false);
        // with_base_url validated the URL, so these parses succeed; keep the old parts if not.
        if let Ok(uri) = self.base_url.parse::<http::Uri>()
            && let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority())
        {
            self.prepared.scheme = scheme.clone();
            self.prepared.authority = authority.clone();
            self.prepared.path_prefix = uri.path().trim_end_matches('/').to_owned();
        }
        self.prepared.headers = headers;
        self.prepared.error = error;
    }

    pub(crate) fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// Reads `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID` and
    /// `OPENAI_PROJECT_ID`. Unset or empty variables keep the defaults.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Config::from_env`] over any source of variables (for tests, or a config file).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut config = Self::anonymous();
        config.api_key = var("OPENAI_API_KEY").map(ApiKey::new);
        if let Some(url) = var("OPENAI_BASE_URL") {
            config = config.with_base_url(&url)?;
        }
        config.organization = var("OPENAI_ORG_ID");
        config.project = var("OPENAI_PROJECT_ID");
        config.prepare();
        Ok(config)
    }

    /// Sends requests to `url` instead (any `http` or `https` URL; a trailing slash is ignored).
    pub fn with_base_url(mut self, url: &str) -> Result<Self, Error> {
        let trimmed = url.trim().trim_end_matches('/');
        let uri: http::Uri =
            trimmed.parse().map_err(|_| InvalidInput::new("base_url", format!("{url:?} is not a URL")))?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
            return Err(InvalidInput::new("base_url", format!("{url:?} must be an absolute http or https URL")).into());
        }
        if uri.query().is_some() {
            return Err(InvalidInput::new("base_url", format!("{url:?} must not carry a query")).into());
        }
        self.base_url = trimmed.to_owned();
        self.prepare();
        Ok(self)
    }

    /// Replaces the API key.
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey::new(key));
        self.prepare();
        self
    }

    /// Sends `OpenAI-Organization` on every request.
    pub fn with_organization(mut self, organization: impl Into<String>) -> Self {
        self.organization = Some(organization.into());
        self.prepare();
        self
    }

    /// Sends `OpenAI-Project` on every request.
    pub fn with_project(mut self, project: impl Into<String>) -> Self {
        self.project = Some(project.into());
        self.prepare();
        self
    }

    /// Adds a header to every request (a per-call header of the same name wins).
    pub fn with_default_header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = HeaderName::try_from(name)
            .map_err(|_| InvalidInput::new("default_headers", format!("{name:?} is not a header name")))?;
        let value = HeaderValue::try_from(value)
            .map_err(|_| InvalidInput::new("default_headers", format!("the value of {name} is not a header value")))?;
        self.default_headers.insert(name, value);
        self.prepare();
        Ok(self)
    }

    /// Replaces the `User-Agent` (default `videos-rs/VERSION`).
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self.prepare();
        self
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces both timeouts.
    pub fn with_timeouts(mut self, connect: Duration, request: Duration) -> Self {
        self.connect_timeout = connect;
        self.request_timeout = request;
        self
    }

    /// Replaces the idle timeout between reads of a response body.
    pub fn with_read_timeout(mut self, read: Duration) -> Self {
        self.read_timeout = read;
        self
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The API key, if any.
    pub fn api_key(&self) -> Option<&ApiKey> {
        self.api_key.as_ref()
    }

    /// The organization, if any.
    pub fn organization(&self) -> Option<&str> {
        self.organization.as_deref()
    }

    /// The project, if any.
    pub fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }

    /// Headers added to every request.
    pub fn default_headers(&self) -> &HeaderMap {
        &self.default_headers
    }

    /// The `User-Agent` sent.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The authority (`host[:port]`) requests go to, for telling same-host redirects from others.
    pub fn authority(&self) -> Option<String> {
        self.base_url.parse::<http::Uri>().ok()?.authority().map(|a| a.as_str().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn reads_the_environment() {
        let config = Config::from_vars(vars(&[
            ("OPENAI_API_KEY", "sk-secret"),
            ("OPENAI_BASE_URL", "http://localhost:9/v1/"),
            ("OPENAI_ORG_ID", "org-1"),
            ("OPENAI_PROJECT_ID", "proj-1"),
        ]))
        .unwrap();
        assert_eq!(config.api_key().unwrap().expose(), "sk-secret");
        assert_eq!(config.base_url(), "http://localhost:9/v1");
        assert_eq!(config.organization(), Some("org-1"));
        assert_eq!(config.project(), Some("proj-1"));
        assert_eq!(config.authority().as_deref(), Some("localhost:9"));
    }

    #[test]
    fn empty_variables_keep_defaults() {
        let config = Config::from_vars(vars(&[("OPENAI_BASE_URL", ""), ("OPENAI_API_KEY", " ")])).unwrap();
        assert_eq!(config.base_url(), DEFAULT_BASE_URL);
        assert!(config.api_key().is_none());
    }

    #[test]
    fn every_constructor_sends_the_key() {
        let auth = |c: &Config| c.prepared().headers.get(AUTHORIZATION).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(auth(&Config::new("sk-1")).as_deref(), Some("Bearer sk-1"));
        assert_eq!(auth(&Config::anonymous().with_api_key("sk-2")).as_deref(), Some("Bearer sk-2"));
        assert_eq!(
            auth(&Config::from_vars(vars(&[("OPENAI_API_KEY", "sk-3")])).unwrap()).as_deref(),
            Some("Bearer sk-3")
        );
        assert_eq!(auth(&Config::anonymous()), None);
    }

    #[test]
    fn the_key_never_shows_in_debug() {
        let config = Config::new("sk-very-secret");
        assert!(!format!("{config:?}").contains("sk-very-secret"));
        assert!(!format!("{:?}", config.api_key()).contains("sk-very-secret"));
    }

    #[test]
    fn bad_base_urls_name_the_field() {
        for url in ["not a url", "ftp://host/v1", "/v1", "http://host/v1?x=1"] {
            let err = Config::anonymous().with_base_url(url).unwrap_err();
            assert!(err.to_string().starts_with("invalid base_url: "), "{err}");
        }
    }
}

//! Client configuration: where to send requests, how to authenticate, and
//! the defaults every transport shares (timeouts, retries, user agent).
//! How credentials travel is in [`auth`]; reading them from the environment,
//! OpenAI's variables or Azure's, in [`env`].

pub mod auth;
mod base_url;
mod env;

use crate::io::partial_file::Durability;
use std::time::Duration;

use http::header::{AUTHORIZATION, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, InvalidInput};
use crate::header::{OPENAI_ORGANIZATION, OPENAI_PROJECT};
use crate::pace::PaceOptions;
use crate::retry::RetryPolicy;
pub(crate) use base_url::BaseUrl;

pub use auth::{ApiKey, Auth, TokenFuture, TokenProvider, TokenResult};

pub use crate::header::API_KEY_HEADER;

/// The query parameter naming the Azure OpenAI API version.
pub const API_VERSION: &str = "api-version";

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
    /// Where requests go, parsed once when set.
    pub(crate) base: BaseUrl,
    auth: Auth,
    /// Where the credential came from (`OPENAI_API_KEY`, `--api-key`, …), for error messages.
    credential_source: Option<String>,
    /// Query parameters added to every request (`api-version` for Azure).
    default_query: Vec<(String, String)>,
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
    /// Whether a download saved to a file is synced to the disk before it
    /// takes the target's name ([`Durability::Synced`], the default).
    pub download_durability: Durability,
    /// The caller's own limits on the request budget a client keeps (see
    /// [`crate::pace`]); the service's limits are learned whatever these say.
    pub pace: PaceOptions,
    /// What every request needs, computed once per change rather than per request.
    prepared: Prepared,
}

/// The parts of every request that depend only on the configuration.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    /// The base URL's own query and the default parameters, encoded (`api-version=…`).
    pub(crate) query: String,
    /// The base URL as [`Config::base_url`] shows it: with that query.
    pub(crate) base_url: String,
    /// Default headers, then authorization, organization, project and user agent.
    pub(crate) headers: HeaderMap,
    /// A setting that cannot go in a header, reported when a request is built.
    pub(crate) error: Option<InvalidInput>,
}

impl Config {
    /// A configuration for the official service with `api_key`, sent as a bearer token.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self::anonymous().with_api_key(api_key)
    }

    /// A configuration for an Azure OpenAI resource: `endpoint` is the
    /// resource's URL (`https://RESOURCE.openai.azure.com`); `/openai/v1` is
    /// added unless it is already there. Add a credential with
    /// [`Config::with_azure_api_key`], [`Config::with_api_key`] (an Entra ID
    /// token) or a token provider, and [`Config::with_api_version`] when the
    /// deployment asks for one.
    ///
    /// ```
    /// let config = videos_core::Config::azure("https://my-resource.openai.azure.com/").unwrap()
    ///     .with_azure_api_key("key")
    ///     .with_api_version("preview");
    /// assert_eq!(config.base_url(), "https://my-resource.openai.azure.com/openai/v1?api-version=preview");
    /// ```
    pub fn azure(endpoint: &str) -> Result<Self, Error> {
        let trimmed = endpoint.trim().trim_end_matches('/');
        let base = if trimmed.ends_with("/openai/v1") {
            trimmed.to_owned()
        } else if trimmed.ends_with("/openai") {
            format!("{trimmed}/v1")
        } else {
            format!("{trimmed}/openai/v1")
        };
        // What is wrong is said; the value is not repeated, in case it is a key pasted in the wrong place.
        Self::anonymous().with_base_url(&base).map_err(|e| match e {
            Error::InvalidInput(invalid) => InvalidInput::new("azure_endpoint", invalid.reason).into(),
            other => other,
        })
    }

    /// A configuration with no API key (for a local emulator that does not check one).
    pub fn anonymous() -> Self {
        let mut config = Self {
            base: BaseUrl::openai(),
            auth: Auth::None,
            credential_source: None,
            default_query: Vec::new(),
            organization: None,
            project: None,
            default_headers: HeaderMap::new(),
            user_agent: concat!("videos-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            download_durability: Durability::Synced,
            pace: PaceOptions::default(),
            prepared: Prepared {
                query: String::new(),
                base_url: DEFAULT_BASE_URL.to_owned(),
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
        for (name, value) in headers.iter_mut() {
            if auth::is_secret_header(name) {
                value.set_sensitive(true);
            }
        }
        let mut set = |name: HeaderName, result: Result<HeaderValue, InvalidInput>, sensitive: bool| match result {
            Ok(mut v) => {
                v.set_sensitive(sensitive);
                headers.insert(name, v);
            }
            Err(e) => error = error.take().or(Some(e)),
        };
        match &self.auth {
            Auth::Bearer(key) => set(AUTHORIZATION, value("api_key", &format!("Bearer {}", key.expose())), true),
            Auth::ApiKeyHeader(key) => set(API_KEY_HEADER, value("api_key", key.expose()), true),
            // A token is added per attempt by the exchange.
            Auth::None | Auth::TokenProvider(_) => {}
        }
        if let Some(org) = &self.organization {
            set(OPENAI_ORGANIZATION, value("organization", org), false);
        }
        if let Some(project) = &self.project {
            set(OPENAI_PROJECT, value("project", project), false);
        }
        set(USER_AGENT, value("user_agent", &self.user_agent), false);
        let mut query = crate::url::Query::from_encoded(&self.base.query);
        for (key, value) in &self.default_query {
            query.push(key, value);
        }
        let base = &self.base;
        self.prepared.base_url = format!("{}://{}{}", base.scheme, base.authority, base.path);
        if !query.as_str().is_empty() {
            self.prepared.base_url.push('?');
            self.prepared.base_url.push_str(query.as_str());
        }
        self.prepared.query = query.as_str().to_owned();
        self.prepared.headers = headers;
        self.prepared.error = error;
    }

    pub(crate) fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// Sends requests to `url` instead (any `http` or `https` URL; a
    /// trailing slash is ignored; a query, such as `?api-version=…`, is
    /// kept on every request). A URL with a user or password in it is
    /// refused: give the key with the `with_*` methods instead.
    pub fn with_base_url(mut self, url: &str) -> Result<Self, Error> {
        self.base = BaseUrl::parse(url)?;
        self.prepare();
        Ok(self)
    }

    /// Sends `key` as `Authorization: Bearer KEY` (OpenAI keys, gateway keys, Entra ID tokens).
    pub fn with_api_key(self, key: impl Into<String>) -> Self {
        self.with_auth(Auth::Bearer(ApiKey::new(key)))
    }

    /// Sends `key` as an `api-key` header, as Azure OpenAI resource keys go.
    pub fn with_azure_api_key(self, key: impl Into<String>) -> Self {
        self.with_auth(Auth::ApiKeyHeader(ApiKey::new(key)))
    }

    /// Fetches a bearer token from `provider` before every attempt (Entra ID
    /// tokens expire within the hour). Its error ends the call as
    /// [`Error::Credential`]. Works with both clients.
    pub fn with_token_provider(self, provider: impl Fn() -> TokenResult + Send + Sync + 'static) -> Self {
        self.with_auth(Auth::TokenProvider(TokenProvider::Blocking(std::sync::Arc::new(provider))))
    }

    /// [`Config::with_token_provider`] with an async callback; only the async client can await it.
    pub fn with_async_token_provider(self, provider: impl Fn() -> TokenFuture + Send + Sync + 'static) -> Self {
        self.with_auth(Auth::TokenProvider(TokenProvider::Async(std::sync::Arc::new(provider))))
    }

    /// Replaces how requests authenticate.
    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self.credential_source = None;
        self.prepare();
        self
    }

    /// Names where the credential came from (a variable or a flag), so an
    /// authentication error can say which one to fix.
    pub fn with_credential_source(mut self, source: impl Into<String>) -> Self {
        self.credential_source = Some(source.into());
        self
    }

    /// Adds `key=value` to the query of every request.
    pub fn with_default_query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_query.push((key.into(), value.into()));
        self.prepare();
        self
    }

    /// Sends `api-version=VERSION` on every request, as some Azure deployments require.
    pub fn with_api_version(self, version: impl Into<String>) -> Self {
        self.with_default_query(API_VERSION, version)
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

    /// Adds a header to every request (a per-call header of the same name
    /// wins). A header that usually holds a credential (see
    /// [`auth::SECRET_HEADERS`]) is treated as [`Config::with_secret_header`] does.
    pub fn with_default_header(self, name: &str, value: &str) -> Result<Self, Error> {
        self.default_header(name, value, false)
    }

    /// Adds a header holding a secret to every request: never shown in
    /// `Debug`, and dropped by any redirect that leaves the origin.
    pub fn with_secret_header(self, name: &str, value: &str) -> Result<Self, Error> {
        self.default_header(name, value, true)
    }

    fn default_header(mut self, name: &str, value: &str, secret: bool) -> Result<Self, Error> {
        let name = HeaderName::try_from(name)
            .map_err(|_| InvalidInput::new("default_headers", format!("{name:?} is not a header name")))?;
        let mut value = HeaderValue::try_from(value)
            .map_err(|_| InvalidInput::new("default_headers", format!("the value of {name} is not a header value")))?;
        value.set_sensitive(secret || auth::is_secret_header(&name));
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

    /// Never sends more than `rpm` requests a minute from one client (and its
    /// clones), whatever the service allows; below the service's limit, no
    /// request is refused for it.
    pub fn with_requests_per_minute(mut self, rpm: u32) -> Self {
        self.pace.requests_per_minute = Some(rpm.max(1));
        self
    }

    /// Never has more than `jobs` jobs in progress through one client's
    /// waiting calls (`create_and_poll` and the like): further creates wait
    /// for one to end.
    pub fn with_max_jobs_in_progress(mut self, jobs: u32) -> Self {
        self.pace.max_jobs_in_progress = Some(jobs.max(1));
        self
    }

    /// Sets how long a job-creating call keeps retrying refusals (429) and
    /// attempts that got no answer, with the same `Idempotency-Key`, once
    /// its retries are spent: see [`crate::retry`].
    pub fn with_patience(mut self, patience: Duration) -> Self {
        self.retry.patience = patience;
        self
    }

    /// Sets how saved downloads are finished: see [`Durability`].
    pub fn with_download_durability(mut self, durability: Durability) -> Self {
        self.download_durability = durability;
        self
    }

    /// The base URL, without a trailing slash, with its query and the default query parameters.
    pub fn base_url(&self) -> &str {
        &self.prepared.base_url
    }

    /// How requests authenticate.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// The API key, for the kinds of auth that hold one.
    pub fn api_key(&self) -> Option<&ApiKey> {
        self.auth.key()
    }

    /// Where the credential came from, when known (`OPENAI_API_KEY`, `--api-key`, …).
    pub fn credential_source(&self) -> Option<&str> {
        self.credential_source.as_deref()
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
    pub fn authority(&self) -> &str {
        self.base.authority.as_str()
    }
}

#[cfg(test)]
mod tests;

//! The client: configuration plus one shared reqwest connection pool.

use std::sync::Arc;

use videos_core::response::ApiResponse;
use videos_core::{Config, Error, Operation, RequestOptions, TransportError, TransportErrorKind};

use crate::send::{Read, into_http};
use crate::videos::Videos;

/// An async client for the Videos API. Cheap to clone: clones share one
/// configuration and one connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), videos_core::Error> {
/// let client = videos_reqwest::Client::from_env()?;
/// let video = client.videos().create(videos_core::CreateVideo::new("A calico cat playing a piano")).await?;
/// println!("{} is {}", video.id, video.status);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    config: Config,
}

impl Client {
    /// A client with `config`.
    pub fn new(config: Config) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            // The core decides about redirects: credentials never follow one to another host.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .build()
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
        Ok(Self { inner: Arc::new(Inner { http, config }) })
    }

    /// A client configured from `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID`.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(Config::from_env()?)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The Videos API, with default per-call options.
    pub fn videos(&self) -> Videos {
        Videos::new(self.clone())
    }

    /// Runs any operation, keeping the response's status, request id and headers.
    /// A POST gets a fresh `Idempotency-Key` unless `options` carries one.
    pub async fn execute<O: Operation>(
        &self,
        op: &O,
        options: &RequestOptions,
    ) -> Result<ApiResponse<O::Output>, Error> {
        let options = options.with_random(fastrand::u128(..));
        let request = op.request(self.config(), &options)?;
        let received = self.send(&request, options.timeout, Read::Whole).await?;
        op.parse_with_meta(into_http(received)?)
    }
}

//! The client: configuration plus one shared ureq agent (connection pool).

use std::sync::Arc;

use videos_core::response::ApiResponse;
use videos_core::{Config, Error, Operation, RequestOptions};

use crate::send::{Read, into_http};
use crate::videos::Videos;

/// A blocking client for the Videos API. Cheap to clone: clones share one
/// configuration and one connection pool. No async runtime is involved.
///
/// ```no_run
/// let client = videos_blocking::Client::from_env()?;
/// let video = client.videos().create(videos_core::CreateVideo::new("A calico cat playing a piano"))?;
/// println!("{} is {}", video.id, video.status);
/// # Ok::<(), videos_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    agent: ureq::Agent,
    config: Config,
}

impl Client {
    /// A client with `config`.
    pub fn new(config: Config) -> Result<Self, Error> {
        let agent_config = ureq::Agent::config_builder()
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.request_timeout))
            // Error statuses are answers the core parses, not transport failures.
            .http_status_as_error(false)
            // The core decides about redirects: credentials never follow one to another host.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .build();
        Ok(Self { inner: Arc::new(Inner { agent: ureq::Agent::new_with_config(agent_config), config }) })
    }

    /// A client configured from `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID`.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(Config::from_env()?)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub(crate) fn agent(&self) -> &ureq::Agent {
        &self.inner.agent
    }

    /// The Videos API, with default per-call options.
    pub fn videos(&self) -> Videos {
        Videos::new(self.clone())
    }

    /// Runs any operation, keeping the response's status, request id and headers.
    /// A POST gets a fresh `Idempotency-Key` unless `options` carries one.
    pub fn execute<O: Operation>(&self, op: &O, options: &RequestOptions) -> Result<ApiResponse<O::Output>, Error> {
        let options = options.with_random(fastrand::u128(..));
        let request = op.request(self.config(), &options)?;
        let received = self.send(&request, options.timeout, Read::Whole)?;
        op.parse_with_meta(into_http(received)?)
    }
}

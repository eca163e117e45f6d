//! The client: configuration plus one shared ureq agent (connection pool),
//! and the two ways a call runs through it (JSON answers, downloads).

use std::sync::Arc;

use videos_core::{
    ApiResponse, Config, DownloadContent, Error, Exchange, Operation, RequestOptions, SharedPacer, Timeouts,
};

use crate::download::Download;
use crate::send::drive;

/// A blocking client for the Videos API. Cheap to clone: clones share one
/// configuration and one connection pool. No async runtime is involved.
///
/// ```no_run
/// let client = videos_blocking::Client::from_env()?;
/// let video = client.videos().create(videos_core::CreateVideo::new("A calico cat playing a piano"))?;
/// println!("{} is {}", video.id, videos_core::types::shown(&video.status));
/// # Ok::<(), videos_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    agent: ureq::Agent,
    /// The timeouts the agent applies unless a request says otherwise: those
    /// of a first attempt of a JSON call with the configured timeouts.
    /// `None` for a caller's agent, whose every request is configured.
    defaults: Option<Timeouts>,
    pub(crate) config: Config,
    /// The request budget this client and its clones share.
    pub(crate) pacer: SharedPacer,
}

impl Client {
    /// A client with `config`.
    pub fn new(config: Config) -> Result<Self, Error> {
        refuse_async_provider(&config)?;
        let defaults = Timeouts::first_json_attempt(&config);
        let agent_config = ureq::Agent::config_builder()
            .timeout_connect(Some(config.connect_timeout))
            .timeout_send_request(Some(defaults.head))
            .timeout_send_body(Some(defaults.head))
            .timeout_recv_response(Some(defaults.head))
            .timeout_recv_body(defaults.body)
            .timeout_per_read(Some(defaults.read))
            .timeout_per_write(crate::send::per_write(defaults.head))
            // Error statuses are answers the core parses, not transport failures.
            .http_status_as_error(false)
            // The core decides about redirects: credentials never follow one to another host.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .tls_config(crate::tls::config())
            .build();
        let agent = ureq::Agent::new_with_config(agent_config);
        Ok(Self {
            inner: Arc::new(Inner { agent, defaults: Some(defaults), pacer: SharedPacer::new(config.pace), config }),
        })
    }

    /// A client with `config` that sends through the caller's own
    /// `ureq::Agent` (its pool, proxy, TLS and resolver).
    ///
    /// Every request is then configured for the SDK: its timeouts per
    /// attempt and between reads, error statuses as answers, and no
    /// redirects followed by the agent (the SDK follows them, keeping
    /// credentials in their origin). What no longer applies is
    /// `config.connect_timeout`: the agent's own connect timeout does.
    ///
    /// ```
    /// let agent = ureq::Agent::new_with_defaults();
    /// let client = videos_blocking::Client::with_agent(videos_core::Config::new("sk-test"), agent).unwrap();
    /// ```
    pub fn with_agent(config: Config, agent: ureq::Agent) -> Result<Self, Error> {
        refuse_async_provider(&config)?;
        Ok(Self { inner: Arc::new(Inner { agent, defaults: None, pacer: SharedPacer::new(config.pace), config }) })
    }

    /// Runs any operation, keeping the response's status, request id and headers.
    /// A POST gets a fresh `Idempotency-Key` unless `options` carries one.
    pub fn execute<O: Operation>(&self, op: &O, options: &RequestOptions) -> Result<ApiResponse<O::Output>, Error> {
        let mut exchange = Exchange::new(op, &self.inner.config, options, videos_core::io::random::u128())?
            .paced(self.inner.pacer.clone());
        drive(&self.inner.agent, self.inner.defaults.as_ref(), &mut exchange, &mut None)
    }

    /// Starts a download: the head is accepted, the body is the [`Download`]'s to stream.
    pub fn download(&self, op: &DownloadContent, options: &RequestOptions) -> Result<Download, Error> {
        let mut exchange = Exchange::download(op, &self.inner.config, options, videos_core::io::random::u128())?
            .paced(self.inner.pacer.clone());
        let mut body = None;
        let head = drive(&self.inner.agent, self.inner.defaults.as_ref(), &mut exchange, &mut body)?;
        Ok(Download::new(head.value, body))
    }
}

/// The blocking client cannot await an async token provider.
fn refuse_async_provider(config: &Config) -> Result<(), Error> {
    match config.auth().token_provider() {
        Some(videos_core::TokenProvider::Async(_)) => Err(videos_core::InvalidInput::new(
            "token_provider",
            "an async token provider cannot be awaited by the blocking client; give a blocking one",
        )
        .into()),
        _ => Ok(()),
    }
}

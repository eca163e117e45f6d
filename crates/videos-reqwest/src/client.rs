//! The client: configuration plus one shared reqwest connection pool, and
//! the two ways a call runs through it (JSON answers, downloads).

use std::sync::Arc;

use videos_core::{ApiResponse, Config, DownloadContent, Error, Exchange, Operation, RequestOptions, SharedPacer};
use videos_core::{TransportError, TransportFailure};

use crate::download::Download;
use crate::send::{Origin, drive};

/// An async client for the Videos API. Cheap to clone: clones share one
/// configuration and one connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), videos_core::Error> {
/// let client = videos_reqwest::Client::from_env()?;
/// let video = client.videos().create(videos_core::CreateVideo::new("A calico cat playing a piano")).await?;
/// println!("{} is {}", video.id, videos_core::types::shown(&video.status));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    http: reqwest::Client,
    pub(crate) config: Config,
    /// The request budget this client and its clones share.
    pub(crate) pacer: SharedPacer,
    origin: Option<Origin>,
}

impl Client {
    /// A client with `config`.
    pub fn new(config: Config) -> Result<Self, Error> {
        let http = Self::http_client_builder()?
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| TransportError::new(TransportFailure::Other, e))?;
        Ok(Self {
            inner: Arc::new(Inner { http, origin: Origin::of(&config), pacer: SharedPacer::new(config.pace), config }),
        })
    }

    /// A `reqwest::ClientBuilder` set up as the SDK sets up its own: TLS by
    /// rustls with this crate's provider (ring by default) and the
    /// platform's trust store, no redirects (the SDK decides them), no
    /// Nagle delay. Add your settings (a proxy, pool limits) and pass the
    /// client to [`Client::with_http_client`].
    ///
    /// Start from this rather than `reqwest::Client::builder()`: this crate
    /// builds reqwest without a default crypto provider, so a plain builder
    /// panics unless your program installed one or enabled reqwest's own
    /// `rustls` feature.
    pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
        Ok(reqwest::Client::builder()
            // The core decides about redirects: credentials never follow one to another host.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .tls_backend_preconfigured(crate::tls::config()?))
    }

    /// A client with `config` that sends through the caller's own
    /// `reqwest::Client` (its pool, proxy, TLS and connect settings).
    ///
    /// Build it from [`Client::http_client_builder`]. What then no longer
    /// applies: `config.connect_timeout` (the client's own connect timeout
    /// does) and, unless the client was built with
    /// `redirect(reqwest::redirect::Policy::none())`, the SDK's redirect
    /// rules: a client that follows redirects itself decides alone where
    /// credentials go, and reqwest forwards an `api-key` header to another
    /// host. Timeouts per attempt and between reads, retries and everything
    /// else stay the SDK's.
    ///
    /// ```
    /// let http = videos_reqwest::Client::http_client_builder().unwrap().pool_max_idle_per_host(4).build().unwrap();
    /// let client = videos_reqwest::Client::with_http_client(videos_core::Config::new("sk-test"), http).unwrap();
    /// ```
    pub fn with_http_client(config: Config, http: reqwest::Client) -> Result<Self, Error> {
        Ok(Self {
            inner: Arc::new(Inner { http, origin: Origin::of(&config), pacer: SharedPacer::new(config.pace), config }),
        })
    }

    /// Runs any operation, keeping the response's status, request id and headers.
    /// A POST gets a fresh `Idempotency-Key` unless `options` carries one.
    pub async fn execute<O: Operation>(
        &self,
        op: &O,
        options: &RequestOptions,
    ) -> Result<ApiResponse<O::Output>, Error> {
        let mut exchange = Exchange::new(op, &self.inner.config, options, videos_core::io::random::u128())?
            .paced(self.inner.pacer.clone());
        drive(&self.inner.http, self.inner.origin.as_ref(), &mut exchange, &mut None).await
    }

    /// Starts a download: the head is accepted, the body is the [`Download`]'s to stream.
    pub async fn download(&self, op: &DownloadContent, options: &RequestOptions) -> Result<Download, Error> {
        let mut exchange = Exchange::download(op, &self.inner.config, options, videos_core::io::random::u128())?
            .paced(self.inner.pacer.clone());
        let mut response = None;
        let head = drive(&self.inner.http, self.inner.origin.as_ref(), &mut exchange, &mut response).await?;
        Ok(Download::new(head.value, response))
    }
}

//! TLS for the async client: rustls with the cryptography the crate's
//! features pick (ring by default, aws-lc-rs with `rustls-aws-lc`) and the
//! platform's trust store, the same policy as videos-blocking.

use std::sync::Arc;

use videos_core::{Error, TransportError, TransportFailure};

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
compile_error!("videos-reqwest needs a TLS provider: enable `rustls-ring` (the default) or `rustls-aws-lc`");

/// The crypto provider the features pick (ring when both are on).
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "rustls-ring")]
    let provider = rustls::crypto::ring::default_provider();
    #[cfg(all(feature = "rustls-aws-lc", not(feature = "rustls-ring")))]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    Arc::new(provider)
}

/// The client's TLS configuration: certificates checked against the
/// platform's roots, HTTP/2 offered before HTTP/1.1.
pub(crate) fn config() -> Result<rustls::ClientConfig, Error> {
    let failed = |e: rustls::Error| Error::from(TransportError::new(TransportFailure::Other, e));
    let provider = provider();
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone()).map_err(failed)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(failed)?
        // The platform verifier is the safe, usual check; rustls names every custom verifier "dangerous".
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

//! TLS for the blocking client: rustls with the cryptography the crate's
//! features pick (ring by default, aws-lc-rs with `rustls-aws-lc`) and the
//! platform's trust store, the same policy as videos-reqwest.

use std::sync::Arc;

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
compile_error!("videos-blocking needs a TLS provider: enable `rustls-ring` (the default) or `rustls-aws-lc`");

/// ureq's TLS settings: certificates checked against the platform's roots
/// with the provider the features pick (ring when both are on).
pub(crate) fn config() -> ureq::tls::TlsConfig {
    #[cfg(feature = "rustls-ring")]
    let provider = rustls::crypto::ring::default_provider();
    #[cfg(all(feature = "rustls-aws-lc", not(feature = "rustls-ring")))]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .unversioned_rustls_crypto_provider(Arc::new(provider))
        .build()
}

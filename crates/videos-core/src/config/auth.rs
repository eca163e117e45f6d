//! How requests prove who sends them: a bearer key (OpenAI), an `api-key`
//! header (Azure OpenAI keys), a token fetched before every attempt (Entra
//! ID, whose tokens expire within the hour), or nothing. Every credential
//! is marked sensitive, so `Debug` never shows it, and the redirect rules
//! drop it when a redirect leaves the origin.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A secret key. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a secret key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The secret itself, for building the header that carries it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// What a token provider returns: a bearer token, or why there is none.
pub type TokenResult = Result<String, Box<dyn std::error::Error + Send + Sync>>;

/// The future an async token provider returns.
pub type TokenFuture = Pin<Box<dyn Future<Output = TokenResult> + Send>>;

/// A callback that supplies a fresh bearer token before every attempt (a
/// retry asks again; a redirect within the origin keeps the token it has).
/// Cache inside it as you see fit: it is called once per attempt.
#[derive(Clone)]
pub enum TokenProvider {
    /// Called in place; the only kind the blocking client can call.
    Blocking(Arc<dyn Fn() -> TokenResult + Send + Sync>),
    /// Awaited; for the async client.
    Async(Arc<dyn Fn() -> TokenFuture + Send + Sync>),
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenProvider::Blocking(_) => f.write_str("TokenProvider::Blocking(..)"),
            TokenProvider::Async(_) => f.write_str("TokenProvider::Async(..)"),
        }
    }
}

/// How requests authenticate. One kind at a time: a key is never sent two ways.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No credential (a local emulator that does not check one).
    #[default]
    None,
    /// `Authorization: Bearer KEY`: OpenAI keys, Azure Entra ID tokens, gateways.
    Bearer(ApiKey),
    /// `api-key: KEY`: Azure OpenAI resource keys.
    ApiKeyHeader(ApiKey),
    /// `Authorization: Bearer TOKEN`, with the token fetched before every attempt.
    TokenProvider(TokenProvider),
}

impl Auth {
    /// The key, for the kinds that hold one.
    pub fn key(&self) -> Option<&ApiKey> {
        match self {
            Auth::Bearer(key) | Auth::ApiKeyHeader(key) => Some(key),
            Auth::None | Auth::TokenProvider(_) => None,
        }
    }

    /// The provider, when tokens are fetched per attempt.
    pub fn token_provider(&self) -> Option<&TokenProvider> {
        match self {
            Auth::TokenProvider(provider) => Some(provider),
            _ => None,
        }
    }
}

/// Headers that carry credentials whatever the caller calls them: sent
/// marked sensitive, and dropped by a redirect that leaves the origin.
pub const SECRET_HEADERS: [&str; 6] =
    ["authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "ocp-apim-subscription-key"];

/// Whether a header (or query parameter) of this name holds a credential:
/// one of [`SECRET_HEADERS`], or any name that says so (`x-goog-api-key`,
/// `x-litellm-api-key`, `x-auth-token`, `client-secret`, …). An
/// idempotency key is not one.
pub fn is_secret_header(name: &http::HeaderName) -> bool {
    is_secret_name(name.as_str())
}

/// [`is_secret_header`] for any name, compared without regard to case.
pub fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if name == "idempotency-key" {
        return false;
    }
    if SECRET_HEADERS.contains(&name.as_str()) {
        return true;
    }
    let parts: Vec<&str> = name.split(['-', '_', '.']).collect();
    parts.last() == Some(&"key")
        || parts.iter().any(|part| {
            matches!(
                *part,
                "apikey"
                    | "token"
                    | "secret"
                    | "password"
                    | "passwd"
                    | "auth"
                    | "authorization"
                    | "credential"
                    | "credentials"
                    | "signature"
                    | "sig"
            )
        })
}

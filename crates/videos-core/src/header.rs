//! The names of the headers the protocol reads or writes, in one place so
//! that the modules building requests, reading responses and deciding
//! retries agree on them without importing each other.

use http::HeaderName;

/// The header that makes a retried POST safe: the service runs a job-creating
/// request once per key.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The organization header.
pub const OPENAI_ORGANIZATION: HeaderName = HeaderName::from_static("openai-organization");
/// The project header.
pub const OPENAI_PROJECT: HeaderName = HeaderName::from_static("openai-project");
/// The header carrying the service's id for a request.
pub const REQUEST_ID: &str = "x-request-id";
/// Every header that carries a request id, in the order they are looked
/// for: OpenAI's, Azure API Management's, Azure's, LiteLLM's.
pub const REQUEST_ID_HEADERS: [&str; 4] = [REQUEST_ID, "apim-request-id", "x-ms-request-id", "x-litellm-call-id"];
/// The header in which the service suggests how long to wait before polling again.
pub const POLL_AFTER_MS: &str = "openai-poll-after-ms";
/// The header with which the service overrides the retry decision.
pub const SHOULD_RETRY: &str = "x-should-retry";
/// The service's wait hint in milliseconds (preferred over `retry-after`).
pub const RETRY_AFTER_MS: &str = "retry-after-ms";
/// The header that carries an Azure OpenAI resource key.
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("api-key");

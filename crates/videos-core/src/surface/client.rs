//! The part of a transport's public surface that is the same, async or
//! not: `Client`'s constructors from the environment, its configuration and
//! request budget, and what a `Download`'s head says.

/// Expands the shared `Client` and `Download` methods of a transport crate;
/// called by [`videos_surface!`](crate::videos_surface).
#[macro_export]
macro_rules! videos_client_surface {
    () => {
        impl Client {
            /// A client configured from the environment: `OPENAI_API_KEY`,
            /// `OPENAI_BASE_URL`, `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID`.
            pub fn from_env() -> Result<Self, $crate::Error> {
                Self::new($crate::Config::from_env()?)
            }

            /// The configuration.
            pub fn config(&self) -> &$crate::Config {
                &self.inner.config
            }

            /// The request budget this client and its clones share: requests
            /// sent and refused, the rate kept to, jobs in progress.
            pub fn pace_stats(&self) -> $crate::PaceStats {
                self.inner.pacer.lock().stats()
            }

            /// The Videos API, with default per-call options.
            pub fn videos(&self) -> Videos {
                Videos { client: self.clone(), options: $crate::RequestOptions::default() }
            }
        }

        impl Download {
            /// The media type, such as `video/mp4`.
            pub fn content_type(&self) -> Option<&str> {
                self.media.content_type()
            }

            /// The announced length in bytes, if any.
            pub fn content_length(&self) -> Option<u64> {
                self.media.content_length()
            }

            /// The service's request id.
            pub fn request_id(&self) -> Option<&str> {
                self.media.request_id()
            }
        }
    };
}

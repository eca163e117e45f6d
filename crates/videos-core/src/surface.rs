//! The public surface of a transport crate, written once and expanded in
//! both `videos-reqwest` (async) and `videos-blocking`.
//!
//! Why a macro and not a trait: the methods stay inherent (no trait to
//! import before `client.videos().create(…)` compiles), the async ones are
//! plain `async fn`s with no boxing and no `Send` puzzles, and each client's
//! documentation shows its own signatures. The macro is given `async, await`
//! or nothing, then the text that turns each method's example into that
//! crate's (`".await"` or `""`, and the lines before and after the example,
//! which name the crate), and expands where these names are in scope:
//!
//! - `Client`: a cheap-to-clone type with an `inner.config` field, and
//!   `new(Config)`, `execute(&self, &op, &RequestOptions)` and
//!   `download(&self, &DownloadContent, &RequestOptions)`;
//! - `Download`: a type with a `media: MediaBody` field and a
//!   `save(self, path, progress)` method;
//! - `sleep(Duration)`.
//!
//! The methods of `Client` and `Download` that need no `async` come from
//! [`videos_client_surface!`](crate::videos_client_surface), in `surface/client.rs`.
//!
//! Everything it writes only strings core decisions together: the
//! [`crate::Poller`] decides when to poll, the exchange inside `execute`
//! decides everything about each call.

/// Expands the `Videos` handle and the shared `Client` and `Download`
/// methods of a transport crate; see the [module docs](crate::surface).
#[macro_export]
macro_rules! videos_surface {
    ($($async:ident)?, $($await:ident)?; $aw:literal, $pre:literal, $post:literal) => {
        $crate::videos_client_surface!();

        /// The Videos API on one client, with per-call options (extra headers
        /// and query parameters, a timeout, an idempotency key) applied to
        /// every call made through this handle. Cheap to clone.
        #[derive(Clone, Debug)]
        pub struct Videos {
            client: Client,
            options: $crate::RequestOptions,
        }

        impl Videos {
            /// Replaces the per-call options.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let videos = videos.with_options(RequestOptions::default().timeout(std::time::Duration::from_secs(30)));"]
            #[doc = concat!("let page = videos.list(ListVideos::new())", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub fn with_options(mut self, options: $crate::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Adds a header to every call through this handle.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let videos = videos.with_header(\"x-trace-id\", \"checkout-42\")?;"]
            #[doc = concat!("let video = videos.retrieve(\"video_123\")", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, $crate::Error> {
                self.options = self.options.header(name, value)?;
                Ok(self)
            }

            /// Adds a query parameter to every call through this handle.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let videos = videos.with_query(\"api-version\", \"preview\");"]
            #[doc = concat!("let video = videos.retrieve(\"video_123\")", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub fn with_query(mut self, key: &str, value: &str) -> Self {
                self.options = self.options.query(key, value);
                self
            }

            /// Adds a field to the body of every call through this handle that
            /// sends one (`extra_body`, for gateways' own parameters): merged
            /// into a JSON body, a text part of a multipart one.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "// A gateway routing to another model family takes its own parameters."]
            #[doc = "let videos = videos.with_body_field(\"aspect_ratio\", \"16:9\");"]
            #[doc = concat!("let video = videos.create(CreateVideo::new(\"A lighthouse at dusk\").model(\"veo-3\"))", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub fn with_body_field(mut self, key: &str, value: impl Into<$crate::serde_json::Value>) -> Self {
                self.options = self.options.body_field(key, value);
                self
            }

            /// Sets the timeout of each call (each attempt of it) instead of the configured one.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let video = videos.with_timeout(std::time::Duration::from_secs(10)).retrieve(\"video_123\")", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub fn with_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options = self.options.timeout(timeout);
                self
            }

            /// Uses `key` as the `Idempotency-Key` of POSTs instead of a fresh random one.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "// Running this again (after a crash, say) gets the same job, not a second paid one."]
            #[doc = "let videos = videos.with_idempotency_key(\"order-1234-video\");"]
            #[doc = concat!("let video = videos.create(CreateVideo::new(\"A lighthouse at dusk\"))", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub fn with_idempotency_key(mut self, key: impl Into<String>) -> Self {
                self.options.idempotency_key = Some(key.into());
                self
            }

            /// Sets how long job-creating calls through this handle keep
            /// retrying refusals (429) and attempts that got no answer, with
            /// the same `Idempotency-Key` (see [`Config::with_patience`](videos_core::Config::with_patience)).
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "// Wait up to half an hour for the service's limits to let the job in."]
            #[doc = "let videos = videos.with_patience(std::time::Duration::from_secs(1800));"]
            #[doc = concat!("let video = videos.create_and_poll(CreateVideo::new(\"A lighthouse at dusk\"))", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub fn with_patience(mut self, patience: ::std::time::Duration) -> Self {
                self.options.patience = Some(patience);
                self
            }

            /// The per-call options of this handle.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let videos = videos.with_idempotency_key(\"order-1234-video\");"]
            #[doc = "assert_eq!(videos.options().idempotency_key.as_deref(), Some(\"order-1234-video\"));"]
            #[doc = $post]
            /// ```
            pub fn options(&self) -> &$crate::RequestOptions {
                &self.options
            }

            $($async)? fn run<O: $crate::Operation>(&self, op: &O) -> Result<O::Output, $crate::Error> {
                Ok(self.client.execute(op, &self.options)$(.$await)??.value)
            }

            /// Starts a video-generation job.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let params = CreateVideo::new(\"A calico cat playing a piano on stage\")"]
            #[doc = "    .seconds(VideoSeconds::Eight)"]
            #[doc = "    .size(VideoSize::Landscape1280x720);"]
            #[doc = concat!("let video = videos.create(params)", $aw, "?;")]
            #[doc = "println!(\"{} is {}\", video.id, shown(&video.status));"]
            #[doc = $post]
            /// ```
            pub $($async)? fn create(&self, params: $crate::CreateVideo) -> Result<$crate::types::Video, $crate::Error> {
                self.run(&params)$(.$await)?
            }

            /// Starts a job and waits until it completes or fails.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let video = videos.create_and_poll(CreateVideo::new(\"A calico cat playing a piano\"))", $aw, "?;")]
            #[doc = "if video.status == Some(VideoStatus::Completed) {"]
            #[doc = concat!("    videos.download_to(&video.id, None, \"cat.mp4\")", $aw, "?;")]
            #[doc = "}"]
            #[doc = $post]
            /// ```
            pub $($async)? fn create_and_poll(
                &self,
                params: $crate::CreateVideo,
            ) -> Result<$crate::types::Video, $crate::Error> {
                self.start_and_poll(&params, $crate::PollOptions::default(), |_| {})$(.$await)?
            }

            /// [`Videos::create_and_poll`] with polling options and an observer that sees every state.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let params = CreateVideo::new(\"A calico cat playing a piano\");"]
            #[doc = "let video = videos"]
            #[doc = "    .create_and_poll_with(params, PollOptions::default(), |v| eprintln!(\"{}%\", shown(&v.progress)))"]
            #[doc = concat!("    ", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn create_and_poll_with(
                &self,
                params: $crate::CreateVideo,
                poll: $crate::PollOptions,
                observer: impl FnMut(&$crate::types::Video),
            ) -> Result<$crate::types::Video, $crate::Error> {
                self.start_and_poll(&params, poll, observer)$(.$await)?
            }

            /// Reads a job.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let video = videos.retrieve(\"video_123\")", $aw, "?;")]
            #[doc = "println!(\"{} {}%\", shown(&video.status), shown(&video.progress));"]
            #[doc = $post]
            /// ```
            pub $($async)? fn retrieve(&self, video_id: &str) -> Result<$crate::types::Video, $crate::Error> {
                self.run(&$crate::RetrieveVideo::new(video_id))$(.$await)?
            }

            /// Reads one page of jobs.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let mut params = ListVideos::new();"]
            #[doc = "params.limit = Some(10);"]
            #[doc = concat!("let page = videos.list(params)", $aw, "?;")]
            #[doc = "for video in &page.data {"]
            #[doc = "    println!(\"{} {}\", video.id, shown(&video.status));"]
            #[doc = "}"]
            #[doc = $post]
            /// ```
            pub $($async)? fn list(
                &self,
                params: $crate::ListVideos,
            ) -> Result<$crate::types::VideoList, $crate::Error> {
                self.run(&params)$(.$await)?
            }

            /// Deletes a completed or failed job.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let deleted = videos.delete(\"video_123\")", $aw, "?;")]
            #[doc = "assert_eq!(deleted.id, \"video_123\");"]
            #[doc = $post]
            /// ```
            pub $($async)? fn delete(
                &self,
                video_id: &str,
            ) -> Result<$crate::types::VideoDeleteResponse, $crate::Error> {
                self.run(&$crate::DeleteVideo::new(video_id))$(.$await)?
            }

            /// Starts a remix of a completed job.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let remix = videos.remix(\"video_123\", \"The same scene, in the snow\")", $aw, "?;")]
            #[doc = "println!(\"remixing into {}\", remix.id);"]
            #[doc = $post]
            /// ```
            pub $($async)? fn remix(&self, video_id: &str, prompt: &str) -> Result<$crate::types::Video, $crate::Error> {
                self.run(&$crate::RemixVideo::new(video_id, prompt))$(.$await)?
            }

            /// Starts a remix and waits for it.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let remix = videos.remix_and_poll(\"video_123\", \"The same scene, in the snow\")", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn remix_and_poll(
                &self,
                video_id: &str,
                prompt: &str,
            ) -> Result<$crate::types::Video, $crate::Error> {
                let op = $crate::RemixVideo::new(video_id, prompt);
                self.start_and_poll(&op, $crate::PollOptions::default(), |_| {})$(.$await)?
            }

            /// Starts an edit.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let params = EditVideo::new(VideoSource::id(\"video_123\"), \"Make the piano red\");"]
            #[doc = concat!("let edit = videos.edit(params)", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn edit(&self, params: $crate::EditVideo) -> Result<$crate::types::Video, $crate::Error> {
                self.run(&params)$(.$await)?
            }

            /// Starts an edit and waits for it.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "// Upload a video file instead of naming a job."]
            #[doc = "let source = VideoSource::Upload(FilePart::from_path(\"clip.mp4\")?);"]
            #[doc = concat!("let edited = videos.edit_and_poll(EditVideo::new(source, \"Make the piano red\"))", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn edit_and_poll(
                &self,
                params: $crate::EditVideo,
            ) -> Result<$crate::types::Video, $crate::Error> {
                self.start_and_poll(&params, $crate::PollOptions::default(), |_| {})$(.$await)?
            }

            /// Starts an extension.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let params = ExtendVideo::new(VideoSource::id(\"video_123\"), \"The cat takes a bow\", VideoSeconds::Four);"]
            #[doc = concat!("let longer = videos.extend(params)", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn extend(&self, params: $crate::ExtendVideo) -> Result<$crate::types::Video, $crate::Error> {
                self.run(&params)$(.$await)?
            }

            /// Starts an extension and waits for it.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let params = ExtendVideo::new(VideoSource::id(\"video_123\"), \"The cat takes a bow\", VideoSeconds::Four);"]
            #[doc = concat!("let longer = videos.extend_and_poll(params)", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn extend_and_poll(
                &self,
                params: $crate::ExtendVideo,
            ) -> Result<$crate::types::Video, $crate::Error> {
                self.start_and_poll(&params, $crate::PollOptions::default(), |_| {})$(.$await)?
            }

            /// Starts any job-creating operation (create, remix, edit, extend) and waits for it.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let remix = RemixVideo::new(\"video_123\", \"At night\");"]
            #[doc = concat!("let video = videos.start_and_poll(&remix, PollOptions::default(), |v| eprintln!(\"{}\", shown(&v.status)))", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn start_and_poll<O: $crate::Operation<Output = $crate::types::Video>>(
                &self,
                op: &O,
                poll: $crate::PollOptions,
                mut observer: impl FnMut(&$crate::types::Video),
            ) -> Result<$crate::types::Video, $crate::Error> {
                // A job slot first, when the caller capped jobs in progress: held until the wait ends.
                let _slot = loop {
                    match self.client.inner.pacer.try_job_slot() {
                        Some(slot) => break slot,
                        None => sleep($crate::pace::JOB_SLOT_RECHECK)$(.$await)?,
                    }
                };
                let started = self.client.execute(op, &self.options)$(.$await)??;
                observer(&started.value);
                let now = $crate::io::now();
                let poller = $crate::Poller::from_video(started.value, &started.headers, poll, &now);
                self.drive(poller, observer)$(.$await)?
            }

            /// Registers a character from a video file.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "let params = CreateCharacter::new(\"Captain Whiskers\", FilePart::from_path(\"whiskers.mp4\")?);"]
            #[doc = concat!("let character = videos.create_character(params)", $aw, "?;")]
            #[doc = "println!(\"{}\", shown(&character.id));"]
            #[doc = $post]
            /// ```
            pub $($async)? fn create_character(
                &self,
                params: $crate::CreateCharacter,
            ) -> Result<$crate::types::VideoCharacter, $crate::Error> {
                self.run(&params)$(.$await)?
            }

            /// Reads a character.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let character = videos.retrieve_character(\"char_123\")", $aw, "?;")]
            #[doc = "println!(\"{}\", shown(&character.name));"]
            #[doc = $post]
            /// ```
            pub $($async)? fn retrieve_character(
                &self,
                character_id: &str,
            ) -> Result<$crate::types::VideoCharacter, $crate::Error> {
                self.run(&$crate::RetrieveCharacter::new(character_id))$(.$await)?
            }

            /// Waits until a job completes or fails.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = "// A job started earlier, perhaps by another process."]
            #[doc = concat!("let video = videos.poll(\"video_123\")", $aw, "?;")]
            #[doc = "println!(\"{}\", shown(&video.status));"]
            #[doc = $post]
            /// ```
            pub $($async)? fn poll(&self, video_id: &str) -> Result<$crate::types::Video, $crate::Error> {
                self.poll_with(video_id, $crate::PollOptions::default(), |_| {})$(.$await)?
            }

            /// [`Videos::poll`] with options and an observer that sees every state.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let video = videos.poll_with(\"video_123\", PollOptions::default(), |v| eprintln!(\"{}%\", shown(&v.progress)))", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn poll_with(
                &self,
                video_id: &str,
                options: $crate::PollOptions,
                observer: impl FnMut(&$crate::types::Video),
            ) -> Result<$crate::types::Video, $crate::Error> {
                self.drive($crate::Poller::new(video_id, options), observer)$(.$await)?
            }

            $($async)? fn drive(
                &self,
                mut poller: $crate::Poller,
                mut observer: impl FnMut(&$crate::types::Video),
            ) -> Result<$crate::types::Video, $crate::Error> {
                let start = $crate::io::now();
                loop {
                    match poller.next(&start.later($crate::io::instant())) {
                        $crate::PollAction::Send(op) => match self.client.execute(&op, &self.options)$(.$await)? {
                            Ok(fetched) => {
                                observer(&fetched.value);
                                poller.handle_video(fetched.value, &fetched.headers, &start.later($crate::io::instant()));
                            }
                            Err(error) => {
                                if let Some(error) = poller.handle_error(error, &start.later($crate::io::instant())) {
                                    return Err(error);
                                }
                            }
                        },
                        $crate::PollAction::Wait(wait) => sleep(wait)$(.$await)?,
                        $crate::PollAction::Done(video) => return Ok(*video),
                        $crate::PollAction::TimedOut(timeout) => return Err(timeout.into()),
                    }
                }
            }

            /// Starts downloading a completed job's media; the body is streamed by
            /// the returned [`Download`]. `variant` defaults to the MP4.
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let download = videos.download_content(\"video_123\", Some(VideoContentVariant::Thumbnail))", $aw, "?;")]
            #[doc = "println!(\"{:?} bytes of {:?}\", download.content_length(), download.content_type());"]
            #[doc = concat!("download.save(\"thumbnail.webp\", |received, total| eprintln!(\"{received}/{total:?}\"))", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn download_content(
                &self,
                video_id: &str,
                variant: Option<$crate::types::VideoContentVariant>,
            ) -> Result<Download, $crate::Error> {
                let op = $crate::DownloadContent { video_id: video_id.to_owned(), variant };
                self.client.download(&op, &self.options)$(.$await)?
            }

            /// Downloads a completed job's media to `path`, atomically: see [`Download::save`].
            ///
            /// ```no_run
            #[doc = $pre]
            #[doc = concat!("let bytes = videos.download_to(\"video_123\", None, \"cat.mp4\")", $aw, "?;")]
            #[doc = $post]
            /// ```
            pub $($async)? fn download_to(
                &self,
                video_id: &str,
                variant: Option<$crate::types::VideoContentVariant>,
                path: impl AsRef<::std::path::Path>,
            ) -> Result<u64, $crate::Error> {
                self.download_content(video_id, variant)$(.$await)??.save(path, |_, _| {})$(.$await)?
            }
        }
    };
}

mod client;

//! No credential in any output: a known secret is fed through every way in
//! (the config, the environment, a per-call header, a per-call query, the
//! base URL by mistake, a token provider), and no `Display`, `Debug` or
//! error message of what the SDK hands back may contain it.

use std::error::Error as _;

use videos_core::{Config, RequestOptions, RetryPolicy};
use videos_emulator::{Emulator, EmulatorConfig};

const SECRET: &str = "sk-SECRET-abc123";

/// Every text a value shows: its `Display`, its `Debug`, and its sources'.
fn texts(error: &videos_core::Error) -> String {
    let mut out = format!("{error}\n{error:?}\n");
    let mut source = error.source();
    while let Some(cause) = source {
        out.push_str(&format!("{cause}\n{cause:?}\n"));
        source = cause.source();
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
}

#[test]
fn a_key_pasted_where_the_url_goes_is_never_repeated() {
    // Before: `invalid OPENAI_BASE_URL: "sk-SECRET-abc123" must be an absolute http or https URL`.
    let errors = [
        Config::new("k").with_base_url(SECRET).unwrap_err(),
        Config::new("k").with_base_url(&format!("ftp://{SECRET}")).unwrap_err(),
        Config::azure(SECRET).unwrap_err(),
        Config::from_vars(|name| (name == "OPENAI_BASE_URL").then(|| SECRET.to_owned())).unwrap_err(),
        Config::from_vars(|name| (name == "AZURE_OPENAI_ENDPOINT").then(|| SECRET.to_owned())).unwrap_err(),
    ];
    for error in &errors {
        assert_clean("a base URL error", &texts(error));
        let named = error.to_string().to_lowercase();
        assert!(named.contains("base_url") || named.contains("endpoint"), "the error names the setting: {error}");
    }
}

#[test]
fn configured_keys_and_per_call_credentials_stay_out_of_debug() {
    let configs = [
        Config::new(SECRET),
        Config::from_vars(|name| (name == "OPENAI_API_KEY").then(|| SECRET.to_owned())).unwrap(),
        Config::anonymous().with_token_provider(|| Ok(SECRET.to_owned())),
        Config::new("k").with_default_header("x-goog-api-key", SECRET).unwrap(),
    ];
    for config in &configs {
        assert_clean("a config's Debug", &format!("{config:?}"));
    }
    // Before, a per-call header was shown in clear: `extra_headers: {"authorization": "Bearer sk-…"}`.
    let options = RequestOptions::default()
        .header("Authorization", &format!("Bearer {SECRET}"))
        .unwrap()
        .header("x-litellm-api-key", SECRET)
        .unwrap()
        .query("api-key", SECRET)
        .query("sig", SECRET);
    assert_clean("RequestOptions' Debug", &format!("{options:?}"));
    let client = videos_blocking::Client::new(Config::new("k")).unwrap();
    let videos =
        client.videos().with_header("Authorization", &format!("Bearer {SECRET}")).unwrap().with_query("key", SECRET);
    assert_clean("a blocking handle's Debug", &format!("{videos:?}"));
    let client = videos_reqwest::Client::new(Config::new("k")).unwrap();
    let videos = client.videos().with_header("api-key", SECRET).unwrap().with_query("token", SECRET);
    assert_clean("an async handle's Debug", &format!("{videos:?}"));
    // An idempotency key is no secret: it is shown, to find a job again.
    assert!(
        format!("{:?}", RequestOptions::default().header("idempotency-key", "order-7").unwrap()).contains("order-7")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_of_calls_that_carry_a_secret_do_not_show_it() {
    // A refused key (401) and a service that is not there (no answer at all).
    let emulator =
        Emulator::start(EmulatorConfig { api_key: Some("another".into()), ..EmulatorConfig::fast() }).await.unwrap();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    for base in [emulator.base_url(), format!("http://{closed}/v1")] {
        let config = Config::new(SECRET).with_base_url(&base).unwrap().with_retry(RetryPolicy::none());
        let async_client = videos_reqwest::Client::new(config.clone()).unwrap();
        let error = async_client
            .videos()
            .with_query("api-key", SECRET)
            .with_header("x-api-key", SECRET)
            .unwrap()
            .retrieve("video_1")
            .await
            .unwrap_err();
        assert_clean("an async call's error", &texts(&error));
        let blocking = videos_blocking::Client::new(config).unwrap();
        let error = tokio::task::spawn_blocking(move || {
            blocking
                .videos()
                .with_query("api-key", SECRET)
                .with_header("x-api-key", SECRET)
                .unwrap()
                .retrieve("video_1")
        })
        .await
        .unwrap()
        .unwrap_err();
        assert_clean("a blocking call's error", &texts(&error));
    }
}

//! No bytes from the network make a parser panic.

use bytes::Bytes;
use proptest::prelude::*;
use videos_core::{DeleteVideo, DownloadContent, ListVideos, Operation, RetrieveCharacter, RetrieveVideo};

fn respond(status: u16, content_type: Option<&str>, body: Vec<u8>) -> http::Response<Bytes> {
    let mut b = http::Response::builder().status(status);
    if let Some(ct) = content_type {
        b = b.header("content-type", ct);
    }
    b.header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT").body(Bytes::from(body)).unwrap()
}

/// Bytes that are sometimes JSON-like, to reach deeper into the parsers.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        "\\{\"(id|error|object|data|status|message)\": ?(null|\"[a-z]*\"|[0-9]{1,20}|\\{|\\[)[,\\]\\}]{0,3}".prop_map(String::into_bytes),
        (0usize..400).prop_map(|cut| br#"{"error":{"message":"m","type":"t","param":null,"code":null}}"#.iter().copied().cycle().take(cut).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn parsers_never_panic(status in 100u16..600, json in any::<bool>(), body in body()) {
        let ct = json.then_some("application/json");
        let _ = RetrieveVideo::new("v").parse(respond(status, ct, body.clone()));
        let _ = ListVideos::new().parse(respond(status, ct, body.clone()));
        let _ = DeleteVideo::new("v").parse(respond(status, ct, body.clone()));
        let _ = RetrieveCharacter::new("c").parse(respond(status, ct, body.clone()));
        let op = DownloadContent::new("v");
        let _ = op.parse_error(http::StatusCode::from_u16(status).unwrap(), &http::HeaderMap::new(), &body);
    }

    #[test]
    fn header_parsers_never_panic(value in "[ -~]{0,40}") {
        let mut h = http::HeaderMap::new();
        for name in ["retry-after", "retry-after-ms", "openai-poll-after-ms", "content-length", "x-should-retry"] {
            h.insert(name, http::HeaderValue::from_str(&value).unwrap());
        }
        let _ = videos_core::response::retry_after(&h, Some(std::time::SystemTime::UNIX_EPOCH));
        let _ = videos_core::response::poll_after(&h);
        let _ = DownloadContent::new("v").parse_head(http::StatusCode::OK, &h);
        let policy = videos_core::RetryPolicy::default();
        let _ = policy.decide(0, &videos_core::Outcome::Response { status: http::StatusCode::TOO_MANY_REQUESTS, headers: &h }, 0.5, std::time::SystemTime::UNIX_EPOCH);
    }
}

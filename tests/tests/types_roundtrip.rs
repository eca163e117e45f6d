//! Property tests of the generated types: every enum, listed or not, and
//! every field of a `Video`, survive JSON → type → JSON unchanged.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use videos_types::*;

/// Any string, biased towards short identifier-like ones the service might add.
fn wire_string() -> impl Strategy<Value = String> {
    prop_oneof![".*", "[a-z0-9._-]{1,16}"]
}

macro_rules! open_enum_properties {
    ($($module:ident => $ty:ty),* $(,)?) => {$(
        mod $module {
            use super::*;

            #[test]
            fn every_listed_value_round_trips() {
                assert!(!<$ty>::KNOWN.is_empty());
                for variant in <$ty>::KNOWN {
                    let json = serde_json::to_value(variant).unwrap();
                    assert_eq!(json, Value::String(variant.as_str().to_owned()));
                    let back: $ty = serde_json::from_value(json).unwrap();
                    assert_eq!(&back, variant);
                    assert!(back.is_known());
                    assert_eq!(back.to_string().parse::<$ty>().unwrap(), back);
                }
            }

            proptest! {
                #[test]
                fn any_string_round_trips(value in wire_string()) {
                    let parsed: $ty = serde_json::from_value(Value::String(value.clone())).unwrap();
                    prop_assert_eq!(parsed.as_str(), value.as_str());
                    prop_assert_eq!(serde_json::to_value(&parsed).unwrap(), Value::String(value.clone()));
                    let listed = <$ty>::KNOWN.iter().any(|k| k.as_str() == value);
                    prop_assert_eq!(parsed.is_known(), listed);
                    prop_assert_eq!(<$ty>::from(value.as_str()), parsed);
                }
            }
        }
    )*};
}

open_enum_properties! {
    video_model => VideoModel,
    video_seconds => VideoSeconds,
    video_size => VideoSize,
    video_status => VideoStatus,
    video_list_order => VideoListOrder,
    video_content_variant => VideoContentVariant,
    video_object => VideoObject,
    video_list_object => VideoListObject,
    video_delete_response_object => VideoDeleteResponseObject,
}

#[test]
fn the_enum_list_above_covers_every_enum_in_the_fragment() {
    let text = std::fs::read_to_string(xtask::workspace_root().join(xtask::FRAGMENT_PATH)).unwrap();
    let model = xtask::schema::analyze(&xtask::Fragment::parse(xtask::FRAGMENT_PATH, &text).unwrap()).unwrap();
    let names: Vec<&str> = model.enums.iter().map(|e| e.name.as_str()).collect();
    let tested = [
        "VideoContentVariant",
        "VideoDeleteResponseObject",
        "VideoListObject",
        "VideoListOrder",
        "VideoModel",
        "VideoObject",
        "VideoSeconds",
        "VideoSize",
        "VideoStatus",
    ];
    assert_eq!(names, tested, "add the new enum to open_enum_properties!");
}

fn enum_value<T: From<String> + AsRef<str>>(known: &'static [T]) -> impl Strategy<Value = String> {
    let listed: Vec<String> = known.iter().map(|k| k.as_ref().to_owned()).collect();
    prop_oneof![prop::sample::select(listed), wire_string()]
}

fn nullable<S: Strategy>(inner: S) -> impl Strategy<Value = Value>
where
    S::Value: Into<Value>,
{
    prop_oneof![Just(Value::Null), inner.prop_map(Into::into)]
}

/// Unknown fields: keys no schema lists, with JSON values of every kind but floats
/// (whose text form serde_json does not promise to keep).
fn extra_fields() -> impl Strategy<Value = Map<String, Value>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".*".prop_map(Value::from),
    ];
    let value = leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map("x_[a-z_]{1,10}", value, 0..4).prop_map(|m| m.into_iter().collect())
}

prop_compose! {
    fn video_json()(
        id in ".*",
        object in enum_value(VideoObject::KNOWN),
        model in enum_value(VideoModel::KNOWN),
        status in enum_value(VideoStatus::KNOWN),
        progress in any::<i64>(),
        created_at in any::<i64>(),
        completed_at in nullable(any::<i64>()),
        expires_at in nullable(any::<i64>()),
        prompt in nullable(".*"),
        size in enum_value(VideoSize::KNOWN),
        seconds in enum_value(VideoSeconds::KNOWN),
        remixed_from_video_id in nullable(".*"),
        error in nullable((".*", ".*").prop_map(|(code, message)| json!({"code": code, "message": message}))),
        extra in extra_fields(),
    ) -> Value {
        let mut doc = json!({
            "id": id, "object": object, "model": model, "status": status, "progress": progress,
            "created_at": created_at, "completed_at": completed_at, "expires_at": expires_at,
            "prompt": prompt, "size": size, "seconds": seconds,
            "remixed_from_video_id": remixed_from_video_id, "error": error,
        });
        doc.as_object_mut().unwrap().extend(extra);
        doc
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_video_round_trips_through_json(doc in video_json()) {
        let text = serde_json::to_string(&doc).unwrap();
        let video: Video = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(serde_json::to_value(&video).unwrap(), doc);
        let again: Video = serde_json::from_str(&serde_json::to_string(&video).unwrap()).unwrap();
        prop_assert_eq!(again, video);
    }

    #[test]
    fn a_list_page_round_trips(docs in prop::collection::vec(video_json(), 0..4), has_more in any::<bool>()) {
        let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
        let page = json!({
            "object": "list", "data": docs, "first_id": ids.first(), "last_id": ids.last(), "has_more": has_more,
        });
        let list: VideoList = serde_json::from_value(page.clone()).unwrap();
        prop_assert_eq!(list.data.len(), docs.len());
        prop_assert_eq!(serde_json::to_value(&list).unwrap(), page);
    }
}

#[test]
fn null_and_value_are_told_apart() {
    let base = json!({
        "id": "video_1", "object": "video", "model": "sora-2", "status": "completed", "progress": 100,
        "created_at": 1, "completed_at": 2, "expires_at": null, "prompt": null, "size": "720x1280",
        "seconds": "4", "remixed_from_video_id": "video_0", "error": null,
    });
    let video: Video = serde_json::from_value(base.clone()).unwrap();
    assert_eq!(video.completed_at, Some(videos_types::UnixTime::from_secs(2)));
    assert_eq!(video.expires_at, None);
    assert_eq!(video.prompt, None);
    assert_eq!(video.remixed_from_video_id.as_deref(), Some("video_0"));
    // Nulls are written back as nulls, not dropped.
    assert_eq!(serde_json::to_value(&video).unwrap(), base);
}

#[test]
fn an_extension_reports_a_stitched_total_no_create_accepts() {
    let video: Video = serde_json::from_str(
        r#"{"id":"v","object":"video","model":"sora-2-pro","status":"completed","progress":100,"created_at":1,
            "completed_at":2,"expires_at":3,"prompt":"p","size":"1792x1024","seconds":"24",
            "remixed_from_video_id":null,"error":null}"#,
    )
    .unwrap();
    assert_eq!(video.seconds.as_ref().and_then(|s| s.as_secs()), Some(24));
    assert!(!video.seconds.as_ref().unwrap().is_known());
}

#[test]
fn a_missing_required_field_is_a_clear_error() {
    // Only the id is required of a Video: gateways leave the rest out.
    let err = serde_json::from_str::<Video>(r#"{"object":"video","status":"queued"}"#).unwrap_err();
    assert!(err.to_string().starts_with("missing field `id`"), "{err}");
}

#[test]
fn what_living_gateways_send_reads_and_means_what_it_says() {
    // Before, a plain-string error failed the whole answer, and a created_at
    // in milliseconds read as a date 50,000 years away.
    let text = r#"{"id":"v","status":"pending","created_at":1764500000123,"completed_at":1764500009000.5,
        "error":"upstream timed out","seconds":8,"size":"768P"}"#;
    let video: Video = serde_json::from_str(text).unwrap();
    assert_eq!(video.created_at.as_ref().map(UnixTime::as_secs), Some(1_764_500_000));
    assert!(video.created_at.as_ref().unwrap().is_millis());
    assert_eq!(video.completed_at.as_ref().map(UnixTime::as_secs), Some(1_764_500_009));
    let error = video.error.as_ref().unwrap();
    assert_eq!((error.message.as_deref(), error.code.as_deref()), (Some("upstream timed out"), None));
    assert_eq!(video.seconds, Some(VideoSeconds::Eight));
    assert_eq!(video.size.as_ref().map(VideoSize::as_str), Some("768P"));
    // Written back, the millisecond number is the one that came; seconds stay seconds.
    let back = serde_json::to_value(&video).unwrap();
    assert_eq!(back["created_at"], serde_json::json!(1764500000123u64));
    assert_eq!(UnixTime::from_secs(1_712_697_600).as_secs(), 1_712_697_600);
    // Statuses other services use: still running, or final.
    for (status, is_final) in [("pending", false), ("processing", false), ("cancelled", true), ("expired", true)] {
        let video: Video = serde_json::from_str(&format!(r#"{{"id":"v","status":"{status}"}}"#)).unwrap();
        assert_eq!(videos_core::poll::is_final(video.status.as_ref().unwrap()), is_final, "{status}");
    }
}

//! The API as it was last served (OpenAI's guide before the shutdown): clips
//! of 4 to 20 seconds for both models, and 1920x1080 / 1080x1920 with
//! `sora-2-pro` only. The emulator renders them, and refuses the large
//! sizes with `sora-2` naming the model that makes them.

use videos_core::{ApiErrorKind, CreateVideo};
use videos_emulator::{Emulator, EmulatorConfig};
use videos_tests::transport::{both, config};
use videos_types::{VideoSeconds, VideoSize, VideoStatus};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sixteen_second_full_hd_clip_with_sora_2_pro_lasts_exactly_sixteen_seconds_with_sound() {
    let emulator = Emulator::start(EmulatorConfig::fast()).await.unwrap();
    let [client, _] = both(&config(&format!("http://{}", emulator.address())));
    let params = CreateVideo::new("A lighthouse at dusk, waves below")
        .model("sora-2-pro")
        .seconds(VideoSeconds::Sixteen)
        .size(VideoSize::Landscape1920x1080);
    let video = client.create_and_poll(params).await.unwrap();
    assert_eq!(video.status, Some(VideoStatus::Completed));
    assert_eq!((video.seconds, video.size), (Some(VideoSeconds::Sixteen), Some(VideoSize::Landscape1920x1080)));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("full-hd.mp4");
    client.download_to(&video.id, None, &path).await.unwrap();
    let media = videos_emulator::render::probe(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!((media.width, media.height), (1920, 1080));
    assert_eq!((media.duration_ms, media.movie_duration_ms), (16_000, 16_000));
    assert!(media.audio, "with its sound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_hd_sizes_with_sora_2_are_refused_naming_sora_2_pro() {
    let emulator = Emulator::start(EmulatorConfig::fast()).await.unwrap();
    for client in both(&config(&format!("http://{}", emulator.address()))) {
        for size in [VideoSize::Landscape1920x1080, VideoSize::Portrait1080x1920] {
            let error = client.create(CreateVideo::new("p").model("sora-2").size(size.clone())).await.unwrap_err();
            assert_eq!(error.api_kind(), Some(ApiErrorKind::BadRequest), "{size}: {error}");
            assert!(error.to_string().contains("sora-2-pro") && error.to_string().contains("(param size)"), "{error}");
        }
        // Every length as last served, with either model.
        for seconds in [VideoSeconds::Twelve, VideoSeconds::Sixteen, VideoSeconds::Twenty] {
            let video = client.create(CreateVideo::new("p").model("sora-2").seconds(seconds.clone())).await.unwrap();
            assert_eq!(video.seconds, Some(seconds));
        }
    }
}

"""The official `openai` Python SDK against `videos serve`: every Videos
operation, as a user of that SDK writes it. Run by
crates/videos-cli/tests/official_sdks.rs, which starts the server and sets
VIDEOS_MODE (openai or azure), VIDEOS_BASE_URL, VIDEOS_KEY, VIDEOS_API_VERSION
and VIDEOS_TMP. Exits non-zero, naming the step, on the first failure."""

import os
import pathlib
import sys

import warnings

import openai

# The SDK warns on every Videos call that OpenAI's own service shut down.
warnings.filterwarnings("ignore", category=DeprecationWarning)


def client():
    base_url, key = os.environ["VIDEOS_BASE_URL"], os.environ["VIDEOS_KEY"]
    if os.environ["VIDEOS_MODE"] == "azure":
        # The v1 API of an Azure resource: api-key header, api-version query.
        return openai.AzureOpenAI(base_url=base_url, api_key=key, api_version=os.environ["VIDEOS_API_VERSION"])
    return openai.OpenAI(base_url=base_url, api_key=key)


def check(step, condition, detail=""):
    if not condition:
        sys.exit(f"python {openai.__version__}: {step} failed {detail}")


def object_field(call, step):
    """A call with an object where the SDK also takes a file (`video={"id":
    …}`, `input_reference={"image_url": …}`). openai 3.57 refuses those in
    the client, before sending ("Expected entry at `video` to be bytes…");
    that refusal is reported, anything else must succeed."""
    try:
        result = call()
    except RuntimeError as e:
        if "Expected entry at `" not in str(e):
            raise
        print(f"{step}: refused by the SDK itself before sending ({openai.__version__})")
        return
    check(step, result.object == "video", result)


def main():
    tmp = pathlib.Path(os.environ["VIDEOS_TMP"])
    c = client()

    video = c.videos.create_and_poll(prompt="a lighthouse at dusk", seconds="4", size="1280x720", poll_interval_ms=50)
    check("create_and_poll", video.status == "completed" and video.size == "1280x720", video)
    check("retrieve", c.videos.retrieve(video.id).id == video.id)

    content = c.videos.download_content(video.id)
    mp4 = tmp / "py.mp4"
    content.write_to_file(mp4)
    check("download video", mp4.read_bytes()[4:8] == b"ftyp", mp4.stat().st_size)
    thumbnail = c.videos.download_content(video.id, variant="thumbnail").read()
    check("download thumbnail", thumbnail[:4] == b"RIFF" and thumbnail[8:12] == b"WEBP")

    remix = c.videos.remix(video.id, prompt="the same, in winter")
    check("remix", remix.remixed_from_video_id == video.id, remix)

    with open(mp4, "rb") as upload:
        edited = c.videos.edit(video=upload, prompt="add a ship")
    check("edit by upload", edited.object == "video", edited)
    with open(mp4, "rb") as upload:
        extended = c.videos.extend(video=upload, prompt="the ship sails on", seconds="4")
    check("extend by upload", extended.object == "video", extended)
    object_field(lambda: c.videos.edit(video={"id": video.id}, prompt="add a ship"), "edit by id")
    object_field(lambda: c.videos.extend(video={"id": video.id}, prompt="on", seconds="4"), "extend by id")

    reference = {"image_url": "https://example.com/harbour.png"}
    object_field(lambda: c.videos.create(prompt="a harbour", input_reference=reference), "create with an image_url")

    with open(mp4, "rb") as upload:
        character = c.videos.create_character(name="Keeper", video=upload)
    check("create_character", character.name == "Keeper", character)
    check("get_character", c.videos.get_character(character.id).id == character.id)

    ids = [v.id for v in c.videos.list(limit=2)]
    check("list (auto-paging)", video.id in ids and len(ids) >= 4, ids)

    deleted = c.videos.delete(video.id)
    check("delete", deleted.deleted and deleted.id == video.id, deleted)
    try:
        c.videos.retrieve(video.id)
        check("404 after delete", False)
    except openai.NotFoundError as e:
        check("404 carries a request id", bool(e.request_id) or os.environ["VIDEOS_MODE"] == "azure", e)

    print(f"python openai {openai.__version__} ({os.environ['VIDEOS_MODE']}): ok")


main()

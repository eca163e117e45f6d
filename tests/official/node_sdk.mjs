// The official `openai` Node SDK against `videos serve`: every Videos
// operation, as a user of that SDK writes it. Run by
// crates/videos-cli/tests/official_sdks.rs with NODE_PATH pointing at the
// installed package and VIDEOS_MODE, VIDEOS_BASE_URL, VIDEOS_KEY,
// VIDEOS_API_VERSION and VIDEOS_TMP set. Exits non-zero on the first failure.

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(path.join(process.env.NODE_PATH, "_"));
const { default: OpenAI, AzureOpenAI, NotFoundError, toFile } = require("openai");

const env = process.env;
const client =
  env.VIDEOS_MODE === "azure"
    ? new AzureOpenAI({ baseURL: env.VIDEOS_BASE_URL, apiKey: env.VIDEOS_KEY, apiVersion: env.VIDEOS_API_VERSION })
    : new OpenAI({ baseURL: env.VIDEOS_BASE_URL, apiKey: env.VIDEOS_KEY });

function check(step, condition, detail = "") {
  if (!condition) {
    console.error(`node: ${step} failed ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
    process.exit(1);
  }
}

async function waitFor(id) {
  for (let i = 0; i < 600; i++) {
    const video = await client.videos.retrieve(id);
    if (video.status === "completed" || video.status === "failed") return video;
    await new Promise((r) => setTimeout(r, 50));
  }
  check("polling", false, id);
}

const started = await client.videos.create({ prompt: "a lighthouse at dusk", seconds: "4", size: "1280x720" });
const video = await waitFor(started.id);
check("create and wait", video.status === "completed" && video.size === "1280x720", video);

const content = await client.videos.downloadContent(video.id);
const mp4 = Buffer.from(await content.arrayBuffer());
check("download video", mp4.subarray(4, 8).toString() === "ftyp", mp4.length);
const file = path.join(env.VIDEOS_TMP, "node.mp4");
fs.writeFileSync(file, mp4);
const thumb = Buffer.from(await (await client.videos.downloadContent(video.id, { variant: "thumbnail" })).arrayBuffer());
check("download thumbnail", thumb.subarray(8, 12).toString() === "WEBP");

const remix = await client.videos.remix(video.id, { prompt: "the same, in winter" });
check("remix", remix.remixed_from_video_id === video.id, remix);

const editedById = await client.videos.edit({ video: { id: video.id }, prompt: "add a ship" });
check("edit by id", editedById.object === "video", editedById);
const editedByUpload = await client.videos.edit({ video: fs.createReadStream(file), prompt: "add a ship" });
check("edit by upload", editedByUpload.object === "video", editedByUpload);
const extended = await client.videos.extend({ video: { id: video.id }, prompt: "the ship sails on", seconds: "4" });
check("extend by id", extended.object === "video", extended);

const referenced = await client.videos.create({
  prompt: "a harbour",
  input_reference: { image_url: "https://example.com/harbour.png" },
});
check("create with an image_url reference", referenced.object === "video", referenced);

const character = await client.videos.createCharacter({ name: "Keeper", video: await toFile(mp4, "keeper.mp4") });
check("createCharacter", character.name === "Keeper", character);
check("getCharacter", (await client.videos.getCharacter(character.id)).id === character.id);

const ids = [];
for await (const v of client.videos.list({ limit: 2 })) ids.push(v.id);
check("list (auto-paging)", ids.includes(video.id) && ids.length >= 5, ids);

const deleted = await client.videos.delete(video.id);
check("delete", deleted.deleted && deleted.id === video.id, deleted);
try {
  await client.videos.retrieve(video.id);
  check("404 after delete", false);
} catch (e) {
  check("404 after delete", e instanceof NotFoundError, String(e));
}
console.log(`node openai (${env.VIDEOS_MODE}): ok`);

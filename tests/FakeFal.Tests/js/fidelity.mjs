// Drives the official @fal-ai/client against FakeFal and prints one JSON summary line.
// The client always targets https://queue.fal.run (queue) and https://rest.fal.ai (storage
// initiate, see getRestApiUrl in its src/config.js); a request middleware rewrites those origins to
// FAKEFAL_URL, so every URL the client builds (submit, status, stream, result, cancel, storage
// initiate) is checked against FakeFal's routing exactly as the client would use fal's. The storage
// PUT goes to the upload_url FakeFal returned, untouched by the middleware (as at fal).
import { fal } from "@fal-ai/client";

const base = process.env.FAKEFAL_URL;
const model = process.env.FAKEFAL_MODEL ?? "fal-ai/kling-video/v2.1/standard/text-to-video";
const webhookUrl = process.env.FAKEFAL_WEBHOOK_URL;
if (!base) {
  console.error("FAKEFAL_URL is required");
  process.exit(2);
}

const seenUrls = [];
fal.config({
  credentials: "fakefal-test-key",
  requestMiddleware: async (request) => {
    const url = request.url.replace(/^https:\/\/(queue\.fal\.run|rest\.fal\.ai)/, base);
    seenUrls.push(`${request.method} ${url.replace(base, "")}`);
    return { ...request, url };
  },
});

const summary = {};

// 1. subscribe, polling mode (the default), with logs and queue updates.
const polled = [];
const polling = await fal.subscribe(model, {
  input: { prompt: "a lighthouse at dusk", resolution: "720p", seed: 7 },
  logs: true,
  pollInterval: 100,
  onQueueUpdate: (u) => polled.push({ status: u.status, logs: u.logs?.length ?? 0, queue_position: u.queue_position }),
});
summary.subscribe = {
  requestId: polling.requestId,
  data: polling.data,
  statuses: [...new Set(polled.map((u) => u.status))],
  maxLogs: Math.max(0, ...polled.map((u) => u.logs)),
};

// 2. subscribe, streaming mode (status/stream SSE).
const streamed = [];
const streaming = await fal.subscribe(model, {
  input: { prompt: "a paper boat" },
  logs: true,
  mode: "streaming",
  onQueueUpdate: (u) => streamed.push(u.status),
});
summary.stream = { requestId: streaming.requestId, url: streaming.data?.video?.url, statuses: [...new Set(streamed)] };

// 3. queue.submit / status / result, with a webhook.
const submitted = await fal.queue.submit(model, { input: { prompt: "a kite" }, webhookUrl });
const firstStatus = await fal.queue.status(model, { requestId: submitted.request_id, logs: true });
const done = await fal.queue.subscribeToStatus(model, { requestId: submitted.request_id, logs: true, pollInterval: 100 });
const result = await fal.queue.result(model, { requestId: submitted.request_id });
summary.queue = {
  submitted,
  firstStatus: firstStatus.status,
  doneStatus: done.status,
  resultRequestId: result.requestId,
  url: result.data?.video?.url,
};

// 4. queue.cancel on a request that is still queued, then its status.
const toCancel = await fal.queue.submit(model, { input: { prompt: "never mind" } });
await fal.queue.cancel(model, { requestId: toCancel.request_id });
const canceled = await fal.queue.status(model, { requestId: toCancel.request_id, logs: false });
summary.cancel = { requestId: toCancel.request_id, status: canceled.status, error_type: canceled.error_type ?? null };

// 5. an error result surfaces as the client's typed error.
try {
  await fal.subscribe(model, { input: { prompt: "blocked [fakefal:error]" }, pollInterval: 100 });
  summary.error = { thrown: false };
} catch (e) {
  summary.error = { thrown: true, name: e.name, status: e.status, type: e.body?.detail?.[0]?.type ?? null };
}

// 6. storage: fal.storage.upload(blob) → initiate → PUT upload_url → file_url serving the same bytes;
// then a Blob inside an input is uploaded by the client and replaced by its file URL before submit.
const imageModel = process.env.FAKEFAL_IMAGE_MODEL ?? "fal-ai/kling-video/v2.1/standard/image-to-video";
const png = Uint8Array.from(Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
const fileUrl = await fal.storage.upload(new Blob([png], { type: "image/png" }));
const served = await fetch(fileUrl);
const servedBytes = new Uint8Array(await served.arrayBuffer());
const withImage = await fal.queue.submit(imageModel, {
  input: { prompt: "the picture comes alive", image_url: new Blob([png], { type: "image/png" }) },
});
summary.storage = {
  fileUrl,
  status: served.status,
  contentType: served.headers.get("content-type"),
  sameBytes: servedBytes.length === png.length && servedBytes.every((b, i) => b === png[i]),
  imageRequestId: withImage.request_id,
};

summary.urls = [...new Set(seenUrls.map((u) => u.replace(/[0-9a-f-]{36}/g, "{id}").replace(/\?.*$/, "")))].sort();
console.log(JSON.stringify(summary));

// VideoGen page: no build step, no framework. Live updates by Server-Sent Events per unfinished
// video (at most MAX_STREAMS at once, so the browser's connection limit is never reached),
// falling back to polling every 3 s when a stream fails or more videos are running.
"use strict";

const POLL_MS = 3000;
const MAX_STREAMS = 3;
const TERMINAL = new Set(["succeeded", "failed", "canceled"]);
const STATUS_TEXT = {
  queued: "Queued", submitting: "Submitting", in_queue: "In queue", generating: "Generating",
  ingesting: "Saving", succeeded: "Succeeded", failed: "Failed", canceled: "Canceled",
  submit_unconfirmed: "Confirming with provider",
};

const $ = (id) => document.getElementById(id);
const cards = new Map();   // id -> { li, video }
const streams = new Map(); // id -> EventSource
const polled = new Set();  // ids watched by polling
let nextCursor = null;
let models = [];

async function api(path, options = {}) {
  const headers = { "Accept": "application/json", ...(options.headers || {}) };
  // Cookie-authenticated changes carry the antiforgery token (account.js reads it from /api/account/me).
  if (options.method && options.method !== "GET" && VideoGenAccount.csrfToken()) headers["X-CSRF-Token"] = VideoGenAccount.csrfToken();
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) VideoGenAccount.signedOut();
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  return { ok: response.ok, status: response.status, body };
}

function problemText(body, status) {
  if (!body) return `Request failed (${status}).`;
  const parts = [];
  if (body.errors) {
    for (const [field, messages] of Object.entries(body.errors)) parts.push(`${field}: ${messages.join(" ")}`);
  }
  if (parts.length === 0) parts.push(body.detail || body.title || `Request failed (${status}).`);
  return parts.join(" ");
}

async function loadModels() {
  const select = $("model");
  const { ok, body } = await api("/api/models");
  select.textContent = "";
  if (!ok) {
    select.append(new Option("Models unavailable", ""));
    return;
  }
  models = body.items;
  for (const m of models) {
    const option = new Option(m.displayName, m.id);
    option.selected = m.id === body.defaultModel;
    select.append(option);
  }
  describeModel();
}

function describeModel() {
  const m = models.find((x) => x.id === $("model").value);
  $("model-description").textContent = m ? m.description : "";
}

async function loadVideos(cursor) {
  const query = cursor ? `?limit=20&cursor=${encodeURIComponent(cursor)}` : "?limit=20";
  const { ok, body } = await api(`/api/videos${query}`);
  if (!ok) return;
  for (const video of body.items) upsert(video, false);
  nextCursor = body.nextCursor;
  $("more").hidden = !nextCursor;
  $("empty").hidden = cards.size > 0;
}

function upsert(video, prepend) {
  let card = cards.get(video.id);
  if (!card) {
    const li = $("video-template").content.firstElementChild.cloneNode(true);
    li.dataset.id = video.id;
    li.querySelector(".cancel").addEventListener("click", () => cancel(video.id));
    if (prepend) $("videos").prepend(li); else $("videos").append(li);
    card = { li, video: null };
    cards.set(video.id, card);
  }
  render(card, video);
  card.video = video;
  $("empty").hidden = true;
  if (TERMINAL.has(video.status)) unwatch(video.id); else watch(video.id);
}

function render(card, video) {
  const li = card.li;
  const previous = card.video;
  li.dataset.status = video.status;
  li.querySelector(".prompt").textContent = video.prompt;
  const status = li.querySelector(".status");
  status.textContent = STATUS_TEXT[video.status] || video.status;
  status.dataset.status = video.status;
  li.querySelector(".model").textContent = video.model;
  const created = li.querySelector(".created");
  created.dateTime = video.createdAt;
  created.textContent = new Date(video.createdAt).toLocaleString();

  const progress = li.querySelector("progress");
  const running = !TERMINAL.has(video.status);
  progress.hidden = !running;
  if (typeof video.progress === "number") progress.value = video.progress; else progress.removeAttribute("value");
  progress.setAttribute("aria-label", `Progress of "${video.prompt.slice(0, 40)}"`);

  const position = li.querySelector(".position");
  position.hidden = video.queuePosition == null;
  position.textContent = video.queuePosition == null ? "" : `Position in provider queue: ${video.queuePosition}`;

  const logs = li.querySelector(".logs");
  logs.hidden = !running || !video.logs || video.logs.length === 0;
  logs.textContent = (video.logs || []).slice(-5).join("\n");

  const error = li.querySelector(".error");
  error.hidden = !video.error || video.status === "succeeded";
  error.textContent = video.error || "";

  li.querySelector(".cancel").hidden = !running;

  const media = li.querySelector(".media");
  if (video.status === "succeeded" && video.videoUrl) {
    if (!previous || previous.status !== "succeeded" || !media.querySelector("video")) {
      media.textContent = "";
      const player = document.createElement("video");
      player.controls = true;
      player.preload = "metadata";
      player.playsInline = true;
      if (video.posterUrl) player.poster = video.posterUrl;
      player.src = video.videoUrl;
      player.setAttribute("aria-label", `Video: ${video.prompt.slice(0, 80)}`);
      media.append(player);
    }
  } else if (!media.querySelector("video")) {
    media.textContent = STATUS_TEXT[video.status] || video.status;
  }
}

function watch(id) {
  if (streams.has(id) || polled.has(id)) return;
  if (!window.EventSource || streams.size >= MAX_STREAMS) {
    polled.add(id);
    return;
  }
  const source = new EventSource(`/api/videos/${encodeURIComponent(id)}/events`);
  streams.set(id, source);
  source.addEventListener("video", (event) => {
    try { upsert(JSON.parse(event.data), false); } catch { /* ignore a malformed event */ }
  });
  source.onerror = () => {
    // The stream ended (after a terminal status) or failed: polling takes over until the video is done.
    source.close();
    streams.delete(id);
    const card = cards.get(id);
    if (card && card.video && !TERMINAL.has(card.video.status)) polled.add(id);
  };
}

function unwatch(id) {
  const source = streams.get(id);
  if (source) { source.close(); streams.delete(id); }
  polled.delete(id);
}

async function pollOnce() {
  for (const id of [...polled]) {
    const { ok, status, body } = await api(`/api/videos/${encodeURIComponent(id)}`);
    if (ok) upsert(body, false);
    else if (status === 404) polled.delete(id);
  }
}

async function cancel(id) {
  const { ok, status, body } = await api(`/api/videos/${encodeURIComponent(id)}/cancel`, { method: "POST" });
  if (ok) upsert(body, false);
  else showError(problemText(body, status));
}

function showError(message) {
  const error = $("form-error");
  error.textContent = message;
  error.hidden = !message;
}

async function submit(event) {
  event.preventDefault();
  showError("");
  const prompt = $("prompt").value.trim();
  if (!prompt) {
    showError("Please enter a prompt.");
    $("prompt").focus();
    return;
  }
  const request = { prompt };
  if ($("model").value) request.model = $("model").value;
  const seed = $("seed").value.trim();
  if (seed !== "") request.seed = Number(seed);
  const button = $("submit");
  button.disabled = true;
  try {
    const { ok, status, body } = await api("/api/videos", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
    });
    if (!ok) {
      showError(problemText(body, status));
      return;
    }
    upsert(body, true);
    $("prompt").value = "";
  } catch (e) {
    showError(`Could not reach the server: ${e.message}`);
  } finally {
    button.disabled = false;
  }
}

$("create-form").addEventListener("submit", submit);
$("model").addEventListener("change", describeModel);
$("more").addEventListener("click", () => loadVideos(nextCursor));
VideoGenAccount.start(() => {
  setInterval(pollOnce, POLL_MS);
  loadModels();
  loadVideos(null);
});

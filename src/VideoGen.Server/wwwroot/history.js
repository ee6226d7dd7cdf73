// The list of videos: newest first, infinite scroll (IntersectionObserver on a sentinel below the list), filtered
// by status and prompt text on the server (GET /api/videos?status=…&q=…), and live: the user's list-wide event
// stream (GET /api/videos/events) brings every change, including videos made elsewhere (CLI, API, another tab).
// When that stream is unavailable or fails, the first page and the running videos are polled instead, and the
// stream is tried again now and then.
import { api, postJson, problemText } from "./api.js";
import { TERMINAL, createCard, renderCard, renderElapsed, cardMessage } from "./video-card.js";
import { modelById, randomSeed } from "./create-form.js";

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 20;
const POLL_MS = 3000;
const STREAM_RETRY_MS = 30000;
const RUNNING = ["queued", "scheduled", "submitting", "submit_unconfirmed", "in_queue", "generating", "ingesting"];

const cards = new Map(); // id -> card
let nextCursor = null;
let loading = false;
let listGeneration = 0;  // bumps when the filters change, so answers for old filters are dropped
let knownStatuses = null; // the statuses the server knows, learnt from a refused filter
let stream = null;
let streamOpen = false;
let pollTimer = 0;
let polling = false;

function filters() {
  const q = $("search").value.trim();
  const choice = $("status-filter").value;
  let statuses = choice === "running" ? RUNNING : choice ? [choice] : [];
  if (knownStatuses) statuses = statuses.filter((s) => knownStatuses.has(s));
  return { q, statuses };
}

function matches(video, { q, statuses }) {
  if (statuses.length > 0 && !statuses.includes(video.status)) return false;
  return !q || video.prompt.toLowerCase().includes(q.toLowerCase());
}

function listQuery(cursor) {
  const { q, statuses } = filters();
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) params.set("cursor", cursor);
  if (statuses.length > 0) params.set("status", statuses.join(","));
  if (q) params.set("q", q);
  return `/api/videos?${params}`;
}

/** Newest first: by createdAt, then id (the server's order). */
function isNewer(a, b) {
  if (a.createdAt !== b.createdAt) return Date.parse(a.createdAt) > Date.parse(b.createdAt);
  return a.id > b.id;
}

function listError(message) {
  $("list-error").textContent = message;
  $("list-error").hidden = !message;
}

function updateEmptyAndEnd() {
  const { q, statuses } = filters();
  $("empty").hidden = cards.size > 0;
  $("empty").textContent = q || statuses.length > 0 ? "No videos match." : "No videos yet.";
  $("list-end").hidden = nextCursor !== null || cards.size === 0;
}

/** Answers "which statuses does the server know" from a refused status filter, once; true when it helps to ask again. */
function learnStatuses(body) {
  if (knownStatuses || !body || !body.errors || !body.errors.status) return false;
  const text = [].concat(body.errors.status).join(" ");
  const known = RUNNING.concat(["succeeded", "failed", "canceled"]).filter((s) => new RegExp(`\\b${s}\\b`).test(text));
  knownStatuses = new Set(known);
  return true;
}

async function loadPage() {
  if (loading) return;
  loading = true;
  const generation = listGeneration;
  try {
    let answer = await api(listQuery(nextCursor));
    if (!answer.ok && answer.status === 400 && learnStatuses(answer.body)) answer = await api(listQuery(nextCursor));
    if (generation !== listGeneration) return;
    if (!answer.ok) {
      listError(problemText(answer.body, answer.status));
      return;
    }
    listError("");
    for (const video of answer.body.items) upsert(video, "append");
    nextCursor = answer.body.nextCursor;
    updateEmptyAndEnd();
  } catch (e) {
    listError(`Could not reach the server: ${e.message}`);
  } finally {
    // An answer for filters that were since changed must not end the newer load's "loading".
    if (generation === listGeneration) loading = false;
  }
  if (generation === listGeneration) recheckSentinel();
}

/** Resets the list for new filters and loads their first page. */
function reload() {
  listGeneration++;
  loading = false;
  nextCursor = null;
  cards.clear();
  $("videos").textContent = "";
  loadPage();
}

let observer = null;
function recheckSentinel() {
  // An observer reports on observe(): re-observing asks "is the sentinel still in view?" after a page was added.
  if (observer && nextCursor) {
    observer.unobserve($("sentinel"));
    observer.observe($("sentinel"));
  }
}

/** Adds or updates a video's card. placement: "top" (new here), "append" (a page), "sorted" (from the stream). */
export function upsert(video, placement) {
  let card = cards.get(video.id);
  if (!card) {
    if (placement === "sorted") {
      if (!matches(video, filters())) return;
      // Only within the loaded range; an older one arrives with its page.
      const last = $("videos").lastElementChild;
      const lastVideo = last && cards.get(last.dataset.id) && cards.get(last.dataset.id).video;
      if (nextCursor !== null && lastVideo && !isNewer(video, lastVideo)) return;
    }
    card = createCard($("video-template"), actions);
    cards.set(video.id, card);
    renderCard(card, video);
    insert(card, placement);
  } else {
    // A stream or poll answer older than what is shown (updatedAt) does not undo a newer one.
    if (card.video && Date.parse(video.updatedAt) < Date.parse(card.video.updatedAt)) return;
    renderCard(card, video);
  }
  updateEmptyAndEnd();
  if (!TERMINAL.has(video.status)) ensurePolling();
}

function insert(card, placement) {
  const list = $("videos");
  if (placement === "append") { list.append(card.li); return; }
  if (placement === "top") { list.prepend(card.li); return; }
  for (const li of list.children) {
    const other = cards.get(li.dataset.id);
    if (other && other.video && isNewer(card.video, other.video)) { list.insertBefore(card.li, li); return; }
  }
  list.append(card.li);
}

function removeCard(id) {
  const card = cards.get(id);
  if (!card) return;
  cards.delete(id);
  card.li.remove();
  updateEmptyAndEnd();
}

const path = (id, tail = "") => `/api/videos/${encodeURIComponent(id)}${tail}`;

const actions = {
  async cancel(card) {
    const { ok, status, body } = await api(path(card.video.id, "/cancel"), { method: "POST" });
    if (ok) { upsert(body, "sorted"); cardMessage(card, "Cancel requested."); } else cardMessage(card, problemText(body, status), true);
  },
  async retry(card) {
    const { ok, status, body } = await api(path(card.video.id, "/retry"), { method: "POST" });
    if (ok) { upsert(body, "sorted"); cardMessage(card, "Retrying."); } else cardMessage(card, problemText(body, status), true);
  },
  async regenerate(card) {
    // A new video with the same request and a new seed: limits, budget and idempotency apply as to any create.
    const v = card.video;
    const model = modelById(v.model);
    const request = { prompt: v.prompt, model: v.model };
    if (v.parameters && typeof v.parameters === "object") request.parameters = v.parameters;
    if (v.negativePrompt) request.negativePrompt = v.negativePrompt;
    if (v.imageUrl) request.imageUrl = v.imageUrl;
    if (!model || model.acceptsSeed) request.seed = randomSeed();
    const { ok, status, body } = await postJson("/api/videos", request);
    if (!ok) { cardMessage(card, problemText(body, status), true); return; }
    cardMessage(card, "Regenerating as a new video (top of the list).");
    upsert(body, "top");
  },
  async copyLink(card) {
    const url = new URL(card.video.videoUrl, window.location.href).href;
    try {
      await navigator.clipboard.writeText(url);
      cardMessage(card, "Link copied.");
    } catch {
      cardMessage(card, `Copy this link: ${url}`);
    }
  },
  async remove(card) {
    const id = card.video.id;
    const { ok, status, body } = await api(path(id), { method: "DELETE" });
    if (ok || status === 404) removeCard(id); else cardMessage(card, problemText(body, status), true);
  },
};

/** A video made by this page's form. */
export function added(video) {
  upsert(video, "top");
}

// Live updates.

function setLive(text) {
  $("live").textContent = text;
}

function openStream() {
  if (!window.EventSource || stream) return;
  stream = new EventSource("/api/videos/events");
  stream.addEventListener("open", () => {
    streamOpen = true;
    stopPolling();
    setLive("Live.");
    // Changes while the stream was down: one catch-up poll.
    pollOnce(true);
  });
  stream.addEventListener("video", (event) => {
    let video;
    try { video = JSON.parse(event.data); } catch { return; }
    if (video && video.id) upsert(video, "sorted");
  });
  stream.addEventListener("error", () => {
    streamOpen = false;
    ensurePolling();
    if (stream.readyState === EventSource.CLOSED) {
      // Refused (no such route, signed out, too many streams): poll, and try the stream again later.
      stream.close();
      stream = null;
      setLive("Updating every few seconds.");
      setTimeout(openStream, STREAM_RETRY_MS);
    }
  });
}

function ensurePolling() {
  if (!streamOpen && !pollTimer) pollTimer = setInterval(pollOnce, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = 0;
}

/** Without the stream: the first page (new videos from elsewhere) and every running video shown. */
async function pollOnce(force = false) {
  if (polling) return;
  if (streamOpen && !force) { stopPolling(); return; }
  polling = true;
  try {
    const running = [...cards.values()].filter((c) => c.video && !TERMINAL.has(c.video.status));
    const generation = listGeneration;
    const first = await api(listQuery(null));
    if (generation !== listGeneration || !first.ok) return;
    const seen = new Set();
    for (const video of first.body.items) { seen.add(video.id); upsert(video, "sorted"); }
    for (const card of running) {
      if (seen.has(card.video.id)) continue;
      const { ok, status, body } = await api(path(card.video.id));
      if (ok) upsert(body, "sorted"); else if (status === 404) removeCard(card.video.id);
    }
  } catch {
    // The server is unreachable for now; the next tick tries again.
  } finally {
    polling = false;
  }
}

function tickElapsed() {
  const now = Date.now();
  for (const card of cards.values()) {
    if (card.video && !TERMINAL.has(card.video.status)) renderElapsed(card, now);
  }
}

let searchTimer = 0;
export function initHistory() {
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(reload, 300);
  });
  $("search").addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); clearTimeout(searchTimer); reload(); }
  });
  $("status-filter").addEventListener("change", reload);
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && nextCursor && !loading) loadPage();
    }, { rootMargin: "400px 0px" });
    observer.observe($("sentinel"));
  }
  setInterval(tickElapsed, 1000);
  ensurePolling();
  openStream();
  return loadPage();
}

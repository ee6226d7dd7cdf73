// One video in the list: live status, queue positions, progress, the latest log lines, elapsed time, its cost,
// the player once it succeeded, and the actions its state allows (cancel, retry, regenerate, download, copy link,
// delete). Rendering only reads the video JSON; the actions call back into history.js.
import { formatUsd } from "./api.js";

export const TERMINAL = new Set(["succeeded", "failed", "canceled"]);
export const STATUS_TEXT = {
  queued: "Queued", scheduled: "Scheduled", submitting: "Submitting", submit_unconfirmed: "Checking submit",
  in_queue: "In provider queue", generating: "Generating", ingesting: "Saving",
  succeeded: "Succeeded", failed: "Failed", canceled: "Canceled",
};
const LOG_LINES = 5;
const DELETE_CONFIRM_MS = 5000;

export function statusText(status) {
  return STATUS_TEXT[status] || status.replace(/_/g, " ");
}

function short(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "4 s", "1 min 05 s", "1 h 02 min". */
export function formatElapsed(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

function elapsedOf(video, now) {
  const start = Date.parse(video.createdAt);
  const end = TERMINAL.has(video.status) ? Date.parse(video.completedAt || video.updatedAt) : now;
  return end - start;
}

function settingsText(video) {
  const parts = [];
  if (video.parameters && typeof video.parameters === "object") {
    for (const [name, value] of Object.entries(video.parameters)) parts.push(`${name.replace(/_/g, " ")} ${value}`);
  }
  if (video.seed != null) parts.push(`seed ${video.seed}`);
  if (video.imageUrl) parts.push("from an image");
  if (video.negativePrompt) parts.push(`avoid “${short(video.negativePrompt, 40)}”`);
  return parts.join(" · ");
}

function positionText(video) {
  const parts = [];
  const ours = video.localQueuePosition ?? video.ourQueuePosition;
  if (ours != null) parts.push(`Position in our queue: ${ours}`);
  if (video.estimatedStartAt) parts.push(`starts about ${new Date(video.estimatedStartAt).toLocaleTimeString()}`);
  // fal counts from 0: the number of requests ahead of this one.
  if (video.queuePosition != null) parts.push(`Provider queue: ${video.queuePosition === 0 ? "next" : `${video.queuePosition} ahead`}`);
  return parts.join(" · ");
}

/** A new card (not yet in the list) whose buttons call the given actions with the card's current video. */
export function createCard(template, actions) {
  const li = template.content.firstElementChild.cloneNode(true);
  const card = { li, video: null, deleteArmedUntil: 0 };
  const on = (selector, handler) => li.querySelector(selector).addEventListener("click", () => handler(card));
  on(".cancel", actions.cancel);
  on(".retry", actions.retry);
  on(".regenerate", actions.regenerate);
  on(".copy-link", actions.copyLink);
  on(".delete", (c) => {
    const button = c.li.querySelector(".delete");
    if (Date.now() < c.deleteArmedUntil) {
      c.deleteArmedUntil = 0;
      button.textContent = "Delete";
      actions.remove(c);
      return;
    }
    // Two presses (keyboard or pointer) delete: the first asks, for a few seconds.
    c.deleteArmedUntil = Date.now() + DELETE_CONFIRM_MS;
    button.textContent = "Really delete?";
    setTimeout(() => {
      if (Date.now() >= c.deleteArmedUntil) button.textContent = "Delete";
    }, DELETE_CONFIRM_MS + 50);
  });
  return card;
}

/** Shows <paramref name="video"/> in the card. */
export function renderCard(card, video, now = Date.now()) {
  const li = card.li;
  const previous = card.video;
  card.video = video;
  const running = !TERMINAL.has(video.status);
  li.dataset.id = video.id;
  li.dataset.status = video.status;
  li.querySelector(".prompt").textContent = video.prompt;
  const status = li.querySelector(".status");
  status.textContent = statusText(video.status);
  status.dataset.status = video.status;
  li.querySelector(".model").textContent = video.model;
  const created = li.querySelector(".created");
  created.dateTime = video.createdAt;
  created.textContent = new Date(video.createdAt).toLocaleString();
  renderElapsed(card, now);

  const cost = li.querySelector(".cost");
  if (video.spentCostUsd != null) {
    cost.textContent = `Spent ${formatUsd(video.spentCostUsd)}`;
  } else if (video.estimatedCostUsd != null) {
    cost.textContent = Number(video.estimatedCostUsd) === 0 ? "Free" : `Est. ${formatUsd(video.estimatedCostUsd)}`;
  } else {
    cost.textContent = "";
  }
  li.querySelector(".settings").textContent = settingsText(video);

  const progress = li.querySelector("progress");
  progress.hidden = !running;
  if (typeof video.progress === "number") progress.value = video.progress; else progress.removeAttribute("value");
  progress.setAttribute("aria-label", `Progress of "${short(video.prompt, 40)}"`);

  const position = li.querySelector(".position");
  const where = running ? positionText(video) : "";
  position.hidden = !where;
  position.textContent = where;

  const logs = li.querySelector(".logs");
  const lines = (video.logs || []).slice(-LOG_LINES);
  logs.hidden = !running || lines.length === 0;
  logs.textContent = lines.join("\n");

  const error = li.querySelector(".error");
  error.hidden = !video.error || video.status === "succeeded";
  error.textContent = video.error || "";

  // A keyboard user whose button just went away (Cancel once canceled) keeps their place in the card.
  const focused = li.contains(document.activeElement) && document.activeElement.classList.contains("action") ? document.activeElement : null;
  const label = short(video.prompt, 60);
  const show = (selector, visible, aria) => {
    const element = li.querySelector(selector);
    element.hidden = !visible;
    element.setAttribute("aria-label", `${aria}: ${label}`);
  };
  const done = video.status === "succeeded" && !!video.videoUrl;
  show(".cancel", running, "Cancel");
  show(".retry", video.status === "failed" || video.status === "canceled", "Retry");
  show(".regenerate", !running, "Regenerate with a new seed");
  show(".download", done, "Download");
  show(".copy-link", done, "Copy link");
  show(".delete", !running, "Delete");
  if (focused && focused.hidden) {
    const next = [...li.querySelectorAll(".action")].find((a) => !a.hidden);
    if (next) next.focus();
  }
  const download = li.querySelector(".download");
  if (done) {
    download.href = video.videoUrl;
    download.setAttribute("download", `${video.id}.mp4`);
  } else {
    download.removeAttribute("href");
  }

  const media = li.querySelector(".media");
  if (done) {
    if (!previous || previous.status !== "succeeded" || !media.querySelector("video")) {
      media.textContent = "";
      const player = document.createElement("video");
      player.controls = true;
      player.preload = "metadata";
      player.playsInline = true;
      if (video.posterUrl) player.poster = video.posterUrl;
      player.src = video.videoUrl;
      player.setAttribute("aria-label", `Video: ${short(video.prompt, 80)}`);
      media.append(player);
    }
  } else {
    media.textContent = statusText(video.status);
  }
}

/** Updates the elapsed time (called every second for running videos). */
export function renderElapsed(card, now = Date.now()) {
  const video = card.video;
  if (!video) return;
  const elapsed = card.li.querySelector(".elapsed");
  const text = formatElapsed(elapsedOf(video, now));
  elapsed.textContent = TERMINAL.has(video.status) ? `took ${text}` : `${text} so far`;
}

/** Says what an action did (or why it failed) under the card's buttons. */
export function cardMessage(card, text, isError = false) {
  const out = card.li.querySelector(".action-status");
  out.textContent = text;
  out.classList.toggle("error", isError);
}

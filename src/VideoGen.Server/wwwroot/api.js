// The page's calls to the VideoGen API: JSON in and out, the antiforgery token on cookie-authenticated changes,
// problem details (RFC 7807) turned into one readable line.
/* global VideoGenAccount */

/** Calls the API; never throws for an HTTP error (ok/status/body), only when the server cannot be reached. */
export async function api(path, options = {}) {
  const headers = { "Accept": "application/json", ...(options.headers || {}) };
  const method = (options.method || "GET").toUpperCase();
  // Cookie-authenticated changes carry the antiforgery token (account.js reads it from /api/account/me).
  if (method !== "GET" && VideoGenAccount.csrfToken()) headers["X-CSRF-Token"] = VideoGenAccount.csrfToken();
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) VideoGenAccount.signedOut();
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  return { ok: response.ok, status: response.status, body };
}

/** POST with a JSON body. */
export function postJson(path, value) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) });
}

/** One line for a problem answer: each field's messages, else its detail or title. */
export function problemText(body, status) {
  if (!body) return `Request failed (${status}).`;
  const parts = [];
  if (body.errors) {
    for (const [field, messages] of Object.entries(body.errors)) parts.push(`${field}: ${[].concat(messages).join(" ")}`);
  }
  if (parts.length === 0) parts.push(body.detail || body.title || `Request failed (${status}).`);
  return parts.join(" ");
}

/** "$0.28", "Free" for zero, "" when unknown. */
export function formatUsd(value) {
  if (value == null) return "";
  const n = Number(value);
  if (n === 0) return "Free";
  return `$${n < 0.1 ? n.toFixed(3).replace(/0$/, "") : n.toFixed(2)}`;
}

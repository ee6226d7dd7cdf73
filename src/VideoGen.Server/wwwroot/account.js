// VideoGen page, accounts part: who is signed in (GET /api/account/me), sign-in / sign-up screens, sign out,
// and the API keys screen. In single-user mode (loopback, no account) the page opens straight into the app.
// Cookie-authenticated changes carry the antiforgery token from /api/account/me in the X-CSRF-Token header.
"use strict";

const VideoGenAccount = (() => {
  const $ = (id) => document.getElementById(id);
  let me = null;
  let onSignedIn = () => {};
  let started = false;

  async function call(path, options = {}) {
    const headers = { "Accept": "application/json", ...(options.headers || {}) };
    const method = (options.method || "GET").toUpperCase();
    if (method !== "GET" && me && me.antiforgeryToken) headers["X-CSRF-Token"] = me.antiforgeryToken;
    const response = await fetch(path, { ...options, headers });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    return { ok: response.ok, status: response.status, body };
  }

  function problem(body, status) {
    if (!body) return `Request failed (${status}).`;
    if (body.errors) return Object.values(body.errors).flat().join(" ");
    return body.detail || body.title || `Request failed (${status}).`;
  }

  function show(screen) {
    $("auth").hidden = screen !== "auth";
    $("keys-screen").hidden = screen !== "keys";
    $("app").hidden = screen !== "app";
  }

  async function refresh() {
    const { ok, body } = await call("/api/account/me");
    me = ok ? body : null;
    const user = me && me.user;
    $("account-bar").hidden = !user;
    if (user) {
      $("account-name").textContent = me.mode === "single-user" ? "Single-user mode (local owner)" : `Signed in as ${user.email}${user.isAdmin ? " (admin)" : ""}`;
      $("signout").hidden = me.mode === "single-user";
      $("keys-button").hidden = me.mode === "single-user";
      show("app");
      if (!started) { started = true; onSignedIn(); }
    } else {
      const policy = me ? me.signUp : "closed";
      $("show-signup").hidden = policy === "closed";
      $("invitation-field").hidden = policy !== "invite-only";
      show("auth");
      $("signin-email").focus();
    }
  }

  function authError(id, message) {
    const error = $(id);
    error.textContent = message;
    error.hidden = !message;
  }

  async function signIn(event) {
    event.preventDefault();
    authError("signin-error", "");
    const { ok, status, body } = await call("/api/account/signin", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: $("signin-email").value.trim(), password: $("signin-password").value }),
    });
    if (!ok) { authError("signin-error", problem(body, status)); return; }
    $("signin-password").value = "";
    await refresh();
  }

  async function signUp(event) {
    event.preventDefault();
    authError("signup-error", "");
    const request = { email: $("signup-email").value.trim(), password: $("signup-password").value };
    const code = $("signup-invitation").value.trim();
    if (code) request.invitation = code;
    const { ok, status, body } = await call("/api/account/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
    });
    if (!ok) { authError("signup-error", problem(body, status)); return; }
    $("signup-password").value = "";
    await refresh();
  }

  async function signOut() {
    await call("/api/account/signout", { method: "POST" });
    // Drop the signed-in page state (videos, streams) with a fresh load.
    window.location.reload();
  }

  function toggleSignUp(showSignUp) {
    $("signin-form").hidden = showSignUp;
    $("signup-form").hidden = !showSignUp;
    (showSignUp ? $("signup-email") : $("signin-email")).focus();
  }

  async function openKeys() {
    show("keys");
    $("new-key").hidden = true;
    await loadKeys();
  }

  async function loadKeys() {
    const { ok, body } = await call("/api/account/keys");
    const list = $("keys");
    list.textContent = "";
    if (!ok) return;
    $("keys-empty").hidden = body.length > 0;
    for (const key of body) {
      const li = document.createElement("li");
      li.className = "key";
      const text = document.createElement("span");
      const used = key.lastUsedAt ? `last used ${new Date(key.lastUsedAt).toLocaleString()}` : "never used";
      text.textContent = `${key.name} · ${key.prefix}… · created ${new Date(key.createdAt).toLocaleString()} · ${used}`;
      li.append(text);
      if (key.revokedAt) {
        const revoked = document.createElement("span");
        revoked.className = "hint";
        revoked.textContent = " revoked";
        li.append(revoked);
      } else {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "cancel";
        button.textContent = "Revoke";
        button.setAttribute("aria-label", `Revoke key ${key.name}`);
        button.addEventListener("click", () => revokeKey(key.id));
        li.append(button);
      }
      list.append(li);
    }
  }

  async function createKey(event) {
    event.preventDefault();
    authError("key-error", "");
    const { ok, status, body } = await call("/api/account/keys", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: $("key-name").value.trim() }),
    });
    if (!ok) { authError("key-error", problem(body, status)); return; }
    $("key-name").value = "";
    $("new-key-value").textContent = body.key;
    $("new-key").hidden = false;
    await loadKeys();
  }

  async function revokeKey(id) {
    const { ok, status, body } = await call(`/api/account/keys/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (!ok) { authError("key-error", problem(body, status)); return; }
    await loadKeys();
  }

  $("signin-form").addEventListener("submit", signIn);
  $("signup-form").addEventListener("submit", signUp);
  $("show-signup").addEventListener("click", () => toggleSignUp(true));
  $("show-signin").addEventListener("click", () => toggleSignUp(false));
  $("signout").addEventListener("click", signOut);
  $("keys-button").addEventListener("click", openKeys);
  $("keys-back").addEventListener("click", () => show("app"));
  $("key-form").addEventListener("submit", createKey);

  return {
    /** Calls back once someone (or single-user mode's local owner) is signed in. */
    start(callback) { onSignedIn = callback; refresh(); },
    /** The antiforgery token for cookie-authenticated changes. */
    csrfToken() { return me && me.antiforgeryToken; },
    /** A request answered 401: the session ended; show the sign-in screen. */
    signedOut() { started = false; refresh(); },
  };
})();

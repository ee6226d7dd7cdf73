// VideoGen page: no build step, no framework; ES modules under a strict Content-Security-Policy (no inline script
// or style). account.js (a classic script) decides who is signed in; then the create form and the history start.
/* global VideoGenAccount */
import { initCreateForm } from "./create-form.js";
import { initHistory, added } from "./history.js";

let started = false;
VideoGenAccount.start(() => {
  // Signing in again after a session ended (401) must not wire everything twice.
  if (started) return;
  started = true;
  initCreateForm(added);
  initHistory();
});

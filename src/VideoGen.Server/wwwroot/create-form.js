// The create form: the model picker, then a form built from the chosen model's schema (GET /api/models): each
// option with its type, range, allowed values and default; negative prompt, seed and image only where the model
// takes them. The estimated cost (POST /api/videos/estimate) follows the options as they change.
import { api, postJson, problemText, formatUsd } from "./api.js";

const $ = (id) => document.getElementById(id);
const ESTIMATE_DELAY_MS = 150;
let models = [];
let imageUrl = null;
let estimateTimer = 0;
let estimateSeq = 0;

/** The catalog entry for a model id, or undefined. */
export function modelById(id) {
  return models.find((m) => m.id === id);
}

/** A fresh seed in the range every model accepts (0 … 2^32-1). */
export function randomSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

function currentModel() {
  return modelById($("model").value);
}

function humanize(name) {
  const text = name.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function rangeText(p) {
  if (p.min != null && p.max != null) return `${p.min}–${p.max}`;
  if (p.min != null) return `at least ${p.min}`;
  if (p.max != null) return `at most ${p.max}`;
  return "";
}

/** One labelled control for a model parameter; its value is read back by readParameters. */
function parameterField(p) {
  const id = `opt-${p.name}`;
  const field = document.createElement("div");
  field.className = "field option";
  field.dataset.parameter = p.name;
  field.dataset.kind = p.kind;

  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = humanize(p.name);
  const hintParts = [];
  if (p.kind === "integer" || p.kind === "number") {
    const range = rangeText(p);
    if (range) hintParts.push(range);
  }
  if (p.default != null && p.kind !== "boolean") hintParts.push(`default ${p.default}`);
  if (hintParts.length > 0) {
    const hint = document.createElement("span");
    hint.className = "hint";
    hint.textContent = ` (${hintParts.join(", ")})`;
    label.append(hint);
  }

  let control;
  if (p.kind === "enum" || (p.allowedValues && p.allowedValues.length > 0)) {
    control = document.createElement("select");
    for (const value of p.allowedValues || []) control.append(new Option(value, value, false, value === p.default));
  } else if (p.kind === "boolean") {
    field.classList.add("checkbox");
    control = document.createElement("input");
    control.type = "checkbox";
    control.checked = p.default === "true";
  } else if (p.kind === "integer" || p.kind === "number") {
    control = document.createElement("input");
    control.type = "number";
    control.inputMode = p.kind === "integer" ? "numeric" : "decimal";
    control.step = p.kind === "integer" ? "1" : "any";
    if (p.min != null) control.min = String(p.min);
    if (p.max != null) control.max = String(p.max);
    if (p.default != null) control.value = p.default;
  } else {
    control = document.createElement("input");
    control.type = "text";
    control.maxLength = 2000;
    if (p.default != null) control.value = p.default;
  }
  control.id = id;
  control.name = p.name;

  if (p.kind === "boolean") {
    field.append(control, label);
  } else {
    field.append(label, control);
  }
  if (p.description) {
    const description = document.createElement("p");
    description.className = "hint";
    description.id = `${id}-description`;
    description.textContent = p.description;
    control.setAttribute("aria-describedby", description.id);
    field.append(description);
  }
  return field;
}

/** The options as the create body's "parameters": typed values; an empty number or text means "the default". */
function readParameters() {
  const parameters = {};
  for (const field of $("options-fields").querySelectorAll(".option")) {
    const control = field.querySelector("input, select");
    const name = field.dataset.parameter;
    switch (field.dataset.kind) {
      case "boolean":
        parameters[name] = control.checked;
        break;
      case "integer":
      case "number":
        if (control.value.trim() !== "") parameters[name] = Number(control.value);
        break;
      default:
        if (control.value !== "") parameters[name] = control.value;
    }
  }
  return parameters;
}

function renderSchema() {
  const model = currentModel();
  $("model-description").textContent = model ? model.description : "";
  const takesImage = !!model && (model.acceptsImage || model.requiresImage);
  $("image-field").hidden = !takesImage;
  $("image-required").hidden = !(model && model.requiresImage);
  $("negative-field").hidden = !(model && model.acceptsNegativePrompt);
  $("seed-field").hidden = !(model && model.acceptsSeed);
  const fields = $("options-fields");
  fields.textContent = "";
  for (const p of (model && model.parameters) || []) fields.append(parameterField(p));
  $("options").hidden = fields.childElementCount === 0;
  scheduleEstimate();
}

function scheduleEstimate() {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(estimate, ESTIMATE_DELAY_MS);
}

async function estimate() {
  const model = currentModel();
  const out = $("estimate");
  if (!model) { out.textContent = ""; return; }
  const seq = ++estimateSeq;
  let answer;
  try {
    answer = await postJson("/api/videos/estimate", { model: model.id, parameters: readParameters() });
  } catch {
    answer = null;
  }
  if (seq !== estimateSeq) return; // a newer estimate is on its way
  out.classList.remove("error");
  if (!answer) {
    out.textContent = "";
  } else if (answer.ok) {
    const cost = answer.body.estimatedCostUsd;
    out.dataset.cost = cost == null ? "" : String(cost);
    out.textContent = cost == null ? "Cost: unknown" : `Estimated cost: ${formatUsd(cost)}`;
  } else {
    out.dataset.cost = "";
    out.classList.add("error");
    out.textContent = problemText(answer.body, answer.status);
  }
}

function setImage(url) {
  imageUrl = url;
  $("image-preview").hidden = !url;
  if (url) $("image-preview-img").src = url; else $("image-preview-img").removeAttribute("src");
}

async function upload(file) {
  const status = $("image-status");
  if (!file) return;
  status.classList.remove("error");
  status.textContent = `Uploading ${file.name}…`;
  const form = new FormData();
  form.append("image", file, file.name);
  try {
    const { ok, status: code, body } = await api("/api/uploads", { method: "POST", body: form });
    if (!ok) {
      status.classList.add("error");
      status.textContent = problemText(body, code);
      return;
    }
    setImage(body.url);
    status.textContent = `Uploaded ${file.name}.`;
  } catch (e) {
    status.classList.add("error");
    status.textContent = `Could not upload: ${e.message}`;
  }
}

function showError(message) {
  const error = $("form-error");
  error.textContent = message;
  error.hidden = !message;
}

async function submit(event, onCreated) {
  event.preventDefault();
  showError("");
  const model = currentModel();
  const prompt = $("prompt").value.trim();
  if (!prompt) {
    showError("Please enter a prompt.");
    $("prompt").focus();
    return;
  }
  if (model && model.requiresImage && !imageUrl) {
    showError("This model animates an image: drop one or choose a file first.");
    $("image-file").focus();
    return;
  }
  const request = { prompt };
  if (model) request.model = model.id;
  const parameters = readParameters();
  if (Object.keys(parameters).length > 0) request.parameters = parameters;
  if (model && model.acceptsSeed && $("seed").value.trim() !== "") request.seed = Number($("seed").value.trim());
  if (model && model.acceptsNegativePrompt && $("negative-prompt").value.trim() !== "") request.negativePrompt = $("negative-prompt").value.trim();
  if (model && (model.acceptsImage || model.requiresImage) && imageUrl) request.imageUrl = imageUrl;

  const button = $("submit");
  button.disabled = true;
  try {
    const { ok, status, body } = await postJson("/api/videos", request);
    if (!ok) {
      showError(problemText(body, status));
      return;
    }
    onCreated(body);
  } catch (e) {
    showError(`Could not reach the server: ${e.message}`);
  } finally {
    button.disabled = false;
  }
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
  for (const m of models) select.append(new Option(m.displayName, m.id, false, m.id === body.defaultModel));
  renderSchema();
}

/** Wires the form; <paramref name="onCreated"/> gets each created video's JSON. */
export function initCreateForm(onCreated) {
  const form = $("create-form");
  form.addEventListener("submit", (event) => submit(event, onCreated));
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  $("model").addEventListener("change", renderSchema);
  $("options-fields").addEventListener("input", scheduleEstimate);
  $("options-fields").addEventListener("change", scheduleEstimate);
  $("image-file").addEventListener("change", () => upload($("image-file").files[0]));
  $("image-remove").addEventListener("click", () => {
    setImage(null);
    $("image-file").value = "";
    $("image-status").textContent = "Image removed.";
    $("image-file").focus();
  });
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) upload(file);
  });
  return loadModels();
}

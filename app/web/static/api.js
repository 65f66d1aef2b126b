// Talking to the API from the pages: the session cookie (with X-CSRF-Token on writes), the
// page's language, and problem+json turned into words a person understands: each field error
// is translated from its stable `code` (+ `params`) with the templates of GET /v1/error-codes,
// never shown as raw API text or paths.
import { COMMON, fmtNumber } from "./i18n.js";

let csrfToken = null;
let mePromise = null;
let codesPromise = null;

export function setCsrfToken(token) { csrfToken = token || null; }

export class ApiError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.code = this.body.code || null;
    this.fields = Array.isArray(this.body.errors) ? this.body.errors : [];
  }
}

export async function api(path, { method = "GET", body, headers = {}, lang = "nl",
  idempotencyKey, ifMatch } = {}) {
  const h = { Accept: "application/json", "Accept-Language": lang, ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) h["X-CSRF-Token"] = csrfToken;
  if (idempotencyKey) h["Idempotency-Key"] = idempotencyKey;
  if (ifMatch) h["If-Match"] = ifMatch;
  let response;
  try {
    response = await fetch(path, { method, headers: h, credentials: "same-origin",
      cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, {});
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function apiJson(path, options) {
  const response = await api(path, options);
  return response.status === 204 ? null : response.json();
}

// The signed-in person, or null. Asked once per page load.
export function getMe(refresh = false) {
  if (!mePromise || refresh) {
    if (!document.body.dataset.session && !refresh) return (mePromise = Promise.resolve(null));
    mePromise = fetch("/v1/me", { credentials: "same-origin", cache: "no-store",
      headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((me) => { if (me) setCsrfToken(me.csrf_token); return me; })
      .catch(() => null);
  }
  return mePromise;
}

// Fallback words for the commonest codes, used only until GET /v1/error-codes answers.
const FALLBACK = {
  nl: { required: "Vul dit veld in.", too_large: "Kies een getal van hoogstens {max}.",
    too_small: "Kies een getal van minstens {min}.", not_a_number: "Vul een getal in.",
    date_in_past: "Kies een datum in de toekomst.", unknown_place: "Deze plaats kennen we niet.",
    ambiguous_place: "Deze plaatsnaam bestaat vaker; kies er een.",
    invalid_email: "Vul een geldig e-mailadres in.", link_expired: "Deze aanmeldlink is verlopen of al gebruikt. Vraag een nieuwe aan.",
    csrf_failed: "Uw sessie is verlopen. Laad de pagina opnieuw." },
  en: { required: "Fill in this field.", too_large: "Choose a number of at most {max}.",
    too_small: "Choose a number of at least {min}.", not_a_number: "Enter a number.",
    date_in_past: "Choose a date in the future.", unknown_place: "We do not know this place.",
    ambiguous_place: "This place name exists more than once; choose one.",
    invalid_email: "Enter a valid email address.", link_expired: "This sign-in link has expired or was used already. Ask for a new one.",
    csrf_failed: "Your session has expired. Please reload the page." },
  fr: { required: "Veuillez remplir ce champ.", too_large: "Choisissez un nombre d’au plus {max}.",
    too_small: "Choisissez un nombre d’au moins {min}.", not_a_number: "Saisissez un nombre.",
    date_in_past: "Choisissez une date dans le futur.", unknown_place: "Nous ne connaissons pas cette localité.",
    ambiguous_place: "Ce nom de localité existe plusieurs fois ; choisissez-en une.",
    invalid_email: "Saisissez une adresse e-mail valable.", link_expired: "Ce lien de connexion a expiré ou a déjà été utilisé. Demandez-en un nouveau.",
    csrf_failed: "Votre session a expiré. Veuillez recharger la page." },
};

// GET /v1/error-codes, read tolerantly: a list of {code, nl, en} (or {code, templates|messages:
// {nl, en}}), possibly under `items`/`codes`, or an object keyed by code.
export function loadErrorCodes() {
  if (!codesPromise) {
    codesPromise = fetch("/v1/error-codes", { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : {}))
      .then((data) => {
        const table = {};
        const list = Array.isArray(data) ? data : data.items || data.codes || null;
        const entries = list ? list.map((e) => [e.code, e]) : Object.entries(data || {});
        for (const [code, entry] of entries) {
          if (!code || !entry) continue;
          const words = entry.templates || entry.messages || entry;
          if (typeof words.nl === "string" && typeof words.en === "string") {
            table[code] = { nl: words.nl, en: words.en };
          }
        }
        return table;
      })
      .catch(() => ({}));
  }
  return codesPromise;
}

function fill(template, params, lang) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = params ? params[name] : undefined;
    if (value === undefined || value === null) return whole;
    if (typeof value === "number") return fmtNumber(value, lang, 2);
    if (Array.isArray(value)) return value.map((v) => (typeof v === "object" ? placeName(v) : v)).join(", ");
    return String(value);
  });
}

export function placeName(p) {
  return p.country ? `${p.place || p.postcode} (${p.country})` : String(p.place || p.postcode);
}

// One code's sentence in the page's language; null when the code is unknown.
export async function codeText(code, params, lang) {
  if (!code) return null;
  const codes = await loadErrorCodes();
  const template = (codes[code] && codes[code][lang]) || (FALLBACK[lang] || {})[code];
  return template ? fill(template, params || {}, lang) : null;
}

// A whole problem as one sentence for a page-level message.
export async function problemMessage(error, lang) {
  const t = COMMON[lang];
  if (!(error instanceof ApiError) || error.status === 0) return t.networkError;
  const own = await codeText(error.code, error.body.params, lang);
  if (own) return own;
  if (error.fields.length) return t.checkFields;
  return { 401: t.needSignIn, 403: t.notAllowed, 404: t.notFound, 409: t.conflict,
    410: t.notFound, 412: t.conflict, 428: t.conflict, 429: t.tooMany }[error.status] || t.error;
}

// Field errors next to their fields. `fieldMap` maps an API field ("criteria.workers_needed",
// "workers_needed") to an input id; the last part of the path is tried as well. Errors with
// no field on this page go to `summary` (an element with role=alert). Returns the count shown.
export async function showErrors(error, { form, fieldMap = {}, summary, lang }) {
  clearErrors(form);
  const t = COMMON[lang];
  let first = null;
  const loose = [];
  for (const item of error instanceof ApiError ? error.fields : []) {
    const name = item.field || "";
    const id = fieldMap[name] || fieldMap[name.split(".").slice(-1)[0]]
      || fieldMap[name.split(".").slice(-2).join(".")];
    const input = id ? form.querySelector(`#${CSS.escape(id)}`) : null;
    const text = (await codeText(item.code, item.params, lang)) || t.fieldInvalid;
    if (!input) { loose.push(text); continue; }
    markField(input, text);
    first = first || input;
  }
  if (summary) {
    delete summary.dataset.i18n; // no longer a message of the page's own words
    const message = error instanceof ApiError && error.fields.length
      ? [t.checkFields, ...loose].join(" ") : await problemMessage(error, lang);
    summary.textContent = message;
  }
  if (first) first.focus();
  return first ? 1 : 0;
}

export function markField(input, text) {
  const id = `${input.id}-error`;
  let message = document.getElementById(id);
  if (!message) {
    message = document.createElement("p");
    message.id = id;
    message.className = "utrecht-form-field-error-message loket-field-error";
    const holder = input.closest(".field") || input.parentElement;
    const label = holder.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (label && label.parentElement === holder) label.after(message);
    else input.before(message);
  }
  message.textContent = text;
  input.setAttribute("aria-invalid", "true");
  const described = new Set((input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
  described.add(id);
  input.setAttribute("aria-describedby", [...described].join(" "));
}

export function clearErrors(form) {
  if (!form) return;
  for (const message of form.querySelectorAll(".loket-field-error")) {
    const input = form.querySelector(`[aria-describedby~="${CSS.escape(message.id)}"]`);
    if (input) {
      input.removeAttribute("aria-invalid");
      const rest = input.getAttribute("aria-describedby").split(" ").filter((x) => x !== message.id);
      if (rest.length) input.setAttribute("aria-describedby", rest.join(" "));
      else input.removeAttribute("aria-describedby");
    }
    message.remove();
  }
}

export function newIdempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// A DOM helper shared by the pages.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

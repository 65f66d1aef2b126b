// The company page: capacity per kind, availability and sites (PATCH with If-Match), and
// answering invitations, with a company key or the signed link from an invitation email.
import { applyStrings, initialLanguage, problemText } from "./i18n.js";

const TEXT = {
  nl: {
    title: "Loket voor bedrijven", tagline: "Houd uw capaciteit actueel en beantwoord uitnodigingen.",
    searchLink: "Zoeken", signIn: "Aanmelden", key: "Uw bedrijfssleutel",
    link: "Of plak de link uit de uitnodiging", open: "Openen",
    capacity: "Capaciteit per soort werk",
    capacityHelp: "Aantal mensen dat beschikbaar is voor nieuw werk.", kind: "Soort werk",
    workers: "Medewerkers", updated: "Bijgewerkt", availableFrom: "Beschikbaar vanaf",
    sites: "Vestigingen", save: "Opslaan", invitations: "Uitnodigingen",
    noInvitations: "Geen uitnodigingen.", stale: "verouderd: graag bijwerken",
    saved: "Opgeslagen.", conflict: "Iemand anders heeft het profiel intussen gewijzigd; de nieuwste versie is geladen.",
    needKey: "Vul uw sleutel in of plak de link uit de uitnodiging.", badLink: "Deze link is niet herkend.",
    siteName: "Naam", address: "Adres", postcode: "Postcode", city: "Plaats", country: "Land",
    radius: "Werkgebied in km", capacityFor: (k) => `Medewerkers voor ${k}`,
    respondBy: (d) => `reageren vóór ${d}`, status: "Uw antwoord",
    interested: "Geïnteresseerd", declined: "Afslaan", message: "Bericht",
    offered: "Aangeboden medewerkers", answer: "Antwoord versturen",
    answered: "Uw antwoord is verstuurd.", closed: "Deze uitnodiging is gesloten.",
    invStatus: { pending: "open", interested: "geïnteresseerd", declined: "afgeslagen", expired: "verlopen" },
  },
  en: {
    title: "Loket for companies", tagline: "Keep your capacity current and answer invitations.",
    searchLink: "Search", signIn: "Sign in", key: "Your company key",
    link: "Or paste the link from the invitation", open: "Open",
    capacity: "Capacity per kind of work",
    capacityHelp: "People available for new work.", kind: "Kind of work",
    workers: "Workers", updated: "Updated", availableFrom: "Available from",
    sites: "Sites", save: "Save", invitations: "Invitations",
    noInvitations: "No invitations.", stale: "out of date: please update",
    saved: "Saved.", conflict: "Someone else changed the profile meanwhile; the latest version is loaded.",
    needKey: "Enter your key or paste the link from the invitation.", badLink: "This link is not recognised.",
    siteName: "Name", address: "Address", postcode: "Postcode", city: "Place", country: "Country",
    radius: "Service radius in km", capacityFor: (k) => `Workers for ${k}`,
    respondBy: (d) => `answer by ${d}`, status: "Your answer",
    interested: "Interested", declined: "Decline", message: "Message",
    offered: "Workers offered", answer: "Send answer",
    answered: "Your answer has been sent.", closed: "This invitation is closed.",
    invStatus: { pending: "open", interested: "interested", declined: "declined", expired: "expired" },
  },
};

const $ = (s) => document.querySelector(s);
let lang = initialLanguage();
let t = TEXT[lang];
let key = "";
let link = null; // {id, token} from a signed answer link
let company = null;
let etag = null;
let kindLabels = {};
const staleDays = Number(document.body.dataset.staleDays) || 90;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function headers(extra = {}) {
  const h = { "Accept-Language": lang, "Content-Type": "application/json", ...extra };
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

async function call(path, options = {}) {
  const response = await fetch(path, { cache: "no-store", ...options,
    headers: headers(options.headers || {}) });
  if (!response.ok) {
    const error = new Error(await problemText(response, `HTTP ${response.status}`));
    error.status = response.status;
    throw error;
  }
  return response;
}

async function loadKinds() {
  const taxonomy = await (await call("/v1/work-kinds")).json();
  kindLabels = Object.fromEntries(taxonomy.items.map((k) => [k.code, k.labels]));
}

const kindLabel = (code) => (kindLabels[code] ? kindLabels[code][lang] : code);

async function loadCompany() {
  const keys = await (await call("/v1/api-keys?limit=1")).json();
  const companyId = keys.items.length ? keys.items[0].company_id : null;
  if (!companyId) throw new Error(t.needKey);
  const response = await call(`/v1/companies/${companyId}`);
  etag = response.headers.get("ETag");
  company = await response.json();
  renderCompany();
}

function isStale(updatedAt) {
  return Date.now() - new Date(updatedAt).getTime() > staleDays * 86400 * 1000;
}

function renderCompany() {
  $("#profile-form").hidden = false;
  $("#company-name").textContent = company.name;
  const rows = $("#capability-rows");
  rows.replaceChildren();
  for (const cap of company.capabilities) {
    const id = `cap-${cap.work_kind}`;
    const updated = new Date(cap.capacity_updated_at);
    const when = el("td", { class: "updated" }, updated.toLocaleDateString(lang === "nl" ? "nl-NL" : "en-GB"));
    if (isStale(cap.capacity_updated_at)) {
      when.append(" ", el("span", { class: "stale", "data-stale": "true", text: `(${t.stale})` }));
    }
    rows.append(el("tr", { "data-kind": cap.work_kind },
      el("th", { scope: "row" }, el("label", { for: id, text: kindLabel(cap.work_kind) })),
      el("td", {}, el("input", { id, type: "number", min: "0", value: String(cap.capacity_workers),
        "aria-label": t.capacityFor(kindLabel(cap.work_kind)), inputmode: "numeric" })),
      when));
  }
  $("#available-from").value = company.available_from || "";
  const sites = $("#site-list");
  sites.replaceChildren();
  company.sites.forEach((site, i) => {
    const field = (name, labelText, value, type = "text") => el("div", { class: "field" },
      el("label", { for: `site-${i}-${name}`, text: labelText }),
      el("input", { id: `site-${i}-${name}`, type, value: value ?? "", "data-field": name }));
    sites.append(el("fieldset", { "data-site": String(i) },
      el("legend", { text: site.name }),
      el("div", { class: "grid" },
        field("address", t.address, site.address),
        field("postcode", t.postcode, site.postcode),
        field("city", t.city, site.city),
        field("service_radius_km", t.radius, String(site.service_radius_km), "number"))));
  });
}

function collectUpdate() {
  const capabilities = company.capabilities.map((cap) => {
    const value = Number($(`#cap-${CSS.escape(cap.work_kind)}`).value);
    const out = { work_kind: cap.work_kind, capacity_workers: Math.max(0, Math.round(value)) };
    for (const name of ["batch_min", "batch_max", "notes", "sites"]) {
      if (cap[name] !== null && cap[name] !== undefined) out[name] = cap[name];
    }
    return out;
  });
  const sites = company.sites.map((site, i) => {
    const get = (name) => $(`#site-${i}-${name}`).value.trim();
    const out = { name: site.name, country: site.country,
      service_radius_km: Number(get("service_radius_km")) || site.service_radius_km };
    for (const name of ["address", "postcode", "city"]) if (get(name)) out[name] = get(name);
    // Keep the coordinates unless the place changed; then the service geocodes it again.
    const moved = (get("postcode") || null) !== (site.postcode || null)
      || (get("city") || null) !== (site.city || null);
    if (!moved) { out.lat = site.lat; out.lon = site.lon; }
    return out;
  });
  const body = { capabilities, sites };
  body.available_from = $("#available-from").value || null;
  return body;
}

async function save(event) {
  event.preventDefault();
  const status = $("#profile-status");
  status.textContent = "";
  try {
    const response = await call(`/v1/companies/${company.id}`, {
      method: "PATCH", body: JSON.stringify(collectUpdate()), headers: { "If-Match": etag },
    });
    etag = response.headers.get("ETag");
    company = await response.json();
    renderCompany();
    status.textContent = t.saved;
  } catch (error) {
    if (error.status === 412) {
      await loadCompany();
      status.textContent = t.conflict;
    } else {
      status.textContent = error.message;
    }
  }
}

async function loadInvitations() {
  let items;
  if (link) {
    const response = await call(
      `/v1/invitations/${link.id}?token=${encodeURIComponent(link.token)}`);
    items = [await response.json()];
  } else {
    items = (await (await call("/v1/invitations?limit=100")).json()).items;
  }
  $("#invitations-section").hidden = false;
  $("#inv-empty").hidden = items.length > 0;
  const list = $("#invitation-list");
  list.replaceChildren();
  for (const inv of items) list.append(renderInvitation(inv));
}

function renderInvitation(inv) {
  const p = `inv-${inv.id}`;
  const rq = inv.request;
  const li = el("li", { class: "result", "data-invitation": inv.id },
    el("h3", { text: rq.title }),
    el("p", { class: "meta", text: [rq.organisation, rq.work_kinds.map(kindLabel).join(", "),
      t.respondBy(inv.respond_by), t.invStatus[inv.status]].filter(Boolean).join(" · ") }),
    rq.description ? el("p", { text: rq.description }) : null);
  if (!inv.open) { li.append(el("p", { text: t.closed })); return li; }
  const radio = (value, text) => el("span", { class: "check" },
    el("input", { type: "radio", name: `${p}-status`, id: `${p}-${value}`, value,
      checked: inv.status === value || (inv.status === "pending" && value === "interested") }),
    el("label", { for: `${p}-${value}`, text }), " ");
  const form = el("form", { novalidate: true },
    el("fieldset", {}, el("legend", { text: t.status }),
      radio("interested", t.interested), radio("declined", t.declined)),
    el("div", { class: "grid" },
      el("div", { class: "field" }, el("label", { for: `${p}-offered`, text: t.offered }),
        el("input", { id: `${p}-offered`, type: "number", min: "0",
          value: inv.capacity_offered ?? "" })),
      el("div", { class: "field" }, el("label", { for: `${p}-message`, text: t.message }),
        el("input", { id: `${p}-message`, value: inv.message ?? "" }))),
    el("p", { role: "status", class: "answer-status" }),
    el("button", { type: "submit", text: t.answer }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { status: form.querySelector(`input[name='${p}-status']:checked`).value };
    const offered = form.querySelector(`#${CSS.escape(p)}-offered`).value;
    const message = form.querySelector(`#${CSS.escape(p)}-message`).value.trim();
    if (offered) body.capacity_offered = Number(offered);
    if (message) body.message = message;
    const query = link ? `?token=${encodeURIComponent(link.token)}` : "";
    const status = form.querySelector(".answer-status");
    try {
      await call(`/v1/invitations/${inv.id}/response${query}`,
        { method: "POST", body: JSON.stringify(body) });
      status.textContent = t.answered;
    } catch (error) {
      status.textContent = error.message;
    }
  });
  li.append(form);
  return li;
}

function parseLink(text) {
  try {
    const url = new URL(text, window.location.origin);
    const match = url.pathname.match(/\/v1\/invitations\/([0-9a-f-]{36})/i);
    const token = url.searchParams.get("token");
    return match && token ? { id: match[1], token } : null;
  } catch {
    return null;
  }
}

async function open(event) {
  if (event) event.preventDefault();
  const error = $("#key-error");
  error.textContent = "";
  key = $("#company-key").value.trim();
  const linkText = $("#answer-link").value.trim();
  link = null;
  if (!key && !linkText) { error.textContent = t.needKey; return; }
  if (!key) {
    link = parseLink(linkText);
    if (!link) { error.textContent = t.badLink; return; }
  }
  try {
    await loadKinds();
    if (key) await loadCompany();
    await loadInvitations();
    document.body.setAttribute("data-loaded", "true");
  } catch (e) {
    error.textContent = e.message;
  }
}

function setLanguage(next) {
  lang = next;
  t = TEXT[lang];
  applyStrings(document, lang, TEXT);
  if (company) renderCompany();
  if (document.body.dataset.loaded) loadInvitations().catch(() => {});
}

applyStrings(document, lang, TEXT);
for (const button of document.querySelectorAll("[data-set-lang]")) {
  button.addEventListener("click", () => setLanguage(button.dataset.setLang));
}
$("#key-form").addEventListener("submit", open);
$("#profile-form").addEventListener("submit", save);
// A link such as /company#link=<the answer link> opens that invitation directly.
const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("link");
if (fromHash) { $("#answer-link").value = fromHash; open(); }

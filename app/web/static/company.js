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
    addKind: "Soort werk toevoegen", addSite: "Vestiging toevoegen", add: "Toevoegen",
    remove: "Verwijderen", removeKind: (k) => `${k} verwijderen`,
    chooseKind: "Kies een soort werk", needSiteName: "Geef de nieuwe vestiging een naam.",
    needSitePlace: "Vul een postcode of plaats in.", siteExists: "Er is al een vestiging met deze naam.",
    unsaved: "Nog niet opgeslagen.",
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
    addKind: "Add a kind of work", addSite: "Add a site", add: "Add",
    remove: "Remove", removeKind: (k) => `Remove ${k}`,
    chooseKind: "Choose a kind of work", needSiteName: "Give the new site a name.",
    needSitePlace: "Enter a postcode or a place.", siteExists: "There is already a site with this name.",
    unsaved: "Not saved yet.",
  },
};

const $ = (s) => document.querySelector(s);
let lang = initialLanguage();
let t = TEXT[lang];
let key = "";
let link = null; // {id, token} from a signed answer link
let company = null; // as the service last returned it
let draft = null; // the form's copy: kinds and sites added or removed, not yet saved
let etag = null;
let kindLabels = {};
let leafKinds = []; // codes a capability may name (kinds, not groups), in taxonomy order
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
  leafKinds = taxonomy.items.filter((k) => k.kind === "kind").map((k) => k.code);
}

const kindLabel = (code) => (kindLabels[code] ? kindLabels[code][lang] : code);

async function loadCompany() {
  const keys = await (await call("/v1/api-keys?limit=1")).json();
  const companyId = keys.items.length ? keys.items[0].company_id : null;
  if (!companyId) throw new Error(t.needKey);
  const response = await call(`/v1/companies/${companyId}`);
  etag = response.headers.get("ETag");
  loaded(await response.json());
}

function loaded(profile) {
  company = profile;
  draft = structuredClone(profile);
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
  for (const cap of draft.capabilities) {
    const id = `cap-${cap.work_kind}`;
    const when = el("td", { class: "updated" });
    if (cap.capacity_updated_at) {
      const updated = new Date(cap.capacity_updated_at);
      when.append(updated.toLocaleDateString(lang === "nl" ? "nl-NL" : "en-GB"));
      if (isStale(cap.capacity_updated_at)) {
        when.append(" ", el("span", { class: "stale", "data-stale": "true", text: `(${t.stale})` }));
      }
    } else {
      when.append(el("span", { class: "note", text: t.unsaved }));
    }
    const remove = el("button", { type: "button", class: "secondary remove",
      "data-remove-kind": cap.work_kind, "aria-label": t.removeKind(kindLabel(cap.work_kind)),
      text: t.remove });
    remove.addEventListener("click", () => {
      capture();
      draft.capabilities = draft.capabilities.filter((c) => c.work_kind !== cap.work_kind);
      renderCompany();
      $("#new-kind").focus();
    });
    rows.append(el("tr", { "data-kind": cap.work_kind },
      el("th", { scope: "row" }, el("label", { for: id, text: kindLabel(cap.work_kind) })),
      el("td", {}, el("input", { id, type: "number", min: "0", value: String(cap.capacity_workers),
        "aria-label": t.capacityFor(kindLabel(cap.work_kind)), inputmode: "numeric" })),
      when, el("td", {}, remove)));
  }
  const offered = new Set(draft.capabilities.map((c) => c.work_kind));
  $("#new-kind").replaceChildren(el("option", { value: "", text: t.chooseKind }),
    ...leafKinds.filter((k) => !offered.has(k))
      .map((k) => el("option", { value: k, text: kindLabel(k) })));
  $("#available-from").value = draft.available_from || "";
  const sites = $("#site-list");
  sites.replaceChildren();
  draft.sites.forEach((site, i) => {
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

// The form's current values into `draft`, before rows are added or removed and drawn again.
function capture() {
  const update = collectUpdate();
  draft.capabilities = draft.capabilities.map((cap, i) => ({ ...cap, ...update.capabilities[i] }));
  draft.sites = draft.sites.map((site, i) => ({ lat: null, lon: null, ...update.sites[i] }));
  draft.available_from = update.available_from;
}

function addKind() {
  const error = $("#draft-error");
  error.textContent = "";
  const code = $("#new-kind").value;
  if (!code) { error.textContent = t.chooseKind; $("#new-kind").focus(); return; }
  capture();
  const workers = Math.max(0, Math.round(Number($("#new-workers").value) || 0));
  draft.capabilities.push({ work_kind: code, capacity_workers: workers, capacity_updated_at: null });
  $("#new-workers").value = "";
  renderCompany();
  $(`#cap-${CSS.escape(code)}`).focus();
}

function addSite() {
  const error = $("#draft-error");
  error.textContent = "";
  const name = $("#new-site-name").value.trim();
  const postcode = $("#new-site-postcode").value.trim();
  const city = $("#new-site-city").value.trim();
  if (!name) { error.textContent = t.needSiteName; $("#new-site-name").focus(); return; }
  if (draft.sites.some((s) => s.name === name)) {
    error.textContent = t.siteExists; $("#new-site-name").focus(); return;
  }
  if (!postcode && !city) { error.textContent = t.needSitePlace; $("#new-site-city").focus(); return; }
  capture();
  draft.sites.push({ name, postcode: postcode || null, city: city || null, address: null,
    country: $("#new-site-country").value,
    service_radius_km: Number($("#new-site-radius").value) || 50, lat: null, lon: null });
  for (const id of ["#new-site-name", "#new-site-postcode", "#new-site-city"]) $(id).value = "";
  renderCompany();
  $(`#site-${draft.sites.length - 1}-address`).focus();
}

function collectUpdate() {
  const capabilities = draft.capabilities.map((cap) => {
    const value = Number($(`#cap-${CSS.escape(cap.work_kind)}`).value);
    const out = { work_kind: cap.work_kind, capacity_workers: Math.max(0, Math.round(value)) };
    for (const name of ["batch_min", "batch_max", "notes", "sites"]) {
      if (cap[name] !== null && cap[name] !== undefined) out[name] = cap[name];
    }
    return out;
  });
  const sites = draft.sites.map((site, i) => {
    const get = (name) => $(`#site-${i}-${name}`).value.trim();
    const out = { name: site.name, country: site.country,
      service_radius_km: Number(get("service_radius_km")) || site.service_radius_km };
    for (const name of ["address", "postcode", "city"]) if (get(name)) out[name] = get(name);
    // Keep the coordinates unless the place changed (or a new site has none yet); then the
    // service geocodes it.
    const moved = (get("postcode") || null) !== (site.postcode || null)
      || (get("city") || null) !== (site.city || null);
    if (!moved && site.lat !== null && site.lat !== undefined) {
      out.lat = site.lat; out.lon = site.lon;
    }
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
    loaded(await response.json());
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
  if (company) { capture(); renderCompany(); }
  if (document.body.dataset.loaded) loadInvitations().catch(() => {});
}

applyStrings(document, lang, TEXT);
for (const button of document.querySelectorAll("[data-set-lang]")) {
  button.addEventListener("click", () => setLanguage(button.dataset.setLang));
}
$("#key-form").addEventListener("submit", open);
$("#profile-form").addEventListener("submit", save);
$("#add-kind-button").addEventListener("click", addKind);
$("#add-site-button").addEventListener("click", addSite);
// A link such as /company#link=<the answer link> opens that invitation directly.
const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("link");
if (fromHash) { $("#answer-link").value = fromHash; open(); }

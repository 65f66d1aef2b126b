// The loket page: search form, ranked results with reasons, a map, and turning a search into
// a request. Plain ES module; Leaflet (window.L) is optional: without it the list remains.
import { STRINGS, applyStrings, initialLanguage, problemText } from "./i18n.js";

const $ = (selector) => document.querySelector(selector);
let lang = initialLanguage();
let strings = STRINGS[lang];
let taxonomy = null;
let lastCriteria = null;
let lastAnswer = null;
let savedRequestId = null;
let map = null;
let mapLayer = null;

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

function apiHeaders(extra = {}) {
  return { "Accept-Language": lang, "Content-Type": "application/json", ...extra };
}

async function loadTaxonomy() {
  const response = await fetch("/v1/work-kinds", { headers: apiHeaders() });
  if (!response.ok) throw new Error(await problemText(response, strings.error));
  taxonomy = await response.json();
  renderKinds();
  renderCertifications();
}

function label(item) {
  return item.labels ? item.labels[lang] : item.label;
}

function renderKinds() {
  const list = $("#kind-list");
  const checked = new Set([...list.querySelectorAll("input:checked")].map((i) => i.value));
  list.replaceChildren();
  const groups = taxonomy.items.filter((k) => k.kind === "group");
  for (const group of groups) {
    const headingId = `group-${group.code}-label`;
    const box = el("div", { class: "kind-group", role: "group", "aria-labelledby": headingId,
      "data-group": group.code });
    const groupInput = el("input", { type: "checkbox", id: `kind-${group.code}`,
      value: group.code, checked: checked.has(group.code) });
    box.append(el("div", { class: "group-head" }, groupInput,
      el("label", { for: `kind-${group.code}`, id: headingId },
        el("strong", { text: label(group) }), ` (${strings.wholeGroup})`)));
    const ul = el("ul");
    for (const kind of taxonomy.items.filter((k) => k.parent === group.code)) {
      const id = `kind-${kind.code}`;
      ul.append(el("li", { "data-kind": kind.code,
        "data-search": `${kind.labels.nl} ${kind.labels.en} ${kind.code}`.toLowerCase() },
        el("input", { type: "checkbox", id, value: kind.code, checked: checked.has(kind.code) }),
        el("label", { for: id, text: label(kind) })));
    }
    box.append(ul);
    list.append(box);
  }
  filterKinds();
}

function filterKinds() {
  const needle = $("#kind-filter").value.trim().toLowerCase();
  for (const box of document.querySelectorAll(".kind-group")) {
    let visible = 0;
    for (const li of box.querySelectorAll("li")) {
      const show = !needle || li.dataset.search.includes(needle);
      li.hidden = !show;
      if (show) visible += 1;
    }
    box.hidden = visible === 0;
  }
}

function renderCertifications() {
  const list = $("#cert-list");
  const checked = new Set([...list.querySelectorAll("input:checked")].map((i) => i.value));
  list.replaceChildren();
  for (const cert of taxonomy.certifications) {
    const id = `cert-${cert.code}`;
    list.append(el("span", { class: "check" },
      el("input", { type: "checkbox", id, value: cert.code, checked: checked.has(cert.code) }),
      el("label", { for: id, text: label(cert) })));
  }
}

const POSTCODE = { NL: /^\d{4}\s?[a-z]{2}$/i, BE: /^\d{4}$/ };

function readCriteria() {
  const kinds = [...document.querySelectorAll("#kind-list input:checked")].map((i) => i.value);
  const where = $("#where").value.trim();
  const country = $("#country").value;
  if (!kinds.length) return { error: strings.needKind, focus: "#kind-filter" };
  if (!where) return { error: strings.needWhere, focus: "#where" };
  const location = POSTCODE[country].test(where)
    ? { postcode: where, country } : { place: where, country };
  const criteria = { work_kinds: kinds, location };
  const distance = Number($("#distance").value);
  if (distance > 0) criteria.max_distance_km = distance;
  const workers = Number($("#workers").value);
  if (workers > 0) criteria.workers_needed = Math.round(workers);
  if ($("#start").value) criteria.start_date = $("#start").value;
  const certs = [...document.querySelectorAll("#cert-list input:checked")].map((i) => i.value);
  if (certs.length) criteria.required_certifications = certs;
  return { criteria };
}

async function search(criteria) {
  const status = $("#form-error");
  status.textContent = "";
  $("#search-button").disabled = true;
  $("#result-summary").textContent = strings.searching;
  try {
    const response = await fetch("/v1/match", {
      method: "POST", headers: apiHeaders(), body: JSON.stringify(criteria),
    });
    if (!response.ok) {
      status.textContent = await problemText(response, strings.error);
      $("#result-summary").textContent = "";
      return;
    }
    lastCriteria = criteria;
    lastAnswer = await response.json();
    renderResults();
  } catch {
    status.textContent = strings.networkError;
  } finally {
    $("#search-button").disabled = false;
  }
}

function formatKm(value) {
  return new Intl.NumberFormat(lang === "nl" ? "nl-NL" : "en-GB",
    { maximumFractionDigits: 1 }).format(value);
}

function renderResults() {
  const answer = lastAnswer;
  $("#results-section").hidden = false;
  const list = $("#results");
  list.replaceChildren();
  $("#result-summary").textContent = answer.matches.length
    ? strings.summary(answer.matches.length, answer.total_candidates) : strings.noResults;
  answer.matches.forEach((match, index) => {
    const reasons = el("ul", { class: "reasons", "aria-label": strings.reasons });
    for (const item of answer.matches[index].explanation) {
      reasons.append(el("li", { "data-criterion": item.criterion, text: item.detail }));
    }
    const distance = match.distance_km === null
      ? strings.noDistance : strings.distanceKm(formatKm(match.distance_km));
    const contact = el("p", { class: "contact" });
    for (const [value, href] of [
      [match.company.email, match.company.email && `mailto:${match.company.email}`],
      [match.company.phone, match.company.phone && `tel:${match.company.phone}`],
      [match.company.website, match.company.website],
    ]) {
      if (value) contact.append(el("a", { href, text: value }), " ");
    }
    list.append(el("li", { class: "result", "data-company-id": match.company.id },
      el("h3", { text: match.company.name }),
      el("p", { class: "meta" },
        el("span", { class: "score", text: `${strings.score} ${formatKm(match.score)}` }), " · ",
        el("span", { class: "distance", text: distance }), " · ",
        el("span", { class: "site", text: [match.site.name, match.site.city].filter(Boolean)
          .join(", ") })),
      reasons, contact));
  });
  const consortia = $("#consortia");
  consortia.replaceChildren();
  if (answer.consortia && answer.consortia.length) {
    const ul = el("ul");
    for (const c of answer.consortia) {
      ul.append(el("li", {}, el("strong", { text: c.members.map((m) => m.name).join(" + ") }),
        ` — ${strings.together(c.total_capacity)}. ${c.explanation}`));
    }
    consortia.append(el("h3", { text: strings.consortia }), ul);
  }
  renderMap();
  $("#request-section").hidden = answer.matches.length === 0;
}

function renderMap() {
  const container = $("#map");
  if (!window.L) { container.hidden = true; return; }
  const L = window.L;
  if (!map) {
    map = L.map(container, { scrollWheelZoom: false });
    const tileUrl = document.body.dataset.tileUrl;
    if (tileUrl) {
      let failures = 0;
      L.tileLayer(tileUrl, {
        maxZoom: 18, attribution: "&copy; OpenStreetMap contributors",
      }).on("tileerror", () => {
        failures += 1;
        if (failures === 1) {
          $("#map-note").textContent = strings.mapNoTiles;
          $("#map-note").hidden = false;
        }
      }).addTo(map);
    }
    mapLayer = L.featureGroup().addTo(map);
  }
  mapLayer.clearLayers();
  const points = [];
  const asked = lastAnswer.location;
  if (asked) {
    L.circleMarker([asked.lat, asked.lon], { radius: 9, color: "#7a1f00", weight: 3,
      fillColor: "#ffb000", fillOpacity: 0.9 })
      .bindTooltip(`${strings.askedLocation}: ${asked.label}`).addTo(mapLayer);
    points.push([asked.lat, asked.lon]);
  }
  lastAnswer.matches.forEach((match, index) => {
    L.circleMarker([match.site.lat, match.site.lon], { radius: 7, color: "#0b4f8a",
      weight: 2, fillColor: "#2f7fc1", fillOpacity: 0.85 })
      .bindTooltip(`${index + 1}. ${match.company.name}`).addTo(mapLayer);
    points.push([match.site.lat, match.site.lon]);
  });
  if (points.length === 1) map.setView(points[0], 10);
  else if (points.length) map.fitBounds(points, { padding: [24, 24], maxZoom: 12 });
  else map.setView([52.1, 5.3], 7);
  map.invalidateSize();
}

async function saveRequest(event) {
  event.preventDefault();
  const status = $("#request-status");
  const key = $("#rq-key").value.trim();
  const title = $("#rq-title").value.trim();
  if (!key || !title || !lastCriteria) { status.textContent = strings.rqNeed; return; }
  const body = { title, description: $("#rq-description").value, criteria: lastCriteria };
  if ($("#rq-org").value.trim()) body.organisation = $("#rq-org").value.trim();
  if ($("#rq-name").value.trim() || $("#rq-email").value.trim()) {
    body.contact = { name: $("#rq-name").value.trim(), email: $("#rq-email").value.trim() };
  }
  if ($("#rq-deadline").value) body.deadline = $("#rq-deadline").value;
  try {
    const response = await fetch("/v1/requests", {
      method: "POST", headers: apiHeaders({ Authorization: `Bearer ${key}` }),
      body: JSON.stringify(body),
    });
    if (!response.ok) { status.textContent = await problemText(response, strings.error); return; }
    savedRequestId = (await response.json()).id;
    status.textContent = strings.rqSaved;
    $("#request-publish").hidden = false;
    $("#request-publish").focus();
  } catch {
    status.textContent = strings.networkError;
  }
}

async function publishRequest() {
  const status = $("#request-status");
  const key = $("#rq-key").value.trim();
  if (!savedRequestId) return;
  try {
    const response = await fetch(`/v1/requests/${savedRequestId}/publish`, {
      method: "POST", headers: apiHeaders({ Authorization: `Bearer ${key}` }),
    });
    if (!response.ok) { status.textContent = await problemText(response, strings.error); return; }
    const result = await response.json();
    status.textContent = strings.rqPublished(result.invited);
    $("#request-publish").hidden = true;
  } catch {
    status.textContent = strings.networkError;
  }
}

function setLanguage(next) {
  lang = next;
  strings = applyStrings(document, lang);
  if (taxonomy) { renderKinds(); renderCertifications(); }
  // Explanations are written by the API in the asked language: ask again.
  if (lastCriteria) search(lastCriteria);
}

function start() {
  strings = applyStrings(document, lang);
  for (const button of document.querySelectorAll("[data-set-lang]")) {
    button.addEventListener("click", () => setLanguage(button.dataset.setLang));
  }
  $("#kind-filter").addEventListener("input", filterKinds);
  $("#search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const { criteria, error, focus } = readCriteria();
    if (error) {
      $("#form-error").textContent = error;
      $(focus).focus();
      return;
    }
    savedRequestId = null;
    $("#request-publish").hidden = true;
    $("#request-status").textContent = "";
    search(criteria);
  });
  $("#request-form").addEventListener("submit", saveRequest);
  $("#request-publish").addEventListener("click", publishRequest);
  loadTaxonomy().then(() => document.body.setAttribute("data-ready", "true"))
    .catch((error) => { $("#form-error").textContent = error.message || strings.error; });
}

start();

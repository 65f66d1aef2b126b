// The search page: criteria, ranked results with points per criterion and shortfalls, a map
// with numbered markers fitted to the results, and saving the search as a request (one click,
// one draft) and publishing it. Leaflet (window.L) is optional: without it the list remains.
import { ApiError, api, apiJson, clearErrors, el, loadErrorCodes, markField,
  newIdempotencyKey, placeName, problemMessage, showErrors } from "./api.js";
import { PROCUREMENT, fmtNumber, psoLabel, todayIso, withStrings } from "./i18n.js";
import { boot, onLanguage, state } from "./layout.js";

const $ = (selector) => document.querySelector(selector);
let taxonomy = null;
let lastCriteria = null;
let lastAnswer = null;
let lastWhere = "";
let saved = null; // {key: the request body as JSON, id: the draft's id}
let saveKey = null; // {body: JSON, key: Idempotency-Key}: one key per form state
let map = null;
let mapLayer = null;
let tilesFailed = false;
let requestState = null; // {published: number|null}: what #request-status says, in any language

const t = () => state.t;
const lang = () => state.lang;
const SEARCH_FIELDS = { work_kinds: "kind-filter", location: "where", place: "where",
  postcode: "where", "location.place": "where", "location.postcode": "where",
  "location.country": "country", country: "country", max_distance_km: "distance",
  workers_needed: "workers", start_date: "start", required_certifications: "kind-filter",
  min_pso_level: "min-pso", reserved_contract: "reserved", social_return: "contract-value",
  "social_return.contract_value_eur": "contract-value", "social_return.percentage": "sr-percentage" };
const PSO_LEVELS = ["aspirant", "basistrede", "trede-1", "trede-2", "trede-3", "30-plus"];
const criterionName = (c) => t().criteria[c] || t().procurementCriteria[c] || c;

function label(item) {
  return item.labels ? item.labels[lang()] : item.label;
}

async function loadTaxonomy() {
  taxonomy = await apiJson("/v1/work-kinds", { lang: lang() });
  renderKinds();
  renderCertifications();
}

function renderKinds() {
  const list = $("#kind-list");
  const checked = new Set([...list.querySelectorAll("input:checked")].map((i) => i.value));
  list.replaceChildren();
  for (const group of taxonomy.items.filter((k) => k.kind === "group")) {
    const headingId = `group-${group.code}-label`;
    const box = el("div", { class: "kind-group", role: "group", "aria-labelledby": headingId,
      "data-group": group.code });
    box.append(el("div", { class: "group-head" },
      el("input", { type: "checkbox", id: `kind-${group.code}`, value: group.code,
        checked: checked.has(group.code) }),
      el("label", { for: `kind-${group.code}`, id: headingId },
        el("strong", { text: label(group) }), ` (${t().wholeGroup})`)));
    const ul = el("ul");
    for (const kind of taxonomy.items.filter((k) => k.parent === group.code)) {
      const id = `kind-${kind.code}`;
      ul.append(el("li", { "data-kind": kind.code,
        "data-search": folded(`${Object.values(kind.labels).join(" ")} ${kind.code}`) },
        el("input", { type: "checkbox", id, value: kind.code, checked: checked.has(kind.code) }),
        el("label", { for: id, text: label(kind) })));
    }
    box.append(ul);
    list.append(box);
  }
  filterKinds();
}

// Lower case without accents: "renov" finds Rénovation, "demenag" Déménagements.
const folded = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

function filterKinds() {
  const needle = folded($("#kind-filter").value.trim());
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

function renderPsoLevels() {
  const select = $("#min-pso");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "", text: t().anyPso }),
    ...PSO_LEVELS.map((code) => el("option", { value: code, text: psoLabel(code, lang()) })));
  select.value = chosen;
}

// The procurement part of the criteria: reserved, a minimum PSO level and social return.
function readProcurement(criteria) {
  let invalid = null;
  if ($("#reserved").checked) criteria.reserved_contract = true;
  if ($("#min-pso").value) criteria.min_pso_level = $("#min-pso").value;
  const value = $("#contract-value").value.trim();
  if (value !== "") {
    const amount = Number(value);
    const percentage = Number($("#sr-percentage").value);
    if (!(amount > 0) || $("#contract-value").validity.badInput) {
      markField($("#contract-value"), t().needContractValue); invalid = "#contract-value";
    } else if (!(percentage > 0 && percentage <= 100)) {
      markField($("#sr-percentage"), t().percentageRange); invalid = "#sr-percentage";
    } else {
      criteria.social_return = { contract_value_eur: amount, percentage };
    }
  }
  return invalid;
}

const POSTCODE = /^(\d{4}\s?[a-z]{2}|\d{4})$/i;

function readCriteria() {
  const form = $("#search-form");
  clearErrors(form);
  $("#where-choices").hidden = true;
  const kinds = [...document.querySelectorAll("#kind-list input:checked")].map((i) => i.value);
  const where = $("#where").value.trim();
  const country = $("#country").value;
  let invalid = null;
  if (!kinds.length) { markField($("#kind-filter"), t().needKind); invalid = invalid || "#kind-filter"; }
  if (!where) { markField($("#where"), t().needWhere); invalid = invalid || "#where"; }
  if (invalid) return { invalid };
  const location = POSTCODE.test(where) ? { postcode: where } : { place: where };
  if (country) location.country = country;
  const criteria = { work_kinds: kinds, location };
  const distance = $("#distance").value;
  if (distance !== "") criteria.max_distance_km = Number(distance);
  const workers = $("#workers").value;
  if (workers !== "") criteria.workers_needed = Number(workers);
  if ($("#start").value) criteria.start_date = $("#start").value;
  const certs = [...document.querySelectorAll("#cert-list input:checked")].map((i) => i.value);
  if (certs.length) criteria.required_certifications = certs;
  const procurementInvalid = readProcurement(criteria);
  if (procurementInvalid) return { invalid: procurementInvalid };
  return { criteria, where };
}

async function offerAlternatives(error) {
  const item = error.fields.find((f) => f.code === "ambiguous_place" || f.code === "wrong_country");
  const alternatives = item && item.params && item.params.alternatives;
  if (!alternatives || !alternatives.length) return;
  const box = $("#where-choices");
  box.replaceChildren(el("span", { text: t().didYouMean }));
  alternatives.forEach((alt, i) => {
    const button = el("button", { type: "button", class: "loket-link-button",
      "data-place": alt.place, "data-country": alt.country || "", text: placeName(alt) });
    button.addEventListener("click", () => {
      $("#where").value = alt.place || alt.postcode;
      $("#country").value = alt.country || "";
      $("#search-form").requestSubmit();
    });
    box.append(" ", button, i < alternatives.length - 1 ? ` ${t().or}` : "?");
  });
  box.hidden = false;
}

async function search(criteria, { focusResults = true } = {}) {
  const status = $("#form-error");
  status.textContent = "";
  $("#search-button").disabled = true;
  $("#result-summary").textContent = t().searching;
  try {
    const response = await api("/v1/match", { method: "POST", body: criteria, lang: lang() });
    lastCriteria = criteria;
    lastAnswer = await response.json();
    renderResults();
    if (focusResults) {
      $("#results-heading").scrollIntoView({ block: "start" });
      $("#results-heading").focus({ preventScroll: true });
    }
  } catch (error) {
    $("#result-summary").textContent = "";
    await showErrors(error, { form: $("#search-form"), fieldMap: SEARCH_FIELDS, summary: status,
      lang: lang() });
    if (error instanceof ApiError) await offerAlternatives(error);
  } finally {
    $("#search-button").disabled = false;
  }
}

function points(item) {
  return { got: item.score * item.weight * 100, max: item.weight * 100 };
}

function shortfalls(match) {
  const out = [];
  for (const item of match.explanation) {
    if (item.score >= 0.999 || item.weight === 0) continue;
    if (item.criterion === "capacity" && lastCriteria && lastCriteria.workers_needed) {
      const need = lastCriteria.workers_needed;
      out.push(t().capacityShort(fmtNumber(Math.round(item.score * need), lang()),
        fmtNumber(need, lang())));
    } else if (item.criterion !== "distance") {
      out.push(`${criterionName(item.criterion)}${t().colon}${item.detail}`);
    }
  }
  return out;
}

function renderResults() {
  const answer = lastAnswer;
  $("#results-section").hidden = false;
  const list = $("#results");
  list.replaceChildren();
  $("#result-summary").textContent = answer.matches.length
    ? t().summary(fmtNumber(answer.matches.length, lang()), fmtNumber(answer.total_candidates, lang()))
    : t().noResults;
  const resolved = answer.location && (answer.location.resolved || answer.location);
  const note = $("#place-note");
  note.hidden = true;
  if (resolved && resolved.matched === "corrected") {
    note.textContent = t().corrected(lastWhere, placeName(resolved));
    note.hidden = false;
  }
  const stake = $("#social-return-note");
  stake.hidden = !answer.social_return;
  stake.textContent = answer.social_return ? answer.social_return.explanation : "";
  answer.matches.forEach((match, index) => {
    const reasons = el("ul", { class: "reasons", "aria-label": t().reasons });
    for (const item of match.explanation) {
      const p = points(item);
      // A hard filter (weight 0) earns no points: it says why the company may take part.
      const head = item.weight === 0 ? criterionName(item.criterion)
        : `${criterionName(item.criterion)}${t().colon}${t().pointsOf(fmtNumber(p.got, lang(), 1), fmtNumber(p.max, lang()))}`;
      reasons.append(el("li", { "data-criterion": item.criterion },
        el("span", { class: "loket-points", text: head }), ` — ${item.detail}`));
    }
    if (match.social_return) {
      reasons.append(el("li", { "data-criterion": "social_return" },
        el("span", { class: "loket-points", text: t().couldCover }), ` — ${match.social_return.detail}`));
    }
    const badges = [match.pso_level ? psoLabel(match.pso_level, lang()) : null,
      match.reserved_contract_eligible ? t().eligibleBadge : null].filter(Boolean);
    const short = shortfalls(match);
    const distance = match.distance_km === null
      ? t().noDistance : t().distanceKm(fmtNumber(match.distance_km, lang(), 1));
    const contact = el("p", { class: "contact" });
    for (const [value, href] of [
      [match.company.email, match.company.email && `mailto:${match.company.email}`],
      [match.company.phone, match.company.phone && `tel:${match.company.phone}`],
      [match.company.website, match.company.website && /^https?:\/\//.test(match.company.website) ? match.company.website : null],
    ]) {
      if (value && href) contact.append(el("a", { href, text: value }), " ");
    }
    list.append(el("li", { class: "result", "data-company-id": match.company.id },
      el("h3", {}, el("span", { class: "loket-number", "aria-hidden": "true", text: String(index + 1) }),
        el("span", { class: "loket-sr", text: `${index + 1}. ` }), match.company.name),
      el("p", { class: "meta" },
        el("span", { class: "score", text: `${t().score} ${fmtNumber(match.score, lang(), 1)}` }), " · ",
        el("span", { class: "distance", text: distance }), " · ",
        el("span", { class: "site", text: [match.site.name, match.site.city].filter(Boolean).join(", ") }),
        ...badges.map((b) => [" · ", el("span", { class: "loket-badge procurement", text: b })]).flat()),
      reasons,
      short.length ? el("p", { class: "loket-shortfall" },
        el("strong", { text: `${t().shortfall}${t().colon}` }), short.join("; ")) : null,
      contact.childNodes.length ? contact : null));
  });
  const consortia = $("#consortia");
  consortia.replaceChildren();
  if (answer.consortia && answer.consortia.length) {
    const ul = el("ul");
    for (const c of answer.consortia) {
      ul.append(el("li", {}, el("strong", { text: c.members.map((m) => m.name).join(" + ") }),
        ` — ${t().together(fmtNumber(c.total_capacity, lang()))}. ${c.explanation}`,
        c.social_return ? ` ${t().couldCover}${t().colon}${c.social_return.detail}` : ""));
    }
    consortia.append(el("h3", { text: t().consortia }), ul);
  }
  renderMap();
  showRequestSection();
  showAlertSection();
}

function markerIcon(L, text, asked = false) {
  return L.divIcon({ className: asked ? "loket-marker loket-marker--asked" : "loket-marker",
    html: `<span>${text}</span>`, iconSize: [28, 28], iconAnchor: [14, 14] });
}

function renderMap() {
  const container = $("#map");
  if (!window.L) { container.hidden = true; return; }
  const L = window.L;
  if (!map) {
    map = L.map(container, { scrollWheelZoom: false, keyboard: false, zoomSnap: 0.25 });
    const tileUrl = document.body.dataset.tileUrl;
    if (tileUrl) {
      const tiles = L.tileLayer(tileUrl, { maxZoom: 18, attribution: "&copy; OpenStreetMap" });
      tiles.on("tileerror", () => {
        if (tilesFailed) return;
        tilesFailed = true; // offline: stop asking for tiles, keep the numbered points
        map.removeLayer(tiles);
        container.classList.add("map--no-tiles");
        $("#map-note").textContent = t().mapNoTiles;
        $("#map-note").hidden = false;
      }).addTo(map);
    }
    mapLayer = L.featureGroup().addTo(map);
  }
  if (tilesFailed) $("#map-note").textContent = t().mapNoTiles;
  mapLayer.clearLayers();
  const points = [];
  const asked = lastAnswer.location;
  if (asked) {
    L.marker([asked.lat, asked.lon], { icon: markerIcon(L, "●", true), keyboard: false,
      zIndexOffset: -1000,
      title: `${t().askedLocation}${t().colon}${asked.label || placeName(asked)}` }).addTo(mapLayer);
    points.push([asked.lat, asked.lon]);
  }
  lastAnswer.matches.forEach((match, index) => {
    L.marker([match.site.lat, match.site.lon], { icon: markerIcon(L, String(index + 1)),
      keyboard: false, title: `${index + 1}. ${match.company.name}` }).addTo(mapLayer);
    points.push([match.site.lat, match.site.lon]);
  });
  map.invalidateSize();
  if (points.length === 1) map.setView(points[0], 10);
  else if (points.length) map.fitBounds(points, { padding: [28, 28], maxZoom: 12 });
  else map.setView([52.1, 5.3], 7);
  container.setAttribute("data-markers", String(lastAnswer.matches.length));
}

function showRequestSection() {
  const me = state.me;
  const section = $("#request-section");
  section.hidden = !lastAnswer || lastAnswer.matches.length === 0;
  $("#request-anonymous").hidden = !!me;
  $("#request-not-entrepreneur").hidden = !me || me.role === "entrepreneur";
  $("#request-form").hidden = !me || me.role !== "entrepreneur";
  $("#request-sign-in").setAttribute("href", `/sign-in?next=${encodeURIComponent("/")}`);
}

// "Save this search": alerts by mail for a signed-in person (app/alerts).
let alertSaved = false;
function showAlertSection() {
  const me = state.me;
  $("#alert-section").hidden = !lastAnswer;
  $("#alert-anonymous").hidden = !!me;
  $("#alert-form").hidden = !me;
  $("#alert-sign-in").setAttribute("href", `/sign-in?next=${encodeURIComponent("/")}`);
  renderAlertState();
}

function renderAlertState() {
  const status = $("#alert-status");
  if (!alertSaved) { status.textContent = ""; return; }
  status.replaceChildren(t().alertSaved, " ", el("a", { href: "/my/alerts", text: t().alertManage }));
}

async function saveAlert(event) {
  event.preventDefault();
  const form = $("#alert-form");
  clearErrors(form);
  $("#alert-error").textContent = "";
  const name = $("#alert-name").value.trim();
  if (!name) { markField($("#alert-name"), t().alertNeedName); $("#alert-name").focus(); return; }
  $("#alert-save").disabled = true;
  try {
    await apiJson("/v1/saved-searches", { method: "POST", lang: lang(),
      body: { name, criteria: lastCriteria, frequency: $("#alert-frequency").value } });
    alertSaved = true;
    renderAlertState();
  } catch (problem) {
    await showErrors(problem, { form, fieldMap: { name: "alert-name" }, summary: $("#alert-error"),
      lang: lang() });
  } finally {
    $("#alert-save").disabled = false;
  }
}

function requestBody() {
  const body = { title: $("#rq-title").value.trim(), criteria: lastCriteria };
  const description = $("#rq-description").value.trim();
  if (description) body.description = description;
  if ($("#rq-deadline").value) body.deadline = $("#rq-deadline").value;
  return body;
}

async function saveRequest(event) {
  event.preventDefault();
  const form = $("#request-form");
  const status = $("#request-status");
  const error = $("#request-error");
  clearErrors(form);
  error.textContent = "";
  const body = requestBody();
  if (!body.title) { markField($("#rq-title"), t().rqNeedTitle); $("#rq-title").focus(); return; }
  if (body.deadline && body.deadline < todayIso()) {
    markField($("#rq-deadline"), t().rqDeadlinePast); $("#rq-deadline").focus(); return;
  }
  if (body.deadline && lastCriteria.start_date && body.deadline > lastCriteria.start_date) {
    markField($("#rq-deadline"), t().rqDeadlineAfterStart); $("#rq-deadline").focus(); return;
  }
  const json = JSON.stringify(body);
  if (saved && saved.body === json) { $("#request-publish").focus(); return; } // one draft
  if (!saveKey || saveKey.body !== json) saveKey = { body: json, key: newIdempotencyKey() };
  $("#request-save").disabled = true;
  try {
    const created = await apiJson("/v1/requests", { method: "POST", body, lang: lang(),
      idempotencyKey: saveKey.key });
    saved = { body: json, id: created.id };
    requestState = { published: null };
    renderRequestState();
    $("#request-publish").hidden = false;
    $("#request-publish").focus();
  } catch (problem) {
    await showErrors(problem, { form, fieldMap: { title: "rq-title", deadline: "rq-deadline",
      description: "rq-description" }, summary: error, lang: lang() });
  } finally {
    $("#request-save").disabled = false;
  }
}

function renderRequestState() {
  const status = $("#request-status");
  if (!requestState || !saved) { status.textContent = ""; return; }
  const words = requestState.published === null ? t().rqSaved
    : t().rqPublished(fmtNumber(requestState.published, lang()));
  status.replaceChildren(words, " ",
    el("a", { href: `/my/requests/${saved.id}`, text: t().rqSavedLink }));
}

async function publishRequest() {
  if (!saved) return;
  $("#request-publish").disabled = true;
  try {
    const result = await apiJson(`/v1/requests/${saved.id}/publish`, { method: "POST", lang: lang() });
    requestState = { published: result.invited };
    renderRequestState();
    $("#request-publish").hidden = true;
  } catch (problem) {
    $("#request-error").textContent = await problemMessage(problem, lang());
  } finally {
    $("#request-publish").disabled = false;
  }
}

let placeTimer = null;
function completePlaces() {
  clearTimeout(placeTimer);
  const q = $("#where").value.trim();
  if (q.length < 2 || /^\d/.test(q)) return;
  placeTimer = setTimeout(async () => {
    try {
      const response = await fetch(`/v1/places?q=${encodeURIComponent(q)}&limit=8`,
        { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const places = await response.json();
      const items = Array.isArray(places) ? places : places.items || [];
      $("#place-options").replaceChildren(...items.map((p) =>
        el("option", { value: p.place, label: placeName(p) })));
    } catch { /* completion is a convenience */ }
  }, 200);
}

async function start() {
  await boot(withStrings({}, PROCUREMENT));
  renderPsoLevels();
  onLanguage(() => {
    renderPsoLevels();
    if (taxonomy) { renderKinds(); renderCertifications(); }
    renderRequestState();
    renderAlertState();
    // Explanations are written by the API in the asked language: ask again.
    if (lastCriteria) search(lastCriteria, { focusResults: false });
  });
  $("#kind-filter").addEventListener("input", filterKinds);
  $("#where").addEventListener("input", completePlaces);
  $("#search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const { criteria, invalid, where } = readCriteria();
    if (invalid) {
      $("#form-error").textContent = t().checkFields;
      $(invalid).focus();
      return;
    }
    lastWhere = where;
    saved = null;
    requestState = null;
    $("#request-publish").hidden = true;
    $("#request-status").textContent = "";
    alertSaved = false;
    search(criteria);
  });
  $("#request-form").addEventListener("submit", saveRequest);
  $("#request-publish").addEventListener("click", publishRequest);
  $("#alert-form").addEventListener("submit", saveAlert);
  loadErrorCodes();
  try {
    await loadTaxonomy();
    document.body.setAttribute("data-ready", "true");
  } catch (error) {
    $("#form-error").textContent = await problemMessage(error, lang());
  }
}

start();

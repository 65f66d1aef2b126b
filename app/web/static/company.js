// My company, for a signed-in member: invitations, the profile (PATCH with If-Match, only
// the parts that changed), capacity per kind (invalid numbers refused next to the field),
// availability, certifications, sites, and the colleagues who may sign in.
import { api, apiJson, clearErrors, el, markField, problemMessage, showErrors } from "./api.js";
import { PROCUREMENT, fmtDate, fmtNumber, locale, psoLabel, say, withStrings } from "./i18n.js";
import { mountExchange } from "./company-exchange.js";
import { boot, onLanguage, requireSignIn, state } from "./layout.js";

const TEXT = {
  nl: {
    missedHeading: "Gevraagd in uw buurt",
    missedHelp: "Soorten werk die het afgelopen jaar binnen het werkgebied van uw vestigingen zijn gevraagd en die u nog niet aanbiedt.",
    missedNone: "Geen: wat in uw buurt gevraagd wordt, biedt u al aan.",
    missedMore: "Alle vraag per soort werk en provincie",
    missedTimes: (n, r) => `${n} keer gevraagd, in ${r} ${r === 1 ? "gebied" : "gebieden"}`,
    pendingNote: "Uw bedrijf wacht op controle door het loket. Tot dan is het niet te vinden; u kunt uw profiel wel aanvullen.",
    profile: "Profiel", generalEmail: "Algemeen e-mailadres", phone: "Telefoon", description: "Omschrijving",
    capacity: "Capaciteit per soort werk",
    capacityHelp: "Aantal mensen dat beschikbaar is voor nieuw werk. Alleen gewijzigde regels krijgen een nieuwe datum.",
    kind: "Soort werk", workers: "Medewerkers", updated: "Bijgewerkt", availableFrom: "Beschikbaar vanaf",
    certifications: "Certificeringen", sites: "Vestigingen", invitations: "Uitnodigingen",
    noInvitations: "Geen uitnodigingen.", stale: "verouderd: graag bijwerken",
    conflict: "Iemand anders heeft het profiel intussen gewijzigd; de nieuwste versie is geladen.",
    siteName: "Naam", address: "Adres", radius: "Werkgebied in km",
    capacityFor: (k) => `Medewerkers voor ${k}`, respondBy: (d) => `reageren vóór ${d}`,
    open: "Bekijken en beantwoorden",
    addKind: "Soort werk toevoegen", addSite: "Vestiging toevoegen", add: "Toevoegen",
    remove: "Verwijderen", removeKind: (k) => `${k} verwijderen`, chooseKind: "Kies een soort werk",
    needSiteName: "Geef de nieuwe vestiging een naam.", needSitePlace: "Vul een postcode of plaats in.",
    siteExists: "Er is al een vestiging met deze naam.", unsaved: "Nog niet opgeslagen.",
    wholeNumber: (max) => `Vul een heel getal in van 0 tot en met ${max}.`,
    radiusRange: "Vul een getal in van 1 tot en met 1.000.", nothingChanged: "Er is niets gewijzigd.",
    members: "Collega's met toegang", inviteHeading: "Collega uitnodigen", memberName: "Naam",
    invite: "Uitnodigen", invited: (n) => `${n} is uitgenodigd en krijgt een aanmeldlink.`,
    lastSignIn: (d) => `laatst aangemeld ${d}`, neverSignedIn: "nog niet aangemeld", you: "u",
  },
  en: {
    missedHeading: "Asked for near you",
    missedHelp: "Kinds of work asked for in the past year within reach of your sites that you do not offer yet.",
    missedNone: "None: what is asked for near you, you offer already.",
    missedMore: "All demand per kind of work and province",
    missedTimes: (n, r) => `asked ${n} times, in ${r} ${r === 1 ? "area" : "areas"}`,
    pendingNote: "Your company is waiting to be checked by the loket. Until then it cannot be found, but you can complete your profile.",
    profile: "Profile", generalEmail: "General email address", phone: "Phone", description: "Description",
    capacity: "Capacity per kind of work",
    capacityHelp: "People available for new work. Only the rows you change get a new date.",
    kind: "Kind of work", workers: "Workers", updated: "Updated", availableFrom: "Available from",
    certifications: "Certifications", sites: "Sites", invitations: "Invitations",
    noInvitations: "No invitations.", stale: "out of date: please update",
    conflict: "Someone else changed the profile meanwhile; the latest version is loaded.",
    siteName: "Name", address: "Address", radius: "Service radius in km",
    capacityFor: (k) => `Workers for ${k}`, respondBy: (d) => `answer by ${d}`,
    open: "See and answer",
    addKind: "Add a kind of work", addSite: "Add a site", add: "Add",
    remove: "Remove", removeKind: (k) => `Remove ${k}`, chooseKind: "Choose a kind of work",
    needSiteName: "Give the new site a name.", needSitePlace: "Enter a postcode or a place.",
    siteExists: "There is already a site with this name.", unsaved: "Not saved yet.",
    wholeNumber: (max) => `Enter a whole number from 0 to ${max}.`,
    radiusRange: "Enter a number from 1 to 1,000.", nothingChanged: "Nothing has changed.",
    members: "Colleagues with access", inviteHeading: "Invite a colleague", memberName: "Name",
    invite: "Invite", invited: (n) => `${n} is invited and gets a sign-in link.`,
    lastSignIn: (d) => `last signed in ${d}`, neverSignedIn: "not signed in yet", you: "you",
  },
  fr: {
    missedHeading: "Demandé près de chez vous",
    missedHelp: "Les types de travail demandés l’an dernier dans la zone d’action de vos sites et que vous ne proposez pas encore.",
    missedNone: "Aucun : ce qui est demandé près de chez vous, vous le proposez déjà.",
    missedMore: "Toute la demande par type de travail et par province",
    missedTimes: (n, r) => `demandé ${n} fois, dans ${r} ${r === 1 ? "zone" : "zones"}`,
    pendingNote: "Votre entreprise attend la vérification par le guichet. D’ici là, elle n’est pas trouvable, mais vous pouvez déjà compléter votre profil.",
    profile: "Profil", generalEmail: "Adresse e-mail générale", phone: "Téléphone", description: "Description",
    capacity: "Capacité par type de travail",
    capacityHelp: "Personnes disponibles pour un nouveau travail. Seules les lignes que vous modifiez reçoivent une nouvelle date.",
    kind: "Type de travail", workers: "Travailleurs", updated: "Mis à jour", availableFrom: "Disponible à partir du",
    certifications: "Certifications", sites: "Sites", invitations: "Invitations",
    noInvitations: "Aucune invitation.", stale: "dépassé : veuillez mettre à jour",
    conflict: "Quelqu’un d’autre a modifié le profil entre-temps ; la dernière version est chargée.",
    siteName: "Nom", address: "Adresse", radius: "Rayon d’action en km",
    capacityFor: (k) => `Travailleurs pour ${k}`, respondBy: (d) => `répondre avant le ${d}`,
    open: "Voir et répondre",
    addKind: "Ajouter un type de travail", addSite: "Ajouter un site", add: "Ajouter",
    remove: "Supprimer", removeKind: (k) => `Supprimer ${k}`, chooseKind: "Choisissez un type de travail",
    needSiteName: "Donnez un nom au nouveau site.", needSitePlace: "Saisissez un code postal ou une localité.",
    siteExists: "Il existe déjà un site portant ce nom.", unsaved: "Pas encore enregistré.",
    wholeNumber: (max) => `Saisissez un nombre entier de 0 à ${max}.`,
    radiusRange: "Saisissez un nombre de 1 à 1 000.", nothingChanged: "Rien n’a changé.",
    members: "Collègues ayant accès", inviteHeading: "Inviter un·e collègue", memberName: "Nom",
    invite: "Inviter", invited: (n) => `${n} est invité·e et reçoit un lien de connexion.`,
    lastSignIn: (d) => `dernière connexion le ${d}`, neverSignedIn: "pas encore connecté·e", you: "vous",
  },
};

const $ = (s) => document.querySelector(s);
const MAX_WORKERS = 100000;
const PSO_LEVELS = ["aspirant", "basistrede", "trede-1", "trede-2", "trede-3", "30-plus"];
let company = null; // as the service last returned it
let draft = null; // the form's copy: kinds and sites added or removed, not yet saved
let etag = null;
let taxonomy = null;
let kindLabels = {};
let leafKinds = [];
let invitations = [];
let members = [];
const staleDays = Number(document.body.dataset.staleDays) || 90;
const t = () => state.t;
const kindLabel = (code) => (kindLabels[code] ? kindLabels[code][state.lang] : code);

async function loadCompany() {
  const response = await api(`/v1/companies/${state.me.company_id}`, { lang: state.lang });
  etag = response.headers.get("ETag");
  company = await response.json();
  draft = structuredClone(company);
  renderCompany();
}

function isStale(updatedAt) {
  return Date.now() - new Date(updatedAt).getTime() > staleDays * 86400 * 1000;
}

function renderCompany() {
  const { lang } = state;
  $("#profile-form").hidden = false;
  $("#company-name").textContent = company.name;
  $("#pending-note").hidden = company.status !== "pending";
  $("#p-website").value = draft.website || "";
  $("#p-email").value = draft.email || "";
  $("#p-phone").value = draft.phone || "";
  $("#p-description").value = draft.description || "";
  $("#available-from").value = draft.available_from || "";
  renderProcurement();
  const rows = $("#capability-rows");
  rows.replaceChildren();
  for (const cap of draft.capabilities) {
    const id = `cap-${cap.work_kind}`;
    const when = el("td", { class: "updated" });
    if (cap.capacity_updated_at) {
      when.append(fmtDate(cap.capacity_updated_at, lang));
      if (isStale(cap.capacity_updated_at)) {
        when.append(" ", el("span", { class: "stale", "data-stale": "true", text: `(${t().stale})` }));
      }
    } else {
      when.append(el("span", { class: "loket-note", text: t().unsaved }));
    }
    const remove = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action remove",
      "data-remove-kind": cap.work_kind, "aria-label": t().removeKind(kindLabel(cap.work_kind)),
      text: t().remove });
    remove.addEventListener("click", () => {
      capture();
      draft.capabilities = draft.capabilities.filter((c) => c.work_kind !== cap.work_kind);
      renderCompany();
      $("#new-kind").focus();
    });
    rows.append(el("tr", { "data-kind": cap.work_kind },
      el("th", { scope: "row" }, el("label", { for: id, text: kindLabel(cap.work_kind) })),
      el("td", { class: "field" }, el("input", { id, type: "number", min: "0", max: String(MAX_WORKERS),
        step: "1", value: String(cap.capacity_workers), inputmode: "numeric", class: "loket-narrow" })),
      when, el("td", {}, remove)));
  }
  const offered = new Set(draft.capabilities.map((c) => c.work_kind));
  $("#new-kind").replaceChildren(el("option", { value: "", text: t().chooseKind }),
    ...leafKinds.filter((k) => !offered.has(k)).map((k) => el("option", { value: k, text: kindLabel(k) })));
  const certs = new Set(draft.certifications || []);
  $("#cert-list").replaceChildren(...taxonomy.certifications.map((c) => el("span", { class: "check" },
    el("input", { type: "checkbox", id: `cert-${c.code}`, value: c.code, checked: certs.has(c.code) }),
    el("label", { for: `cert-${c.code}`, text: c.labels ? c.labels[lang] : c.label }))));
  const sites = $("#site-list");
  sites.replaceChildren();
  draft.sites.forEach((site, i) => {
    const field = (name, labelText, value, type = "text") => el("div", { class: "field" },
      el("label", { for: `site-${i}-${name}`, text: labelText }),
      el("input", { id: `site-${i}-${name}`, type, value: value ?? "", "data-field": name }));
    sites.append(el("fieldset", { "data-site": String(i) },
      el("legend", { text: site.name }),
      el("div", { class: "grid" },
        field("address", t().address, site.address),
        field("postcode", t().postcode, site.postcode),
        field("city", t().city, site.city),
        field("service_radius_km", t().radius, String(site.service_radius_km), "number"))));
  });
}

// PSO level and target-group share; eligibility as the service derived it when last saved.
function renderProcurement() {
  const { lang } = state;
  $("#p-pso-level").replaceChildren(el("option", { value: "", text: t().noPso }),
    ...PSO_LEVELS.map((code) => el("option", { value: code, text: psoLabel(code, lang) })));
  $("#p-pso-level").value = draft.pso ? draft.pso.level : "";
  $("#p-pso-date").value = draft.pso ? draft.pso.certified_on : "";
  $("#p-share").value = draft.target_group ? String(draft.target_group.share_percent) : "";
  $("#p-share-date").value = draft.target_group ? draft.target_group.stated_on : "";
  $("#p-eligible").textContent = company.reserved_contract_eligible ? t().eligible : t().notEligible;
  $("#p-eligible").dataset.eligible = String(company.reserved_contract_eligible);
}

// The procurement fields, checked: a level needs its date, a share its date and 0-100.
function validProcurement() {
  let first = null;
  const mark = (input, message) => { markField(input, message); first = first || input; };
  if ($("#p-pso-level").value && !$("#p-pso-date").value) mark($("#p-pso-date"), t().needPsoDate);
  const share = $("#p-share").value.trim();
  if (share !== "") {
    const value = Number(share);
    if (!(value >= 0 && value <= 100) || $("#p-share").validity.badInput) mark($("#p-share"), t().shareRange);
    if (!$("#p-share-date").value) mark($("#p-share-date"), t().needShareDate);
  } else if ($("#p-share-date").value) {
    mark($("#p-share"), t().needShare);
  }
  return first;
}

// Every number in the form, checked: returns false (and marks the fields) when one is wrong.
function validNumbers() {
  const form = $("#profile-form");
  clearErrors(form);
  let first = validProcurement();
  for (const cap of draft.capabilities) {
    const input = $(`#cap-${CSS.escape(cap.work_kind)}`);
    const text = input.value.trim();
    const value = Number(text);
    if (text === "" || !Number.isInteger(value) || value < 0 || value > MAX_WORKERS || input.validity.badInput) {
      markField(input, t().wholeNumber(new Intl.NumberFormat(locale(state.lang)).format(MAX_WORKERS)));
      first = first || input;
    }
  }
  draft.sites.forEach((_, i) => {
    const input = $(`#site-${i}-service_radius_km`);
    const value = Number(input.value);
    if (input.value.trim() === "" || !(value >= 1 && value <= 1000)) {
      markField(input, t().radiusRange);
      first = first || input;
    }
  });
  if (first) first.focus();
  return first === null;
}

// The form's current values into `draft`, before rows are added or removed and drawn again.
function capture() {
  for (const cap of draft.capabilities) {
    const input = $(`#cap-${CSS.escape(cap.work_kind)}`);
    if (input && input.value.trim() !== "") cap.capacity_workers = Number(input.value);
  }
  draft.sites.forEach((site, i) => {
    for (const name of ["address", "postcode", "city"]) {
      const input = $(`#site-${i}-${name}`);
      if (input) site[name] = input.value.trim() || null;
    }
    const radius = $(`#site-${i}-service_radius_km`);
    if (radius && radius.value.trim() !== "") site.service_radius_km = Number(radius.value);
  });
  draft.website = $("#p-website").value.trim() || null;
  draft.email = $("#p-email").value.trim() || null;
  draft.phone = $("#p-phone").value.trim() || null;
  draft.description = $("#p-description").value.trim();
  draft.available_from = $("#available-from").value || null;
  const level = $("#p-pso-level").value;
  draft.pso = level ? { level, certified_on: $("#p-pso-date").value || null } : null;
  const share = $("#p-share").value.trim();
  draft.target_group = share !== "" ? { share_percent: Number(share), stated_on: $("#p-share-date").value || null } : null;
  draft.certifications = [...document.querySelectorAll("#cert-list input:checked")].map((i) => i.value);
}

function addKind() {
  const error = $("#draft-error");
  error.textContent = "";
  clearErrors($("#add-kind"));
  const code = $("#new-kind").value;
  if (!code) { markField($("#new-kind"), t().chooseKind); $("#new-kind").focus(); return; }
  const text = $("#new-workers").value.trim();
  const workers = text === "" ? 0 : Number(text);
  if (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) {
    markField($("#new-workers"), t().wholeNumber(MAX_WORKERS)); $("#new-workers").focus(); return;
  }
  capture();
  draft.capabilities.push({ work_kind: code, capacity_workers: workers, capacity_updated_at: null });
  $("#new-workers").value = "";
  renderCompany();
  $(`#cap-${CSS.escape(code)}`).focus();
}

function addSite() {
  clearErrors($("#add-site"));
  const name = $("#new-site-name").value.trim();
  const postcode = $("#new-site-postcode").value.trim();
  const city = $("#new-site-city").value.trim();
  if (!name) { markField($("#new-site-name"), t().needSiteName); $("#new-site-name").focus(); return; }
  if (draft.sites.some((s) => s.name === name)) {
    markField($("#new-site-name"), t().siteExists); $("#new-site-name").focus(); return;
  }
  if (!postcode && !city) { markField($("#new-site-city"), t().needSitePlace); $("#new-site-city").focus(); return; }
  capture();
  draft.sites.push({ name, postcode: postcode || null, city: city || null, address: null,
    country: $("#new-site-country").value,
    service_radius_km: Number($("#new-site-radius").value) || 50, lat: null, lon: null });
  for (const id of ["#new-site-name", "#new-site-postcode", "#new-site-city"]) $(id).value = "";
  renderCompany();
  $(`#site-${draft.sites.length - 1}-address`).focus();
}

function capabilityOut(cap) {
  const out = { work_kind: cap.work_kind, capacity_workers: cap.capacity_workers };
  for (const name of ["batch_min", "batch_max", "notes", "sites"]) {
    if (cap[name] !== null && cap[name] !== undefined) out[name] = cap[name];
  }
  return out;
}

function siteOut(site, before) {
  const out = { name: site.name, country: site.country, service_radius_km: site.service_radius_km };
  for (const name of ["address", "postcode", "city"]) if (site[name]) out[name] = site[name];
  // Keep the coordinates unless the place changed (or a new site has none yet); then the
  // service geocodes it.
  const moved = !before || (before.postcode || null) !== (site.postcode || null)
    || (before.city || null) !== (site.city || null);
  if (!moved && before.lat !== null && before.lat !== undefined) { out.lat = before.lat; out.lon = before.lon; }
  return out;
}

// Only what changed: a part of the profile that is the same as loaded is not sent, so an
// unchanged capacity keeps its date.
function collectUpdate() {
  capture();
  const body = {};
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  for (const name of ["website", "email", "phone", "available_from"]) {
    if ((draft[name] || null) !== (company[name] || null)) body[name] = draft[name];
  }
  if ((draft.description || "") !== (company.description || "")) body.description = draft.description;
  if (!same(draft.pso, company.pso)) body.pso = draft.pso;
  if (!same(draft.target_group, company.target_group)) body.target_group = draft.target_group;
  if (!same([...draft.certifications].sort(), [...company.certifications].sort())) {
    body.certifications = draft.certifications;
  }
  const caps = draft.capabilities.map(capabilityOut);
  if (!same(caps, company.capabilities.map(capabilityOut))) body.capabilities = caps;
  const beforeSites = Object.fromEntries(company.sites.map((s) => [s.name, s]));
  const sites = draft.sites.map((s) => siteOut(s, beforeSites[s.name]));
  if (!same(sites, company.sites.map((s) => siteOut(s, s)))) body.sites = sites;
  return body;
}

const PROFILE_FIELDS = { website: "p-website", email: "p-email", phone: "p-phone",
  description: "p-description", available_from: "available-from",
  "pso.level": "p-pso-level", "pso.certified_on": "p-pso-date",
  "target_group.share_percent": "p-share", "target_group.stated_on": "p-share-date" };

async function save(event) {
  event.preventDefault();
  const status = $("#profile-status");
  status.textContent = "";
  $("#draft-error").textContent = "";
  if (!validNumbers()) { $("#draft-error").textContent = t().checkFields; return; }
  const body = collectUpdate();
  if (!Object.keys(body).length) { say(status, t(), "nothingChanged"); return; }
  const fieldMap = { ...PROFILE_FIELDS };
  (body.capabilities || []).forEach((c, i) => { fieldMap[`capabilities.${i}.capacity_workers`] = `cap-${c.work_kind}`; });
  (body.sites || []).forEach((_, i) => {
    for (const name of ["postcode", "city", "address", "service_radius_km"]) fieldMap[`sites.${i}.${name}`] = `site-${i}-${name}`;
  });
  try {
    const response = await api(`/v1/companies/${company.id}`, { method: "PATCH", body, ifMatch: etag, lang: state.lang });
    etag = response.headers.get("ETag");
    company = await response.json();
    draft = structuredClone(company);
    renderCompany();
    say(status, t(), "saved");
  } catch (error) {
    if (error.status === 412 || error.status === 409) {
      await loadCompany();
      say(status, t(), "conflict");
    } else {
      await showErrors(error, { form: $("#profile-form"), fieldMap, summary: $("#draft-error"), lang: state.lang });
    }
  }
}

function renderInvitations() {
  const { lang } = state;
  $("#invitations-section").hidden = false;
  $("#inv-empty").hidden = invitations.length > 0;
  $("#invitation-list").replaceChildren(...invitations.map((inv) => {
    const rq = inv.request;
    return el("li", { "data-invitation": inv.id },
      el("h3", {}, el("a", { href: `/my/company/invitations/${inv.id}`, text: rq.title })),
      el("p", { class: "meta" },
        el("span", { class: "loket-badge", "data-state": inv.status, text: t().states[inv.status] || inv.status }),
        ` · ${[rq.organisation, rq.work_kinds.map(kindLabel).join(", "),
          t().respondBy(fmtDate(inv.respond_by, lang))].filter(Boolean).join(" · ")}`));
  }));
}

let missed = null;

function renderMissed() {
  const { t, lang } = state;
  $("#missed-section").hidden = false;
  $("#missed-empty").hidden = missed.kinds.length > 0;
  $("#missed-list").replaceChildren(...missed.kinds.map((k) => el("li", {},
    el("strong", { text: k.label }), `: ${t.missedTimes(fmtNumber(k.demand, lang), k.regions.length)}`)));
}

function renderMembers() {
  const { lang } = state;
  $("#members-section").hidden = false;
  $("#member-list").replaceChildren(...members.map((m) => el("li", { "data-member": m.id },
    el("strong", { text: m.name }), ` · ${m.email}`,
    m.id === state.me.id ? ` (${t().you})` : "",
    ` · ${m.last_sign_in_at ? t().lastSignIn(fmtDate(m.last_sign_in_at, lang)) : t().neverSignedIn}`)));
}

async function invite(event) {
  event.preventDefault();
  const form = $("#invite-form");
  const status = $("#invite-status");
  status.textContent = "";
  clearErrors(form);
  const name = $("#invite-name").value.trim();
  const email = $("#invite-email").value.trim();
  if (!name) { markField($("#invite-name"), t().required); $("#invite-name").focus(); return; }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) { markField($("#invite-email"), t().invalidEmail); $("#invite-email").focus(); return; }
  try {
    await apiJson(`/v1/companies/${company.id}/members`, { method: "POST", lang: state.lang,
      body: { name, email, language: state.lang } });
    say(status, t(), "invited", name);
    $("#invite-name").value = "";
    $("#invite-email").value = "";
    const found = await apiJson(`/v1/companies/${company.id}/members`, { lang: state.lang });
    members = Array.isArray(found) ? found : found.items || [];
    renderMembers();
  } catch (error) {
    await showErrors(error, { form, fieldMap: { name: "invite-name", email: "invite-email" }, summary: status, lang: state.lang });
  }
}

await boot(withStrings(TEXT, PROCUREMENT));
// An old answer link (/company#link=<…/v1/invitations/<id>/response?token=…>) opens the
// invitation's own page.
const legacy = new URLSearchParams(window.location.hash.slice(1)).get("link");
const legacyMatch = legacy && legacy.match(/\/v1\/invitations\/([0-9a-f-]{36})\/?[^?]*\?token=([^&#]+)/i);
if (legacyMatch) {
  window.location.replace(`/my/company/invitations/${legacyMatch[1]}?token=${legacyMatch[2]}`);
} else if (requireSignIn($("#company-body"))) {
  onLanguage(() => {
    if (company) { capture(); renderCompany(); }
    if (invitations) renderInvitations();
    if (members.length) renderMembers();
    if (missed) renderMissed();
  });
  try {
    if (!state.me.company_id) throw Object.assign(new Error("no company"), { status: 403 });
    taxonomy = await apiJson("/v1/work-kinds", { lang: state.lang });
    kindLabels = Object.fromEntries(taxonomy.items.map((k) => [k.code, k.labels]));
    leafKinds = taxonomy.items.filter((k) => k.kind === "kind").map((k) => k.code);
    await loadCompany();
    invitations = (await apiJson("/v1/invitations?limit=100", { lang: state.lang })).items;
    renderInvitations();
    missed = await apiJson(`/v1/companies/${company.id}/missed-demand`, { lang: state.lang }).catch(() => null);
    if (missed) renderMissed();
    const found = await apiJson(`/v1/companies/${company.id}/members`, { lang: state.lang }).catch(() => null);
    members = found ? (Array.isArray(found) ? found : found.items || []) : [];
    if (found) renderMembers();
    await mountExchange(company.id);
    document.body.setAttribute("data-loaded", "true");
  } catch (error) {
    $("#load-error").textContent = await problemMessage(error, state.lang);
  }
  $("#profile-form").addEventListener("submit", save);
  $("#add-kind-button").addEventListener("click", addKind);
  $("#add-site-button").addEventListener("click", addSite);
  $("#invite-form").addEventListener("submit", invite);
  document.body.setAttribute("data-ready", "true");
}

// An organisation's public profile. Its members (and operators) edit it, propose
// partnerships to companies, and confirm or end them.
import { apiJson, el, problemMessage, showErrors } from "./api.js";
import { boot, onLanguage, state } from "./layout.js";
import {
  EXPERTISE, MATERIALS, ORG_KINDS, PARTNERSHIP_KINDS, checkboxes, exchangeSection, kindLabel,
  loadKinds, networksList, partnersList, ticked, words,
} from "./partners-ui.js";

const TEXT = {
  nl: { about: "Over deze organisatie", offersSeeks: "Biedt en zoekt", partnersHeading: "Partners",
    networksHeading: "Netwerken", manageHeading: "Profiel bewerken", orgName: "Naam",
    orgKind: "Soort organisatie", orgPlace: "Plaats of postcode", orgDescription: "Omschrijving (optioneel)",
    pshipsHeading: "Partnerschappen beheren",
    pshipsHelp: "Een partnerschap is openbaar zodra beide kanten het bevestigen. Elke kant kan het beëindigen.",
    proposeHeading: "Partnerschap voorstellen", pCompany: "Bedrijf", pKind: "Soort partnerschap",
    pSince: "Sinds (optioneel)", pToOrg: "Wat het bedrijf levert", pService: "Dienst (soort werk)",
    pToCompany: "Wat uw organisatie levert", propose: "Voorstellen", none: "(geen)",
    confirm: "Bevestigen", end: "Beëindigen", waitingFor: "wacht op bevestiging door het bedrijf",
    waitingForUs: "wacht op uw bevestiging", offersLegend: "Wat wij bieden", seeksLegend: "Wat wij zoeken",
    noPships: "Nog geen partnerschappen.", proposed: "Voorgesteld; het bedrijf moet nog bevestigen." },
  en: { about: "About this organisation", offersSeeks: "Offers and seeks", partnersHeading: "Partners",
    networksHeading: "Networks", manageHeading: "Edit profile", orgName: "Name",
    orgKind: "Kind of organisation", orgPlace: "Place or postcode", orgDescription: "Description (optional)",
    pshipsHeading: "Manage partnerships",
    pshipsHelp: "A partnership is public once both sides confirm it. Either side can end it.",
    proposeHeading: "Propose a partnership", pCompany: "Company", pKind: "Kind of partnership",
    pSince: "Since (optional)", pToOrg: "What the company provides", pService: "Service (kind of work)",
    pToCompany: "What your organisation provides", propose: "Propose", none: "(none)",
    confirm: "Confirm", end: "End", waitingFor: "waiting for the company to confirm",
    waitingForUs: "waiting for your confirmation", offersLegend: "What we offer", seeksLegend: "What we seek",
    noPships: "No partnerships yet.", proposed: "Proposed; the company still has to confirm." },
  fr: { about: "À propos de cette organisation", offersSeeks: "Offre et cherche", partnersHeading: "Partenaires",
    networksHeading: "Réseaux", manageHeading: "Modifier le profil", orgName: "Nom",
    orgKind: "Type d’organisation", orgPlace: "Lieu ou code postal", orgDescription: "Description (facultative)",
    pshipsHeading: "Gérer les partenariats",
    pshipsHelp: "Un partenariat est public dès que les deux parties l’ont confirmé. Chacune peut y mettre fin.",
    proposeHeading: "Proposer un partenariat", pCompany: "Entreprise", pKind: "Type de partenariat",
    pSince: "Depuis (facultatif)", pToOrg: "Ce que l’entreprise fournit", pService: "Service (type de travail)",
    pToCompany: "Ce que votre organisation fournit", propose: "Proposer", none: "(aucun)",
    confirm: "Confirmer", end: "Mettre fin", waitingFor: "en attente de la confirmation de l’entreprise",
    waitingForUs: "en attente de votre confirmation", offersLegend: "Ce que nous offrons",
    seeksLegend: "Ce que nous cherchons", noPships: "Pas encore de partenariats.",
    proposed: "Proposé ; l’entreprise doit encore confirmer." },
};
const $ = (s) => document.querySelector(s);
const id = window.location.pathname.split("/").filter(Boolean)[1];
let org = null;
let mine = [];
let companies = [];
let kinds = [];

function wishesFields(prefix, legend, wishes, w) {
  const lang = state.lang;
  return el("fieldset", { "data-wishes": prefix }, el("legend", { text: legend }),
    el("details", { ...((wishes.work_kinds || []).length ? { open: "" } : {}) },
      el("summary", { text: w.facets.work_kinds }),
      checkboxes(`${prefix}-kinds`, kinds.map((k) => k.code),
        Object.fromEntries(kinds.map((k) => [k.code, kindLabel(k.code, lang)])), wishes.work_kinds || [])),
    el("p", { class: "loket-label", text: w.facets.expertise }),
    checkboxes(`${prefix}-expertise`, EXPERTISE, w.expertise, wishes.expertise || []),
    el("p", { class: "loket-label", text: w.facets.materials }),
    checkboxes(`${prefix}-materials`, MATERIALS, w.materials, (wishes.materials || []).map((m) => m.code)),
    el("p", { class: "loket-label", text: w.facets.partnership_kinds }),
    checkboxes(`${prefix}-pkinds`, PARTNERSHIP_KINDS, w.partnershipKinds, wishes.partnership_kinds || []));
}

function wishesFrom(prefix, previous) {
  const root = $("#e-wishes");
  const kept = Object.fromEntries((previous.materials || []).map((m) => [m.code, m]));
  return { work_kinds: ticked(root, `${prefix}-kinds`), expertise: ticked(root, `${prefix}-expertise`),
    materials: ticked(root, `${prefix}-materials`).map((code) => kept[code] || { code }),
    partnership_kinds: ticked(root, `${prefix}-pkinds`) };
}

function renderPartnerships() {
  const { t, lang } = state;
  const w = words(lang);
  $("#pship-list").replaceChildren(...(mine.length ? mine.map((p) => {
    const actions = [];
    if (p.status === "proposed" && !p.organisation_confirmed) actions.push(
      el("button", { type: "button", class: "utrecht-button utrecht-button--primary-action", "data-confirm": p.id, text: t.confirm }));
    if (p.status !== "ended") actions.push(
      el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action", "data-end": p.id, text: t.end }));
    const waiting = p.status === "proposed" ? (p.company_confirmed ? t.waitingForUs : t.waitingFor) : "";
    return el("li", { "data-partnership": p.id, "data-status": p.status },
      el("h3", { class: "utrecht-heading-4" }, el("a", { href: `/companies/${p.company.id}`, text: p.company.name })),
      el("p", {}, el("span", { class: "loket-badge", "data-state": p.status, text: w.statuses[p.status] }),
        ` ${w.partnershipKinds[p.kind]}${waiting ? ` · ${waiting}` : ""}`),
      el("div", { class: "loket-actions" }, ...actions));
  }) : [el("li", { text: t.noPships })]));
}

function render() {
  if (!org) return;
  const { t, lang } = state;
  const w = words(lang);
  $("#org-name").textContent = org.name;
  document.title = `${org.name} — Loket`;
  $("#org-meta").textContent = `${w.orgKinds[org.kind]} · ${org.place}`;
  $("#org-description").replaceChildren(org.description || "",
    org.website ? el("span", {}, " ", el("a", { href: org.website, rel: "noopener", text: org.website })) : "");
  $("#org-exchange").replaceChildren(exchangeSection(org, lang));
  $("#org-partners").replaceChildren(partnersList(org.partners, org.name, "organisation", lang));
  $("#org-networks").replaceChildren(networksList(org.networks, lang));
  if (!org.can_edit) return;
  $("#e-kind").replaceChildren(...ORG_KINDS.map((k) => el("option", { value: k, text: w.orgKinds[k] })));
  $("#e-kind").value = org.kind;
  $("#e-wishes").replaceChildren(wishesFields("off", t.offersLegend, org.offers, w),
    wishesFields("seek", t.seeksLegend, org.seeks, w));
  const chosenCompany = $("#p-company").value;
  $("#p-company").replaceChildren(...companies.map((c) => el("option", { value: c.id, text: c.name })));
  if (chosenCompany) $("#p-company").value = chosenCompany;
  const chosenKind = $("#p-kind").value;
  $("#p-kind").replaceChildren(...PARTNERSHIP_KINDS.map((k) => el("option", { value: k, text: w.partnershipKinds[k] })));
  if (chosenKind) $("#p-kind").value = chosenKind;
  $("#p-service").replaceChildren(el("option", { value: "", text: t.none }),
    ...kinds.map((k) => el("option", { value: k.code, text: kindLabel(k.code, lang) })));
  $("#p-to-org-expertise").replaceChildren(checkboxes("to-org-exp", EXPERTISE, w.expertise));
  $("#p-to-company-expertise").replaceChildren(checkboxes("to-co-exp", EXPERTISE, w.expertise));
  renderPartnerships();
}

async function reload() {
  org = await apiJson(`/v1/organisations/${id}`, { lang: state.lang });
  if (org.can_edit) {
    mine = (await apiJson(`/v1/partnerships?organisation_id=${id}&limit=100`, { lang: state.lang })).items
      .filter((p) => p.your_side.includes("organisation"));
  }
  render();
}

await boot(TEXT);
onLanguage(render);
try {
  await loadKinds(apiJson, state.lang);
  kinds = (await apiJson("/v1/work-kinds", { lang: state.lang })).items.filter((k) => k.kind === "kind");
  await reload();
  if (org.can_edit) {
    companies = (await apiJson("/v1/companies?limit=100", { lang: state.lang })).items;
    $("#manage").hidden = false;
    $("#partnerships").hidden = false;
    $("#e-name").value = org.name;
    $("#e-place").value = org.place;
    $("#e-website").value = org.website || "";
    $("#e-description").value = org.description;
    render();
  }
} catch (error) {
  $("#org-error").textContent = await problemMessage(error, state.lang);
}

$("#edit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { name: $("#e-name").value.trim(), kind: $("#e-kind").value,
    description: $("#e-description").value.trim(), website: $("#e-website").value.trim() || null,
    offers: wishesFrom("off", org.offers), seeks: wishesFrom("seek", org.seeks) };
  const place = $("#e-place").value.trim();
  if (place && place !== org.place) body.location = /^[0-9]/.test(place) ? { postcode: place } : { place };
  try {
    org = await apiJson(`/v1/organisations/${id}`, { method: "PATCH", body, lang: state.lang });
    $("#edit-error").textContent = "";
    $("#edit-status").textContent = state.t.saved;
    render();
  } catch (error) {
    await showErrors(error, { form, summary: $("#edit-error"), lang: state.lang,
      fieldMap: { name: "e-name", "location.place": "e-place", "location.postcode": "e-place", website: "e-website" } });
  }
});

$("#propose-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const toOrganisation = ticked(form, "to-org-exp").map((code) => ({ facet: "expertise", code }));
  if ($("#p-service").value) toOrganisation.unshift({ facet: "work_kind", code: $("#p-service").value });
  const body = { organisation_id: id, company_id: $("#p-company").value, kind: $("#p-kind").value,
    to_organisation: toOrganisation,
    to_company: ticked(form, "to-co-exp").map((code) => ({ facet: "expertise", code })) };
  if ($("#p-since").value) body.since = $("#p-since").value;
  try {
    await apiJson("/v1/partnerships", { method: "POST", body, lang: state.lang });
    $("#propose-error").textContent = "";
    await reload();
  } catch (error) {
    await showErrors(error, { form, summary: $("#propose-error"), lang: state.lang,
      fieldMap: { company_id: "p-company", kind: "p-kind", since: "p-since" } });
  }
});

$("#pship-list").addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-confirm], button[data-end]");
  if (!button) return;
  const [pid, action] = button.dataset.confirm ? [button.dataset.confirm, "confirm"] : [button.dataset.end, "end"];
  try {
    await apiJson(`/v1/partnerships/${pid}/${action}`, { method: "POST", lang: state.lang });
    await reload();
  } catch (error) {
    $("#org-error").textContent = await problemMessage(error, state.lang);
  }
});
document.body.setAttribute("data-ready", "true");

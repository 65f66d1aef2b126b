// One invitation for a company member: the whole request (what, where, how far, how many,
// from when, the deadline) and the answer with an earliest start. Works signed in, or with the
// token of a personal answer link (?token=).
import { apiJson, el, problemMessage, showErrors } from "./api.js";
import { PROCUREMENT, fmtDate, fmtNumber, say, withStrings } from "./i18n.js";
import { boot, onLanguage, requireSignIn, state } from "./layout.js";

const TEXT = {
  nl: { back: "← Mijn bedrijf", askedHeading: "Wat er gevraagd wordt", answerHeading: "Uw antwoord",
    interestedQ: "Heeft uw bedrijf interesse?", interested: "Ja, geïnteresseerd", declined: "Nee, afslaan",
    earliestStart: "Vroegste startdatum", offered: "Aangeboden medewerkers (optioneel)",
    message: "Bericht aan de ondernemer (optioneel)", send: "Antwoord versturen",
    closedNote: "Op deze uitnodiging kan niet meer worden geantwoord.",
    answered: "Uw antwoord is verstuurd. U kunt het tot de deadline nog wijzigen.",
    from: "Van", what: "Soort werk", where: "Waar", howFar: "Hoe ver", yourDistance: "Uw afstand",
    howMany: "Hoeveel mensen", fromWhen: "Vanaf", deadline: "Reageren vóór", required: "Vereiste certificeringen",
    preferred: "Gewenste certificeringen", none: "niet opgegeven", km: (n) => `${n} km`,
    withinKm: (n) => `binnen ${n} km`, people: (n) => `${n} mensen` },
  en: { back: "← My company", askedHeading: "What is asked", answerHeading: "Your answer",
    interestedQ: "Is your company interested?", interested: "Yes, interested", declined: "No, decline",
    earliestStart: "Earliest start", offered: "Workers offered (optional)",
    message: "Message to the entrepreneur (optional)", send: "Send answer",
    closedNote: "This invitation can no longer be answered.",
    answered: "Your answer has been sent. You can change it until the deadline.",
    from: "From", what: "Kind of work", where: "Where", howFar: "How far", yourDistance: "Your distance",
    howMany: "How many people", fromWhen: "From", deadline: "Answer by", required: "Required certifications",
    preferred: "Preferred certifications", none: "not given", km: (n) => `${n} km`,
    withinKm: (n) => `within ${n} km`, people: (n) => `${n} people` },
  fr: { back: "← Mon entreprise", askedHeading: "Ce qui est demandé", answerHeading: "Votre réponse",
    interestedQ: "Votre entreprise est-elle intéressée ?", interested: "Oui, intéressée", declined: "Non, décliner",
    earliestStart: "Début au plus tôt", offered: "Travailleurs proposés (facultatif)",
    message: "Message à l’entrepreneur (facultatif)", send: "Envoyer la réponse",
    closedNote: "On ne peut plus répondre à cette invitation.",
    answered: "Votre réponse a été envoyée. Vous pouvez la modifier jusqu’à la date limite.",
    from: "De", what: "Type de travail", where: "Où", howFar: "Jusqu’à quelle distance", yourDistance: "Votre distance",
    howMany: "Combien de personnes", fromWhen: "À partir du", deadline: "Répondre avant le", required: "Certifications exigées",
    preferred: "Certifications souhaitées", none: "non précisé", km: (n) => `${n} km`,
    withinKm: (n) => `dans un rayon de ${n} km`, people: (n) => `${n} personnes` },
};
const $ = (s) => document.querySelector(s);
const invitationId = window.location.pathname.split("/").pop();
const token = new URLSearchParams(window.location.search).get("token");
const query = token ? `?token=${encodeURIComponent(token)}` : "";
let inv = null;
let labels = {};

const label = (code) => (labels[code] ? labels[code][state.lang] : code);
const fact = (term, value) => [el("dt", { text: term }), el("dd", { text: value })];

function render() {
  const { t, lang } = state;
  if (!inv) return;
  const rq = inv.request;
  const loc = rq.location || {};
  $("#inv-title").textContent = rq.title;
  $("#inv-state").replaceChildren(el("span", { class: "loket-badge", "data-state": inv.status,
    text: t.states[inv.status] || inv.status }));
  $("#inv-description").textContent = rq.description || "";
  const place = [loc.postcode, loc.place, loc.country].filter(Boolean).join(", ");
  const certs = (list) => (list && list.length ? list.join(", ").toUpperCase() : t.none);
  $("#inv-facts").replaceChildren(
    ...(rq.organisation ? fact(t.from, rq.organisation) : []),
    ...fact(t.what, rq.work_kinds.map(label).join(", ")),
    ...fact(t.where, place || t.none),
    ...fact(t.howFar, rq.max_distance_km ? t.withinKm(fmtNumber(rq.max_distance_km, lang)) : t.none),
    ...(inv.distance_km !== null && inv.distance_km !== undefined
      ? fact(t.yourDistance, t.km(fmtNumber(inv.distance_km, lang, 1))) : []),
    ...fact(t.howMany, rq.workers_needed ? t.people(fmtNumber(rq.workers_needed, lang)) : t.none),
    ...fact(t.fromWhen, rq.start_date ? fmtDate(rq.start_date, lang) : t.none),
    ...fact(t.deadline, fmtDate(rq.deadline || inv.respond_by, lang)),
    ...(rq.required_certifications ? fact(t.required, certs(rq.required_certifications)) : []),
    ...(rq.preferred_certifications && rq.preferred_certifications.length
      ? fact(t.preferred, certs(rq.preferred_certifications)) : []),
    ...(rq.reserved_contract ? fact(t.procurementCriteria.reserved_contract, t.reservedLabel) : []),
    ...(rq.social_return_at_stake_eur
      ? fact(t.atStake, `€ ${fmtNumber(rq.social_return_at_stake_eur, lang, 2)}`) : []));
  $("#answer-form").hidden = !inv.open;
  $("#inv-closed").hidden = inv.open;
}

function fillForm() {
  if (inv.status === "declined") $("#status-declined").checked = true;
  if (inv.earliest_start) $("#earliest-start").value = inv.earliest_start;
  if (inv.capacity_offered !== null && inv.capacity_offered !== undefined) $("#offered").value = inv.capacity_offered;
  if (inv.message) $("#message").value = inv.message;
}

async function answer(event) {
  event.preventDefault();
  const form = $("#answer-form");
  $("#answer-status").textContent = "";
  const body = { status: form.querySelector("input[name='status']:checked").value };
  if ($("#earliest-start").value) body.earliest_start = $("#earliest-start").value;
  if ($("#offered").value !== "") body.capacity_offered = Number($("#offered").value);
  if ($("#message").value.trim()) body.message = $("#message").value.trim();
  $("#answer-button").disabled = true;
  try {
    inv = await apiJson(`/v1/invitations/${invitationId}/response${query}`, { method: "POST", body, lang: state.lang });
    render();
    $("#answer-error").textContent = "";
    say($("#answer-status"), state.t, "answered");
  } catch (error) {
    await showErrors(error, { form, fieldMap: { earliest_start: "earliest-start", capacity_offered: "offered",
      message: "message" }, summary: $("#answer-error"), lang: state.lang });
  } finally {
    $("#answer-button").disabled = false;
  }
}

await boot(withStrings(TEXT, PROCUREMENT));
onLanguage(render);
if (token || requireSignIn($("#invitation-body"))) {
  try {
    const taxonomy = await apiJson("/v1/work-kinds", { lang: state.lang });
    labels = Object.fromEntries(taxonomy.items.map((k) => [k.code, k.labels]));
    inv = await apiJson(`/v1/invitations/${invitationId}${query}`, { lang: state.lang });
    render();
    fillForm();
  } catch (error) {
    $("#inv-error").textContent = await problemMessage(error, state.lang);
  }
  $("#answer-form").addEventListener("submit", answer);
  document.body.setAttribute("data-ready", "true");
}

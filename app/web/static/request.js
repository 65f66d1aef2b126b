// One request of the entrepreneur: what was asked, publish, each invited company's state as
// it changes (asked again every 20 s), answers and contacts of interested companies, close,
// and the outcome.
import { apiJson, el, problemMessage } from "./api.js";
import { PROCUREMENT, fmtDate, fmtNumber, psoLabel, say, withStrings } from "./i18n.js";
import { boot, onLanguage, requireSignIn, state } from "./layout.js";

const TEXT = {
  nl: { back: "← Mijn aanvragen", whatHeading: "Wat u vraagt", publish: "Publiceren en bedrijven uitnodigen",
    close: "Aanvraag sluiten", responsesHeading: "Uitgenodigde bedrijven", outcomeHeading: "Uitkomst vastleggen",
    outcomeWith: "Met welke bedrijven gaat u verder?", outcomeNote: "Toelichting (optioneel)",
    outcomeSave: "Uitkomst opslaan", outcomeSaved: "Uitkomst opgeslagen.", kinds: "Soorten werk",
    where: "Waar", distance: "Maximale afstand", workers: "Medewerkers", start: "Startdatum",
    deadline: "Reageren tot", certifications: "Vereiste certificeringen", none: "geen",
    published: (n) => `Gepubliceerd: ${n} bedrijven uitgenodigd.`, closed: "De aanvraag is gesloten.",
    counts: (c) => `${c.interested || 0} geïnteresseerd, ${c.declined || 0} afgeslagen, ${(c.pending || 0) + (c.viewed || 0)} nog geen antwoord.`,
    message: "Bericht", earliest: "Kan starten vanaf", offered: "Aangeboden medewerkers",
    contacts: "Contact", noAnswer: "Nog geen antwoord.", chosen: "gekozen",
    lateStanding: (d) => `later uitgenodigd op ${d}: past nu ook`, lateWiden: (d) => `uitgenodigd bij verruimen op ${d}`,
    widenHeading: "Oproep verruimen",
    widenIntro: "Uw oproep nodigt tot de sluitingsdatum vanzelf nieuwe bedrijven uit die passen. Zoek ook verder weg of in de hele groep, en zie eerst wie erbij komt.",
    widenDistance: "Maximale afstand in km", widenGroups: "De hele groep in plaats van alleen de gekozen soorten werk",
    widenPreview: "Bekijk wie erbij komt", widenNone: "Er komen geen bedrijven bij.",
    widenSome: (n) => `Er komen ${n} bedrijven bij:`, widenConfirm: (n) => `Verruimen en ${n} bedrijven uitnodigen`,
    widenDone: (n) => `Verruimd: ${n} bedrijven uitgenodigd.`, widenNothing: "Kies een grotere afstand of de hele groep." },
  en: { back: "← My requests", whatHeading: "What you ask", publish: "Publish and invite companies",
    close: "Close the request", responsesHeading: "Invited companies", outcomeHeading: "Record the outcome",
    outcomeWith: "Which companies do you go on with?", outcomeNote: "Note (optional)",
    outcomeSave: "Save the outcome", outcomeSaved: "Outcome saved.", kinds: "Kinds of work",
    where: "Where", distance: "Maximum distance", workers: "Workers", start: "Start date",
    deadline: "Responses until", certifications: "Required certifications", none: "none",
    published: (n) => `Published: ${n} companies invited.`, closed: "The request is closed.",
    counts: (c) => `${c.interested || 0} interested, ${c.declined || 0} declined, ${(c.pending || 0) + (c.viewed || 0)} not answered yet.`,
    message: "Message", earliest: "Can start from", offered: "Workers offered",
    contacts: "Contact", noAnswer: "No answer yet.", chosen: "chosen",
    lateStanding: (d) => `invited later on ${d}: fits now too`, lateWiden: (d) => `invited when widened on ${d}`,
    widenHeading: "Widen the call-out",
    widenIntro: "Until its deadline your call-out invites new companies that fit by itself. Search further away or in the whole group too, and first see who would be added.",
    widenDistance: "Maximum distance in km", widenGroups: "The whole group instead of only the chosen kinds of work",
    widenPreview: "See who would be added", widenNone: "No companies would be added.",
    widenSome: (n) => `${n} companies would be added:`, widenConfirm: (n) => `Widen and invite ${n} companies`,
    widenDone: (n) => `Widened: ${n} companies invited.`, widenNothing: "Choose a larger distance or the whole group." },
  fr: { back: "← Mes demandes", whatHeading: "Ce que vous demandez", publish: "Publier et inviter les entreprises",
    close: "Clôturer la demande", responsesHeading: "Entreprises invitées", outcomeHeading: "Noter le résultat",
    outcomeWith: "Avec quelles entreprises poursuivez-vous ?", outcomeNote: "Remarque (facultatif)",
    outcomeSave: "Enregistrer le résultat", outcomeSaved: "Résultat enregistré.", kinds: "Types de travail",
    where: "Où", distance: "Distance maximale", workers: "Travailleurs", start: "Date de début",
    deadline: "Réponses jusqu’au", certifications: "Certifications exigées", none: "aucune",
    published: (n) => `Publiée : ${n} entreprise${String(n) === "1" ? "" : "s"} invitée${String(n) === "1" ? "" : "s"}.`, closed: "La demande est clôturée.",
    counts: (c) => `${c.interested || 0} intéressée(s), ${c.declined || 0} déclinée(s), ${(c.pending || 0) + (c.viewed || 0)} sans réponse pour l’instant.`,
    message: "Message", earliest: "Peut commencer à partir du", offered: "Travailleurs proposés",
    contacts: "Contact", noAnswer: "Pas encore de réponse.", chosen: "retenue",
    lateStanding: (d) => `invitée plus tard, le ${d} : correspond désormais aussi`, lateWiden: (d) => `invitée lors de l’élargissement, le ${d}`,
    widenHeading: "Élargir l’appel",
    widenIntro: "Jusqu’à sa date limite, votre appel invite de lui-même les nouvelles entreprises qui correspondent. Cherchez aussi plus loin ou dans tout le groupe, et voyez d’abord qui s’ajouterait.",
    widenDistance: "Distance maximale en km", widenGroups: "Tout le groupe au lieu des seuls types de travail choisis",
    widenPreview: "Voir qui s’ajouterait", widenNone: "Aucune entreprise ne s’ajouterait.",
    widenSome: (n) => `${n} entreprise(s) s’ajouteraient :`, widenConfirm: (n) => `Élargir et inviter ${n} entreprise(s)`,
    widenDone: (n) => `Élargi : ${n} entreprise(s) invitée(s).`, widenNothing: "Choisissez une distance plus grande ou tout le groupe." },
};
const $ = (s) => document.querySelector(s);
const requestId = window.location.pathname.split("/").pop();
let request = null;
let responses = null;
let labels = {};
let parents = {};
let preview = null; // {body, answer}: the last widening preview

function label(code) { return labels[code] ? labels[code][state.lang] : code; }

function fact(term, value) {
  return [el("dt", { text: term }), el("dd", { text: value })];
}

function render() {
  const { t, lang } = state;
  if (!request) return;
  $("#request-title").textContent = request.title;
  $("#request-state").replaceChildren(el("span", { class: "loket-badge", "data-state": request.status,
    id: "request-badge", text: t.states[request.status] || request.status }));
  const c = request.criteria;
  const loc = c.location || {};
  $("#request-facts").replaceChildren(
    ...fact(t.kinds, c.work_kinds.map(label).join(", ")),
    ...fact(t.where, [loc.postcode, loc.place, loc.country].filter(Boolean).join(", ") || t.none),
    ...(c.max_distance_km ? fact(t.distance, `${fmtNumber(c.max_distance_km, lang)} km`) : []),
    ...fact(t.workers, c.workers_needed ? fmtNumber(c.workers_needed, lang) : t.none),
    ...fact(t.start, c.start_date ? fmtDate(c.start_date, lang) : t.none),
    ...fact(t.deadline, (responses && responses.respond_by) || request.deadline
      ? fmtDate((responses && responses.respond_by) || request.deadline, lang) : t.none),
    ...(c.required_certifications && c.required_certifications.length
      ? fact(t.certifications, c.required_certifications.join(", ").toUpperCase()) : []),
    ...procurementFacts(c));
  $("#publish").hidden = request.status !== "draft";
  $("#close").hidden = request.status !== "published";
  $("#widen-section").hidden = request.status !== "published";
  renderResponses();
  renderPreview();
}

// Reserved, minimum PSO level and the social return at stake, when the request has them.
function procurementFacts(c) {
  const { t, lang } = state;
  const out = [];
  if (c.reserved_contract) out.push(...fact(t.procurementCriteria.reserved_contract, t.reservedLabel));
  if (c.min_pso_level) out.push(...fact(t.minPso, psoLabel(c.min_pso_level, lang)));
  const sr = c.social_return;
  if (sr) {
    const euro = (v) => `€ ${fmtNumber(v, lang, 2)}`;
    const amount = sr.amount_eur ?? (sr.contract_value_eur * sr.percentage) / 100;
    const how = sr.amount_eur ? "" : ` (${fmtNumber(sr.percentage, lang, 2)}% × ${euro(sr.contract_value_eur)})`;
    out.push(...fact(t.atStake, `${euro(amount)}${how}`));
  }
  return out;
}

function renderResponses() {
  const { t, lang } = state;
  const section = $("#responses-section");
  section.hidden = !responses || request.status === "draft";
  if (section.hidden) { $("#outcome-form").hidden = true; return; }
  $("#responses-counts").textContent = t.counts(responses.counts || {});
  $("#responses").replaceChildren(...responses.items.map((r) => {
    const answer = el("div", { class: "loket-answer" });
    if (r.answered_at) {
      const dl = el("dl", { class: "loket-dl" });
      if (r.message) dl.append(...fact(t.message, r.message));
      if (r.earliest_start) dl.append(...fact(t.earliest, fmtDate(r.earliest_start, lang)));
      if (r.capacity_offered !== null && r.capacity_offered !== undefined) {
        dl.append(...fact(t.offered, fmtNumber(r.capacity_offered, lang)));
      }
      if (dl.childNodes.length) answer.append(dl);
    } else {
      answer.append(el("p", { class: "loket-note", text: t.noAnswer }));
    }
    const people = [...(r.company.contacts || []), ...(r.contact ? [r.contact] : [])];
    const contact = el("div", { class: "loket-contact", "data-contact": people.length ? "true" : null });
    if (r.status === "interested" && (people.length || r.company.email || r.company.phone)) {
      const ul = el("ul");
      for (const p of people) {
        ul.append(el("li", {}, el("strong", { text: p.name }), p.role ? ` (${p.role})` : "",
          p.email ? el("span", {}, " · ", el("a", { href: `mailto:${p.email}`, text: p.email })) : null,
          p.phone ? el("span", {}, " · ", el("a", { href: `tel:${p.phone}`, text: p.phone })) : null));
      }
      if (!people.length) {
        ul.append(el("li", {}, r.company.email ? el("a", { href: `mailto:${r.company.email}`, text: r.company.email }) : null,
          r.company.phone ? el("span", {}, " · ", el("a", { href: `tel:${r.company.phone}`, text: r.company.phone })) : null));
      }
      contact.append(el("h4", { text: t.contacts }), ul);
    }
    const late = r.source && r.source !== "publish" && r.invited_at
      ? (r.source === "widen" ? t.lateWiden : t.lateStanding)(fmtDate(r.invited_at, lang)) : null;
    return el("li", { "data-invitation": r.invitation_id, "data-state": r.status, "data-source": r.source || "publish" },
      el("h3", { text: r.company.name }),
      el("p", {}, el("span", { class: "loket-badge", "data-state": r.status, text: t.states[r.status] || r.status }),
        r.chosen ? ` · ${t.chosen}` : "", late ? el("span", { class: "loket-late", text: ` · ${late}` }) : null),
      answer, contact);
  }));
  const form = $("#outcome-form");
  form.hidden = !responses.items.length;
  const chosen = $("#outcome-companies");
  const checked = new Set([...chosen.querySelectorAll("input:checked")].map((i) => i.value));
  chosen.replaceChildren(...responses.items.map((r) => el("div", { class: "check" },
    el("input", { type: "checkbox", id: `outcome-${r.company.id}`, value: r.company.id,
      checked: checked.has(r.company.id) || r.chosen }),
    el("label", { for: `outcome-${r.company.id}`, text: r.company.name }))));
  if (responses.outcome_note && !$("#outcome-note").value) $("#outcome-note").value = responses.outcome_note;
}

// Widening: a preview of who would be added (dry_run), then confirming invites them.
function widenBody() {
  const body = {};
  const km = Number($("#widen-distance").value);
  if ($("#widen-distance").value && km !== request.criteria.max_distance_km) body.max_distance_km = km;
  if ($("#widen-groups").checked) {
    body.work_kinds = [...new Set(request.criteria.work_kinds.map((c) => parents[c] || c))];
  }
  return body;
}

function renderPreview() {
  const { t, lang } = state;
  const box = $("#widen-result");
  box.hidden = !preview;
  if (!preview) return;
  const added = preview.answer.added;
  $("#widen-summary").textContent = added.length ? t.widenSome(fmtNumber(added.length, lang)) : t.widenNone;
  $("#widen-added").replaceChildren(...added.map((a) => el("li", { "data-company": a.company_id },
    el("strong", { text: a.name }), a.city ? `, ${a.city}` : "",
    a.distance_km !== null ? ` (${fmtNumber(a.distance_km, lang, 1)} km)` : "",
    el("ul", {}, ...a.reasons.map((reason) => el("li", { text: reason }))))));
  const confirm = $("#widen-confirm");
  confirm.hidden = !added.length;
  confirm.textContent = t.widenConfirm(fmtNumber(added.length, lang));
}

async function widen(dryRun) {
  const body = widenBody();
  $("#widen-error").textContent = "";
  $("#widen-status").textContent = "";
  if (!Object.keys(body).length) { $("#widen-error").textContent = state.t.widenNothing; return; }
  const button = dryRun ? $("#widen-preview") : $("#widen-confirm");
  button.disabled = true;
  try {
    const answer = await apiJson(`/v1/requests/${requestId}/widen${dryRun ? "?dry_run=true" : ""}`,
      { method: "POST", body, lang: state.lang });
    if (dryRun) {
      preview = { body, answer };
      renderPreview();
      $("#widen-summary").focus?.();
    } else {
      preview = null;
      await load();
      say($("#widen-status"), state.t, "widenDone", fmtNumber(answer.invited, state.lang));
    }
  } catch (error) {
    $("#widen-error").textContent = await problemMessage(error, state.lang);
  } finally {
    button.disabled = false;
  }
}

async function load() {
  request = await apiJson(`/v1/requests/${requestId}`, { lang: state.lang });
  responses = request.status === "draft" ? null
    : await apiJson(`/v1/requests/${requestId}/responses`, { lang: state.lang });
  render();
}

async function act(button, path, body, done) {
  button.disabled = true;
  $("#request-error").textContent = "";
  try {
    const answer = await apiJson(path, { method: "POST", body, lang: state.lang });
    await load();
    say($("#request-status"), state.t, ...done(answer));
  } catch (error) {
    $("#request-error").textContent = await problemMessage(error, state.lang);
  } finally {
    button.disabled = false;
  }
}

await boot(withStrings(TEXT, PROCUREMENT));
onLanguage(render);
// The reasons are written by the API in the asked language: ask for the preview again.
onLanguage(() => { if (preview) widen(true); });
if (requireSignIn($("#request-body"))) {
  try {
    const taxonomy = await apiJson("/v1/work-kinds", { lang: state.lang });
    labels = Object.fromEntries(taxonomy.items.map((k) => [k.code, k.labels]));
    parents = Object.fromEntries(taxonomy.items.filter((k) => k.parent).map((k) => [k.code, k.parent]));
    await load();
  } catch (error) {
    $("#request-error").textContent = await problemMessage(error, state.lang);
  }
  $("#publish").addEventListener("click", () => act($("#publish"), `/v1/requests/${requestId}/publish`,
    undefined, (a) => ["published", fmtNumber(a.invited, state.lang)]));
  $("#close").addEventListener("click", () => act($("#close"), `/v1/requests/${requestId}/close`,
    undefined, () => ["closed"]));
  $("#widen-preview").addEventListener("click", () => widen(true));
  $("#widen-confirm").addEventListener("click", () => widen(false));
  for (const input of ["#widen-distance", "#widen-groups"]) {
    $(input).addEventListener("change", () => { preview = null; renderPreview(); });
  }
  $("#outcome-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const ids = [...document.querySelectorAll("#outcome-companies input:checked")].map((i) => i.value);
    const body = { company_ids: ids };
    if ($("#outcome-note").value.trim()) body.note = $("#outcome-note").value.trim();
    try {
      responses = await apiJson(`/v1/requests/${requestId}/outcome`, { method: "POST", body, lang: state.lang });
      renderResponses();
      say($("#outcome-status"), state.t, "outcomeSaved");
    } catch (error) {
      $("#outcome-status").textContent = await problemMessage(error, state.lang);
    }
  });
  // Answers come in while the page is open: ask again now and then.
  setInterval(() => { if (!document.hidden && request && request.status === "published") load().catch(() => {}); }, 20000);
  document.body.setAttribute("data-ready", "true");
}

// The reverse search: who seeks what I offer? Ranked and explained per criterion.
import { apiJson, el, showErrors } from "./api.js";
import { fmtNumber } from "./i18n.js";
import { boot, onLanguage, state } from "./layout.js";
import {
  EXPERTISE, MATERIALS, PARTNERSHIP_KINDS, checkboxes, loadKinds, ticked, wishesList, words,
} from "./partners-ui.js";

const TEXT = {
  nl: { reverseIntro: "Zeg wat u te bieden heeft, zoals engineering, HR-advies of afgedankt textiel, en zie welke bedrijven en organisaties in de buurt dat zoeken.",
    whatOffer: "Wat biedt u?", rvExpertise: "Expertise", rvMaterials: "Materialen", rvKinds: "Soort partnerschap",
    rvPlace: "In de buurt van (plaats of postcode, optioneel)", rvDistance: "Hoogstens km (optioneel)",
    rvSearch: "Zoeken", rvResults: "Zij zoeken wat u biedt", pickOne: "Kies minstens één ding dat u biedt.",
    company: "Sociaal werkbedrijf", organisation: "Organisatie", score: "score",
    found: (n) => (n === 1 ? "1 gevonden." : `${n} gevonden.`), none: "Niemand zoekt dit nu.",
    why: "Waarom", seeksAll: "Zoekt ook",
    reason: (facet, codes, score) => `${facet}: zoekt ${codes} (${score}% van wat ze hierin zoeken)`,
    away: (km) => `${km} km hiervandaan` },
  en: { reverseIntro: "Say what you have to offer, such as engineering, HR advice or discarded textile, and see which companies and organisations nearby seek it.",
    whatOffer: "What do you offer?", rvExpertise: "Expertise", rvMaterials: "Materials", rvKinds: "Kind of partnership",
    rvPlace: "Near (place or postcode, optional)", rvDistance: "At most km (optional)",
    rvSearch: "Search", rvResults: "They seek what you offer", pickOne: "Choose at least one thing you offer.",
    company: "Sheltered-work company", organisation: "Organisation", score: "score",
    found: (n) => (n === 1 ? "1 found." : `${n} found.`), none: "Nobody seeks this now.",
    why: "Why", seeksAll: "Also seeks",
    reason: (facet, codes, score) => `${facet}: seeks ${codes} (${score}% of what they seek here)`,
    away: (km) => `${km} km away` },
  fr: { reverseIntro: "Dites ce que vous avez à offrir, comme de l’ingénierie, du conseil RH ou du textile usagé, et voyez quelles entreprises et organisations proches le cherchent.",
    whatOffer: "Qu’offrez-vous ?", rvExpertise: "Expertise", rvMaterials: "Matériaux", rvKinds: "Type de partenariat",
    rvPlace: "Près de (lieu ou code postal, facultatif)", rvDistance: "Au plus km (facultatif)",
    rvSearch: "Chercher", rvResults: "Ils cherchent ce que vous offrez", pickOne: "Choisissez au moins une chose que vous offrez.",
    company: "Entreprise de travail adapté", organisation: "Organisation", score: "score",
    found: (n) => (n === 1 ? "1 trouvé." : `${n} trouvés.`), none: "Personne ne cherche cela pour l’instant.",
    why: "Pourquoi", seeksAll: "Cherche aussi",
    reason: (facet, codes, score) => `${facet} : cherche ${codes} (${score} % de ce qu’ils cherchent ici)`,
    away: (km) => `à ${km} km` },
};
const $ = (s) => document.querySelector(s);
let answer = null;

function labelOf(facet, code, w) {
  const table = { expertise: w.expertise, materials: w.materials, partnership_kinds: w.partnershipKinds }[facet];
  return (table && table[code]) || code;
}

function renderForm() {
  const w = words(state.lang);
  const keep = (name) => ticked(document, name);
  const [e, m, k] = [keep("rv-exp"), keep("rv-mat"), keep("rv-kind")];
  $("#rv-expertise").replaceChildren(checkboxes("rv-exp", EXPERTISE, w.expertise, e));
  $("#rv-materials").replaceChildren(checkboxes("rv-mat", MATERIALS, w.materials, m));
  $("#rv-kinds").replaceChildren(checkboxes("rv-kind", PARTNERSHIP_KINDS, w.partnershipKinds, k));
}

function render() {
  renderForm();
  if (!answer) return;
  const { t, lang } = state;
  const w = words(lang);
  $("#reverse-results").hidden = false;
  $("#rv-summary").textContent = answer.matches.length ? t.found(answer.total_candidates) : t.none;
  $("#rv-list").replaceChildren(...answer.matches.map((m, i) => {
    const href = m.type === "company" ? `/companies/${m.id}` : `/organisations/${m.id}`;
    const reasons = m.explanation.map((r) => {
      if (r.criterion === "distance") return el("li", { text: t.away(fmtNumber(m.distance_km, lang, 1)) });
      if (!r.codes.length) return null;
      return el("li", { text: t.reason(w.facets[r.criterion], r.codes.map((c) => labelOf(r.criterion, c, w)).join(", "), Math.round(r.score * 100)) });
    }).filter(Boolean);
    const seeks = wishesList(m.seeks, lang);
    return el("li", { class: "result", "data-match": m.id, "data-type": m.type },
      el("h3", {}, el("span", { class: "loket-number", "aria-hidden": "true", text: String(i + 1) }),
        el("a", { href, text: m.name })),
      el("p", { class: "meta", text: `${m.type === "company" ? t.company : t.organisation}${m.place ? ` · ${m.place}` : ""} · ${t.score} ${fmtNumber(m.score, lang)}` }),
      el("p", { class: "loket-label", text: t.why }), el("ul", {}, ...reasons),
      seeks ? el("details", {}, el("summary", { text: t.seeksAll }), seeks) : "");
  }));
}

await boot(TEXT);
onLanguage(render);
await loadKinds(apiJson, state.lang).catch(() => null);
renderForm();
$("#reverse-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const offers = { expertise: ticked(form, "rv-exp"), materials: ticked(form, "rv-mat"),
    partnership_kinds: ticked(form, "rv-kind") };
  if (!offers.expertise.length && !offers.materials.length && !offers.partnership_kinds.length) {
    $("#reverse-error").textContent = state.t.pickOne;
    form.querySelector("input[type=checkbox]").focus();
    return;
  }
  $("#reverse-error").textContent = "";
  const body = { offers, limit: 50 };
  const place = $("#rv-place").value.trim();
  if (place) body.location = /^[0-9]/.test(place) ? { postcode: place } : { place };
  const distance = Number($("#rv-distance").value);
  if (place && distance > 0) body.max_distance_km = distance;
  try {
    answer = await apiJson("/v1/reverse-match", { method: "POST", body, lang: state.lang });
    render();
    document.body.setAttribute("data-results", "true");
  } catch (error) {
    await showErrors(error, { form, summary: $("#reverse-error"), lang: state.lang,
      fieldMap: { "location.place": "rv-place", "location.postcode": "rv-place", max_distance_km: "rv-distance" } });
  }
});
document.body.setAttribute("data-ready", "true");

// A company's public profile: what it does, what it offers and seeks, its confirmed partners
// (with what flows each way) and its networks.
import { apiJson, el, problemMessage } from "./api.js";
import { PROCUREMENT, fmtDate, fmtNumber, psoLabel, withStrings } from "./i18n.js";
import { boot, onLanguage, state } from "./layout.js";
import { exchangeSection, kindLabel, loadKinds, networksList, partnersList } from "./partners-ui.js";

const TEXT = {
  nl: { about: "Over dit bedrijf", offersSeeks: "Biedt en zoekt", partnersHeading: "Partners",
    networksHeading: "Netwerken", kinds: "Soorten werk", sites: "Vestigingen", website: "Website",
    profileCasesHeading: "Praktijkvoorbeelden", profileCasesNone: "Nog geen praktijkvoorbeelden." },
  en: { about: "About this company", offersSeeks: "Offers and seeks", partnersHeading: "Partners",
    networksHeading: "Networks", kinds: "Kinds of work", sites: "Sites", website: "Website",
    profileCasesHeading: "Cases", profileCasesNone: "No cases yet." },
  fr: { about: "À propos de cette entreprise", offersSeeks: "Offre et cherche",
    partnersHeading: "Partenaires", networksHeading: "Réseaux", kinds: "Types de travail",
    sites: "Sites", website: "Site web", profileCasesHeading: "Bonnes pratiques",
    profileCasesNone: "Pas encore de bonnes pratiques." },
};
const $ = (s) => document.querySelector(s);
const id = window.location.pathname.split("/").filter(Boolean)[1];
let company = null;
let exchange = null;
let cases = [];

function render() {
  if (!company) return;
  const { t, lang } = state;
  $("#profile-name").textContent = company.name;
  document.title = `${company.name} — Loket`;
  $("#profile-description").textContent = company.description || "";
  const facts = [];
  const kinds = (company.capabilities || []).map((c) => kindLabel(c.work_kind, lang));
  if (kinds.length) facts.push(el("dt", { text: t.kinds }), el("dd", { text: kinds.join(", ") }));
  const sites = (company.sites || []).map((s) => s.city || s.name);
  if (sites.length) facts.push(el("dt", { text: t.sites }), el("dd", { text: sites.join(", ") }));
  if (company.website) facts.push(el("dt", { text: t.website }),
    el("dd", {}, el("a", { href: company.website, rel: "noopener", text: company.website })));
  if (company.pso) facts.push(el("dt", { text: t.psoLevel }), el("dd", { "data-pso": company.pso.level,
    text: `${psoLabel(company.pso.level, lang)} (${fmtDate(company.pso.certified_on, lang)})` }));
  if (company.target_group) facts.push(el("dt", { text: t.targetShare }),
    el("dd", { "data-eligible": String(company.reserved_contract_eligible),
      text: `${fmtNumber(company.target_group.share_percent, lang, 1)} (${fmtDate(company.target_group.stated_on, lang)}). ${company.reserved_contract_eligible ? t.eligible : t.notEligible}` }));
  $("#profile-facts").replaceChildren(...facts);
  $("#profile-exchange").replaceChildren(exchangeSection(exchange, lang));
  $("#profile-partners").replaceChildren(partnersList(exchange.partners, company.name, "company", lang));
  $("#profile-networks").replaceChildren(networksList(exchange.networks, lang));
  // Its published cases (those that name it and that it confirmed).
  $("#profile-cases-none").hidden = cases.length > 0;
  $("#profile-cases").replaceChildren(...cases.map((c) => el("li", {},
    el("a", { href: `/cases/${c.id}`, text: c.title }),
    el("p", { class: "loket-hint", text: [c.work_kinds.map((k) => k.label).join(", "),
      c.year_started].filter(Boolean).join(" · ") }))));
}

await boot(withStrings(TEXT, PROCUREMENT));
onLanguage(render);
try {
  await loadKinds(apiJson, state.lang);
  let found;
  [company, exchange, found] = await Promise.all([
    apiJson(`/v1/companies/${id}`, { lang: state.lang }),
    apiJson(`/v1/companies/${id}/exchange`, { lang: state.lang }),
    apiJson(`/v1/cases?company=${encodeURIComponent(id)}&limit=20`, { lang: state.lang }),
  ]);
  cases = found.items;
  render();
} catch (error) {
  $("#profile-error").textContent = await problemMessage(error, state.lang);
}
document.body.setAttribute("data-ready", "true");

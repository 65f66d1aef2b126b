// On "My company": what the company offers and seeks beyond its kinds of work (expertise,
// materials with volumes, kinds of partnership), and its partnerships to confirm or end.
import { apiJson, el, problemMessage } from "./api.js";
import { onLanguage, state } from "./layout.js";
import { EXPERTISE, MATERIALS, PARTNERSHIP_KINDS, checkboxes, ticked, words } from "./partners-ui.js";

const TEXT = {
  nl: { heading: "Wat wij bieden en zoeken", help: "Naast uw soorten werk: expertise, materialen voor circulair werk en soorten partnerschap. Organisaties vinden u hiermee via ‘Wie zoekt wat u biedt’.",
    materials: "Materialen voor circulair werk, met hoeveelheden",
    offers: "Wat wij bieden", seeks: "Wat wij zoeken", quantity: "Hoeveelheid", unit: "Eenheid", period: "Per",
    save: "Opslaan", saved: "Opgeslagen.", publicProfile: "Bekijk uw openbare profiel",
    pships: "Partnerschappen", pshipsHelp: "Een partnerschap is openbaar zodra beide kanten het bevestigen. Elke kant kan het beëindigen.",
    none: "Nog geen partnerschappen.", confirm: "Bevestigen", end: "Beëindigen",
    waitingForUs: "wacht op uw bevestiging", waitingForThem: "wacht op bevestiging door de organisatie" },
  en: { heading: "What we offer and seek", help: "Beside your kinds of work: expertise, materials for circular work and kinds of partnership. Organisations find you with ‘Who seeks what you offer’.",
    materials: "Materials for circular work, with volumes",
    offers: "What we offer", seeks: "What we seek", quantity: "Quantity", unit: "Unit", period: "Per",
    save: "Save", saved: "Saved.", publicProfile: "See your public profile",
    pships: "Partnerships", pshipsHelp: "A partnership is public once both sides confirm it. Either side can end it.",
    none: "No partnerships yet.", confirm: "Confirm", end: "End",
    waitingForUs: "waiting for your confirmation", waitingForThem: "waiting for the organisation to confirm" },
  fr: { heading: "Ce que nous offrons et cherchons", help: "En plus de vos types de travail : expertise, matériaux pour le travail circulaire et types de partenariat. Les organisations vous trouvent ainsi via « Qui cherche ce que vous offrez ».",
    materials: "Matériaux pour le travail circulaire, avec les quantités",
    offers: "Ce que nous offrons", seeks: "Ce que nous cherchons", quantity: "Quantité", unit: "Unité", period: "Par",
    save: "Enregistrer", saved: "Enregistré.", publicProfile: "Voir votre profil public",
    pships: "Partenariats", pshipsHelp: "Un partenariat est public dès que les deux parties l’ont confirmé. Chacune peut y mettre fin.",
    none: "Pas encore de partenariats.", confirm: "Confirmer", end: "Mettre fin",
    waitingForUs: "en attente de votre confirmation", waitingForThem: "en attente de la confirmation de l’organisation" },
};
const $ = (s) => document.querySelector(s);
let companyId = null;
let exchange = null;
let partnerships = [];
let status = "";

function tt() { return TEXT[state.lang] || TEXT.nl; }

function materialRows(prefix, wishes, w, t) {
  const byCode = Object.fromEntries((wishes.materials || []).map((m) => [m.code, m]));
  const table = el("div", { class: "loket-table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: w.facets.materials }),
      el("th", { scope: "col", text: t.quantity }), el("th", { scope: "col", text: t.unit }),
      el("th", { scope: "col", text: t.period }))),
    el("tbody", {}, ...MATERIALS.map((code) => {
      const m = byCode[code] || {};
      const id = `${prefix}-mat-${code}`;
      const select = (kind, options, value) => el("select", { id: `${id}-${kind}`, "aria-label": `${w.materials[code]}: ${t[kind]}` },
        el("option", { value: "", text: "–" }), ...options.map(([v, label]) => el("option", { value: v, text: label,
          ...(value === v ? { selected: "" } : {}) })));
      return el("tr", {},
        el("td", {}, el("input", { type: "checkbox", id, name: `${prefix}-materials`, value: code, ...(byCode[code] ? { checked: "" } : {}) }),
          el("label", { for: id, text: w.materials[code] })),
        el("td", {}, el("input", { type: "number", min: "0", step: "any", id: `${id}-quantity`, inputmode: "decimal",
          "aria-label": `${w.materials[code]}: ${t.quantity}`, value: m.quantity ?? "" })),
        el("td", {}, select("unit", Object.entries(w.units), m.unit)),
        el("td", {}, select("period", Object.entries(w.periods), m.period)));
    }))));
  return el("details", { class: "loket-materials", ...((wishes.materials || []).length ? { open: "" } : {}) },
    el("summary", { text: t.materials }), table);
}

function wishesFieldset(prefix, legend, wishes, w, t) {
  return el("fieldset", { "data-wishes": prefix }, el("legend", { text: legend }),
    el("p", { class: "loket-label", text: w.facets.expertise }),
    checkboxes(`${prefix}-expertise`, EXPERTISE, w.expertise, wishes.expertise || []),
    el("p", { class: "loket-label", text: w.facets.partnership_kinds }),
    checkboxes(`${prefix}-pkinds`, PARTNERSHIP_KINDS, w.partnershipKinds, wishes.partnership_kinds || []),
    materialRows(prefix, wishes, w, t));
}

function collect(root, prefix, previous) {
  const materials = ticked(root, `${prefix}-materials`).map((code) => {
    const id = `${prefix}-mat-${code}`;
    const quantity = root.querySelector(`#${id}-quantity`).value;
    const out = { code };
    if (quantity !== "") out.quantity = Number(quantity);
    const unit = root.querySelector(`#${id}-unit`).value;
    const period = root.querySelector(`#${id}-period`).value;
    if (unit) out.unit = unit;
    if (period) out.period = period;
    return out;
  });
  return { work_kinds: previous.work_kinds || [], expertise: ticked(root, `${prefix}-expertise`),
    partnership_kinds: ticked(root, `${prefix}-pkinds`), materials };
}

function render() {
  if (!exchange) return;
  const t = tt();
  const w = words(state.lang);
  const box = $("#exchange-section");
  box.hidden = false;
  const form = el("form", { id: "exchange-form", novalidate: "" },
    wishesFieldset("co-off", t.offers, exchange.offers, w, t),
    wishesFieldset("co-seek", t.seeks, exchange.seeks, w, t),
    el("p", { id: "exchange-error", class: "loket-error", role: "alert" }),
    el("p", { id: "exchange-status", role: "status", text: status }),
    el("div", { class: "loket-actions" },
      el("button", { type: "submit", id: "exchange-save", class: "utrecht-button utrecht-button--primary-action", text: t.save }),
      el("a", { href: `/companies/${companyId}`, text: t.publicProfile })));
  form.addEventListener("submit", save);
  box.replaceChildren(el("h2", { id: "exchange-heading", text: t.heading }), el("p", { class: "loket-hint", text: t.help }), form);
  renderPartnerships();
}

function renderPartnerships() {
  const t = tt();
  const w = words(state.lang);
  const box = $("#company-pships");
  box.hidden = false;
  const items = partnerships.map((p) => {
    const actions = [];
    if (p.status === "proposed" && !p.company_confirmed) actions.push(el("button", { type: "button",
      class: "utrecht-button utrecht-button--primary-action", "data-confirm": p.id, text: t.confirm }));
    if (p.status !== "ended") actions.push(el("button", { type: "button",
      class: "utrecht-button utrecht-button--secondary-action", "data-end": p.id, text: t.end }));
    const waiting = p.status === "proposed" ? (p.company_confirmed ? t.waitingForThem : t.waitingForUs) : "";
    return el("li", { "data-partnership": p.id, "data-status": p.status },
      el("h3", { class: "utrecht-heading-4" }, el("a", { href: `/organisations/${p.organisation.id}`, text: p.organisation.name })),
      el("p", {}, el("span", { class: "loket-badge", "data-state": p.status, text: w.statuses[p.status] }),
        ` ${w.partnershipKinds[p.kind]}${waiting ? ` · ${waiting}` : ""}`),
      el("div", { class: "loket-actions" }, ...actions));
  });
  const list = el("ul", { class: "loket-list", id: "company-pship-list" }, ...(items.length ? items : [el("li", { text: t.none })]));
  list.addEventListener("click", act);
  box.replaceChildren(el("h2", { id: "company-pships-heading", text: t.pships }), el("p", { class: "loket-hint", text: t.pshipsHelp }), list);
}

async function load() {
  exchange = await apiJson(`/v1/companies/${companyId}/exchange`, { lang: state.lang });
  partnerships = (await apiJson(`/v1/partnerships?company_id=${companyId}&limit=100`, { lang: state.lang })).items
    .filter((p) => p.your_side.includes("company"));
  render();
}

async function save(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { offers: collect(form, "co-off", exchange.offers), seeks: collect(form, "co-seek", exchange.seeks) };
  try {
    exchange = await apiJson(`/v1/companies/${companyId}/exchange`, { method: "PUT", body, lang: state.lang });
    status = tt().saved;
    render();
    $("#exchange-status").focus?.();
  } catch (error) {
    $("#exchange-error").textContent = await problemMessage(error, state.lang);
  }
}

async function act(event) {
  const button = event.target.closest("button[data-confirm], button[data-end]");
  if (!button) return;
  const [pid, action] = button.dataset.confirm ? [button.dataset.confirm, "confirm"] : [button.dataset.end, "end"];
  try {
    await apiJson(`/v1/partnerships/${pid}/${action}`, { method: "POST", lang: state.lang });
    await load();
  } catch (error) {
    $("#exchange-error").textContent = await problemMessage(error, state.lang);
  }
}

export async function mountExchange(id) {
  companyId = id;
  onLanguage(() => { status = ""; render(); });
  try {
    await load();
  } catch (error) {
    $("#exchange-section").hidden = false;
    $("#exchange-section").replaceChildren(el("p", { class: "loket-error", role: "alert",
      text: await problemMessage(error, state.lang) }));
  }
}

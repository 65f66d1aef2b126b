// Shared by the partner pages (organisations, company profiles, networks, near a place, the
// reverse search): the labels of the two-way profile codes, rendering what is offered and
// sought, partners with what flows each way, and a Leaflet map of points.
import { el } from "./api.js";

// Labels of the codes (docs/partnerships.md), per language.
export const WORDS = {
  nl: {
    expertise: { engineering: "Engineering", hr: "HR", "care-expertise": "Zorgexpertise",
      design: "Ontwerp", ict: "ICT", marketing: "Marketing", finance: "Financiën", legal: "Juridisch" },
    materials: { textile: "Afgedankt textiel", electronics: "Elektronica", furniture: "Meubels",
      wood: "Hout", metal: "Metaal", plastics: "Kunststof", "paper-cardboard": "Papier en karton",
      bicycles: "Fietsen", "building-materials": "Bouwmaterialen", food: "Voedsel", other: "Overig" },
    partnershipKinds: { customer: "Klant", supplier: "Leverancier",
      "full-partnership": "Volwaardig partnerschap", "cooperative-member": "Lid van een coöperatie" },
    orgKinds: { employer: "Werkgever", "employers-cooperative": "Werkgeverscoöperatie",
      "care-institution": "Zorginstelling", startup: "Startup", municipality: "Gemeente",
      government: "Overheid", shop: "Winkel", "design-studio": "Ontwerpstudio", other: "Anders" },
    roles: { coordinator: "coördinator", member: "lid", supporter: "steunt" },
    units: { kg: "kg", tonnes: "ton", pieces: "stuks", m3: "m³" },
    periods: { week: "per week", month: "per maand", year: "per jaar" },
    statuses: { proposed: "voorgesteld", active: "actief", ended: "beëindigd" },
    facets: { expertise: "Expertise", materials: "Materialen", partnership_kinds: "Soort partnerschap",
      work_kinds: "Soorten werk", distance: "Afstand" },
    offers: "Biedt", seeks: "Zoekt", nothing: "Nog niets opgegeven.",
    partners: "Partners", noPartners: "Nog geen bevestigde partners.",
    networks: "Netwerken", noNetworks: "Geen netwerken.",
    toCompany: (org, company) => `Van ${org} aan ${company}`,
    toOrganisation: (company, org) => `Van ${company} aan ${org}`,
    since: "sinds", km: "km", mapNoTiles: "De kaart laadt niet; de punten staan er wel op.",
  },
  en: {
    expertise: { engineering: "Engineering", hr: "HR", "care-expertise": "Care expertise",
      design: "Design", ict: "ICT", marketing: "Marketing", finance: "Finance", legal: "Legal" },
    materials: { textile: "Discarded textile", electronics: "Electronics", furniture: "Furniture",
      wood: "Wood", metal: "Metal", plastics: "Plastics", "paper-cardboard": "Paper and cardboard",
      bicycles: "Bicycles", "building-materials": "Building materials", food: "Food", other: "Other" },
    partnershipKinds: { customer: "Customer", supplier: "Supplier",
      "full-partnership": "Full partnership", "cooperative-member": "Cooperative member" },
    orgKinds: { employer: "Employer", "employers-cooperative": "Employers' cooperative",
      "care-institution": "Care institution", startup: "Startup", municipality: "Municipality",
      government: "Government", shop: "Shop", "design-studio": "Design studio", other: "Other" },
    roles: { coordinator: "coordinator", member: "member", supporter: "supporter" },
    units: { kg: "kg", tonnes: "tonnes", pieces: "pieces", m3: "m³" },
    periods: { week: "a week", month: "a month", year: "a year" },
    statuses: { proposed: "proposed", active: "active", ended: "ended" },
    facets: { expertise: "Expertise", materials: "Materials", partnership_kinds: "Kind of partnership",
      work_kinds: "Kinds of work", distance: "Distance" },
    offers: "Offers", seeks: "Seeks", nothing: "Nothing stated yet.",
    partners: "Partners", noPartners: "No confirmed partners yet.",
    networks: "Networks", noNetworks: "No networks.",
    toCompany: (org, company) => `From ${org} to ${company}`,
    toOrganisation: (company, org) => `From ${company} to ${org}`,
    since: "since", km: "km", mapNoTiles: "The map does not load; the points are on it.",
  },
  fr: {
    expertise: { engineering: "Ingénierie", hr: "RH", "care-expertise": "Expertise en soins",
      design: "Design", ict: "TIC", marketing: "Marketing", finance: "Finances", legal: "Juridique" },
    materials: { textile: "Textile usagé", electronics: "Électronique", furniture: "Meubles",
      wood: "Bois", metal: "Métal", plastics: "Plastiques", "paper-cardboard": "Papier et carton",
      bicycles: "Vélos", "building-materials": "Matériaux de construction", food: "Alimentation",
      other: "Autre" },
    partnershipKinds: { customer: "Client", supplier: "Fournisseur",
      "full-partnership": "Partenariat complet", "cooperative-member": "Membre d’une coopérative" },
    orgKinds: { employer: "Employeur", "employers-cooperative": "Coopérative d’employeurs",
      "care-institution": "Établissement de soins", startup: "Start-up", municipality: "Commune",
      government: "Administration", shop: "Magasin", "design-studio": "Studio de design", other: "Autre" },
    roles: { coordinator: "coordinateur", member: "membre", supporter: "soutien" },
    units: { kg: "kg", tonnes: "tonnes", pieces: "pièces", m3: "m³" },
    periods: { week: "par semaine", month: "par mois", year: "par an" },
    statuses: { proposed: "proposé", active: "actif", ended: "terminé" },
    facets: { expertise: "Expertise", materials: "Matériaux", partnership_kinds: "Type de partenariat",
      work_kinds: "Types de travail", distance: "Distance" },
    offers: "Offre", seeks: "Cherche", nothing: "Rien d’indiqué pour l’instant.",
    partners: "Partenaires", noPartners: "Pas encore de partenaires confirmés.",
    networks: "Réseaux", noNetworks: "Aucun réseau.",
    toCompany: (org, company) => `De ${org} à ${company}`,
    toOrganisation: (company, org) => `De ${company} à ${org}`,
    since: "depuis", km: "km", mapNoTiles: "La carte ne se charge pas ; les points y figurent.",
  },
};

export const EXPERTISE = Object.keys(WORDS.nl.expertise);
export const MATERIALS = Object.keys(WORDS.nl.materials);
export const PARTNERSHIP_KINDS = Object.keys(WORDS.nl.partnershipKinds);
export const ORG_KINDS = Object.keys(WORDS.nl.orgKinds);

export function words(lang) { return WORDS[lang] || WORDS.nl; }

// Work-kind labels from GET /v1/work-kinds, filled by loadKinds().
let kindLabels = {};
export async function loadKinds(apiJson, lang) {
  const answer = await apiJson("/v1/work-kinds", { lang });
  const items = answer.items || answer;
  kindLabels = {};
  const walk = (list) => {
    for (const k of list) {
      kindLabels[k.code] = k.labels || { nl: k.label_nl || k.nl || k.code, en: k.label_en || k.en || k.code };
      if (k.kinds) walk(k.kinds);
      if (k.children) walk(k.children);
    }
  };
  walk(items);
  return kindLabels;
}
export function kindLabel(code, lang) {
  const l = kindLabels[code];
  if (!l) return code;
  return l[lang] || l.en || l.nl || code;
}

function flowLabel(flow, lang) {
  const w = words(lang);
  const label = flow.facet === "expertise" ? w.expertise[flow.code]
    : flow.facet === "material" ? w.materials[flow.code] : kindLabel(flow.code, lang);
  return (label || flow.code) + (flow.note ? ` (${flow.note})` : "");
}

function materialLabel(m, lang) {
  const w = words(lang);
  let text = w.materials[m.code] || m.code;
  if (m.quantity != null) {
    text += `: ${new Intl.NumberFormat(lang).format(m.quantity)} ${m.unit ? w.units[m.unit] : ""}`;
    if (m.period) text += ` ${w.periods[m.period]}`;
  }
  return text.trim();
}

// One direction of a two-way profile as a definition list; null when it is empty.
export function wishesList(wishes, lang) {
  const w = words(lang);
  const rows = [];
  const add = (facet, values) => {
    if (values.length) rows.push(el("dt", { text: w.facets[facet] }), el("dd", { text: values.join(", ") }));
  };
  add("work_kinds", (wishes.work_kinds || []).map((c) => kindLabel(c, lang)));
  add("expertise", (wishes.expertise || []).map((c) => w.expertise[c] || c));
  add("materials", (wishes.materials || []).map((m) => materialLabel(m, lang)));
  add("partnership_kinds", (wishes.partnership_kinds || []).map((c) => w.partnershipKinds[c] || c));
  return rows.length ? el("dl", { class: "loket-dl" }, ...rows) : null;
}

// "Offers" and "Seeks" side by side.
export function exchangeSection(exchange, lang) {
  const w = words(lang);
  const box = el("div", { class: "grid" });
  for (const dir of ["offers", "seeks"]) {
    const list = wishesList(exchange[dir] || {}, lang);
    box.append(el("div", { "data-exchange": dir }, el("h3", { text: w[dir] }),
      list || el("p", { class: "loket-note", text: w.nothing })));
  }
  return box;
}

function partyHref(type, id) { return type === "company" ? `/companies/${id}` : `/organisations/${id}`; }

// Confirmed partners of one company or organisation (`self`: its name), with what flows.
export function partnersList(partners, selfName, selfType, lang) {
  const w = words(lang);
  if (!partners.length) return el("p", { class: "loket-note", "data-partners": "none", text: w.noPartners });
  return el("ul", { class: "loket-list", "data-partners": String(partners.length) }, ...partners.map((p) => {
    const partnerName = p.partner.name;
    const [companyName, orgName] = selfType === "company" ? [selfName, partnerName] : [partnerName, selfName];
    const flows = [];
    if (p.to_organisation.length) flows.push(el("li", {}, el("strong", { text: `${w.toOrganisation(companyName, orgName)}: ` }),
      p.to_organisation.map((f) => flowLabel(f, lang)).join(", ")));
    if (p.to_company.length) flows.push(el("li", {}, el("strong", { text: `${w.toCompany(orgName, companyName)}: ` }),
      p.to_company.map((f) => flowLabel(f, lang)).join(", ")));
    return el("li", { "data-partnership": p.partnership_id },
      el("p", { class: "loket-partner-name" }, el("a", { href: partyHref(p.partner_type, p.partner.id), text: partnerName })),
      el("p", { class: "meta", text: `${w.partnershipKinds[p.kind]}${p.since ? ` · ${w.since} ${p.since.slice(0, 4)}` : ""}${p.partner.place ? ` · ${p.partner.place}` : ""}` }),
      flows.length ? el("ul", {}, ...flows) : "");
  }));
}

export function networksList(networks, lang) {
  const w = words(lang);
  if (!networks.length) return el("p", { class: "loket-note", text: w.noNetworks });
  return el("ul", {}, ...networks.map((n) => el("li", {},
    el("a", { href: `/networks#network-${n.id}`, text: n.name }), ` (${w.roles[n.role] || n.role})`)));
}

// A Leaflet map of numbered points; returns a function to redraw with new points.
// points: [{lat, lon, label, text, kind}] where kind "here" marks the asked place.
export function pointMap(container, lang) {
  if (!window.L) { container.hidden = true; return () => {}; }
  const L = window.L;
  const map = L.map(container, { scrollWheelZoom: false, keyboard: false, zoomSnap: 0.25 });
  const tileUrl = document.body.dataset.tileUrl;
  let failed = false;
  if (tileUrl) {
    const tiles = L.tileLayer(tileUrl, { maxZoom: 18, attribution: "&copy; OpenStreetMap" });
    tiles.on("tileerror", () => {
      if (failed) return;
      failed = true;
      map.removeLayer(tiles);
      container.classList.add("map--no-tiles");
      const note = container.nextElementSibling;
      if (note && note.classList.contains("loket-note")) { note.textContent = words(lang).mapNoTiles; note.hidden = false; }
    }).addTo(map);
  }
  const layer = L.featureGroup().addTo(map);
  return (points) => {
    layer.clearLayers();
    const at = [];
    for (const p of points) {
      const cls = p.kind === "here" ? "loket-marker loket-marker--asked"
        : `loket-marker loket-marker--${p.kind}`;
      L.marker([p.lat, p.lon], { keyboard: false, title: p.label,
        icon: L.divIcon({ className: cls, html: `<span>${p.text}</span>`, iconSize: [28, 28], iconAnchor: [14, 14] }),
        zIndexOffset: p.kind === "here" ? -1000 : 0 }).addTo(layer);
      at.push([p.lat, p.lon]);
    }
    map.invalidateSize();
    if (at.length === 1) map.setView(at[0], 11);
    else if (at.length) map.fitBounds(at, { padding: [28, 28], maxZoom: 13 });
    else map.setView([52.1, 5.3], 7);
    container.setAttribute("data-markers", String(points.filter((p) => p.kind !== "here").length));
  };
}

// Checkboxes for a list of codes; `checked`: the codes ticked.
export function checkboxes(name, codes, labels, checked = []) {
  return el("div", { class: "cert-list" }, ...codes.map((code) => el("span", { class: "check" },
    el("input", { type: "checkbox", id: `${name}-${code}`, name, value: code,
      ...(checked.includes(code) ? { checked: "" } : {}) }),
    el("label", { for: `${name}-${code}`, text: labels[code] || code }))));
}

export function ticked(root, name) {
  return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

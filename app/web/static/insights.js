// Where the demand is: a bar chart per kind of work (Chart.js, vendored), a map of provinces
// with proportional circles (Leaflet), and the same figures as tables. Readable without
// colour: each source has its own pattern and a written legend, every bar and circle carries
// its number, and the tables hold everything the pictures show.
import { apiJson, el, problemMessage } from "./api.js";
import { fmtNumber } from "./i18n.js";
import { boot, onLanguage, state } from "./layout.js";

const TEXT = {
  nl: {
    insightsLead: "Hoe vaak er naar soorten werk wordt gevraagd, en waar: zoekopdrachten, opgeslagen aanvragen en oproepen.",
    privacy: (n) => `Elk getal staat voor ten minste ${n} verschillende vragers. Kleinere groepen tellen mee in een grovere groep (gemeente in provincie, soort werk in groep) of vallen weg; niemand is te herkennen.`,
    period: "Periode", group: "Groep", allGroups: "Alle soorten werk",
    last12: "Laatste 12 maanden", thisYear: (y) => `${y}`, allTime: "Laatste 10 jaar",
    byKind: "Vraag per soort werk", byRegion: "Vraag per provincie",
    tableKinds: "De cijfers als tabel",
    legend: "Effen: zoekopdrachten. Schuine strepen: aanvragen. Stippen: oproepen.",
    searches: "Zoekopdrachten", requests: "Aanvragen", callouts: "Oproepen", total: "Totaal",
    kind: "Soort werk", province: "Provincie",
    other: (n) => `Nog ${n} in groepen die te klein zijn om apart te tonen.`,
    noneYet: "Nog geen vraag die groot genoeg is om te tonen.",
    chartLabel: (n, top) => `Staafdiagram van de vraag per soort werk, ${n} soorten; het meest gevraagd: ${top}. De cijfers staan ook in de tabel.`,
    mapLabel: "Kaart van de vraag per provincie (de cijfers staan in de tabel eronder)",
    mapHint: "Elke cirkel staat in het midden van een provincie; hoe groter, hoe meer vraag. Het getal staat erbij.",
    gaps: "Vraag en aanbod",
    gapsHint: "Soorten werk met de meeste vraag per bedrijf dat ze aanbiedt; bovenaan wat nog niemand aanbiedt.",
    demand: "Vraag", companies: "Bedrijven", capacity: "Beschikbare mensen", perCompany: "Vraag per bedrijf",
    thin: "Oproepen met < 3 reacties", nobody: "niemand",
    downloadCsv: "Download de cijfers (CSV)",
  },
  en: {
    insightsLead: "How often kinds of work are asked for, and where: searches, stored requests and call-outs.",
    privacy: (n) => `Every figure stands for at least ${n} different requesters. Smaller groups count in a coarser group (municipality in province, kind of work in group) or are left out; nobody can be recognised.`,
    period: "Period", group: "Group", allGroups: "All kinds of work",
    last12: "Last 12 months", thisYear: (y) => `${y}`, allTime: "Last 10 years",
    byKind: "Demand per kind of work", byRegion: "Demand per province",
    tableKinds: "The figures as a table",
    legend: "Solid: searches. Diagonal stripes: requests. Dots: call-outs.",
    searches: "Searches", requests: "Requests", callouts: "Call-outs", total: "Total",
    kind: "Kind of work", province: "Province",
    other: (n) => `Another ${n} in groups too small to show on their own.`,
    noneYet: "No demand large enough to show yet.",
    chartLabel: (n, top) => `Bar chart of the demand per kind of work, ${n} kinds; most asked: ${top}. The figures are in the table too.`,
    mapLabel: "Map of the demand per province (the figures are in the table below)",
    mapHint: "Each circle sits at the centre of a province; the larger, the more demand. Its number is beside it.",
    gaps: "Demand and supply",
    gapsHint: "Kinds of work with the most demand per company offering them; first what nobody offers yet.",
    demand: "Demand", companies: "Companies", capacity: "People available", perCompany: "Demand per company",
    thin: "Call-outs with < 3 answers", nobody: "nobody",
    downloadCsv: "Download the figures (CSV)",
  },
  fr: {
    insightsLead: "À quelle fréquence des types de travail sont demandés, et où : recherches, demandes enregistrées et appels.",
    privacy: (n) => `Chaque chiffre représente au moins ${n} demandeurs différents. Les groupes plus petits comptent dans un groupe plus large (commune dans la province, type de travail dans son groupe) ou sont écartés ; personne n’est reconnaissable.`,
    period: "Période", group: "Groupe", allGroups: "Tous les types de travail",
    last12: "12 derniers mois", thisYear: (y) => `${y}`, allTime: "10 dernières années",
    byKind: "Demande par type de travail", byRegion: "Demande par province",
    tableKinds: "Les chiffres sous forme de tableau",
    legend: "Uni : recherches. Hachures : demandes. Points : appels.",
    searches: "Recherches", requests: "Demandes", callouts: "Appels", total: "Total",
    kind: "Type de travail", province: "Province",
    other: (n) => `Encore ${n} dans des groupes trop petits pour être montrés seuls.`,
    noneYet: "Pas encore de demande assez importante pour être montrée.",
    chartLabel: (n, top) => `Diagramme en barres de la demande par type de travail, ${n} types ; le plus demandé : ${top}. Les chiffres figurent aussi dans le tableau.`,
    mapLabel: "Carte de la demande par province (les chiffres sont dans le tableau ci-dessous)",
    mapHint: "Chaque cercle est placé au centre d’une province ; plus il est grand, plus la demande est forte. Son chiffre est indiqué à côté.",
    gaps: "Offre et demande",
    gapsHint: "Les types de travail les plus demandés par entreprise qui les propose ; en tête, ce que personne ne propose encore.",
    demand: "Demande", companies: "Entreprises", capacity: "Personnes disponibles", perCompany: "Demande par entreprise",
    thin: "Appels avec < 3 réponses", nobody: "personne",
    downloadCsv: "Télécharger les chiffres (CSV)",
  },
};

const $ = (s) => document.querySelector(s);
const SOURCES = ["searches", "requests", "callouts"];
const INK = { searches: "#1d4f73", requests: "#a34700", callouts: "#2f6b33" };
let demand = null;
let regions = null;
let gaps = null;
let groups = [];
let chart = null;
let map = null;
let mapLayer = null;

// A fill that tells the sources apart without colour: solid, diagonal stripes, dots.
function pattern(source) {
  if (source === "searches") return INK.searches;
  const tile = document.createElement("canvas");
  tile.width = 8; tile.height = 8;
  const g = tile.getContext("2d");
  g.fillStyle = "#ffffff"; g.fillRect(0, 0, 8, 8);
  g.fillStyle = INK[source]; g.strokeStyle = INK[source];
  if (source === "requests") {
    g.lineWidth = 2.5;
    g.beginPath(); g.moveTo(-2, 10); g.lineTo(10, -2); g.stroke();
    g.beginPath(); g.moveTo(-2, 2); g.lineTo(2, -2); g.stroke();
    g.beginPath(); g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
  } else {
    g.beginPath(); g.arc(4, 4, 2.2, 0, 2 * Math.PI); g.fill();
  }
  return g.createPattern(tile, "repeat");
}

// Writes each bar's total at its end, so no value depends on reading the axis or a colour.
const totals = {
  id: "loketTotals",
  afterDatasetsDraw(c) {
    const { ctx } = c;
    const last = c.getDatasetMeta(c.data.datasets.length - 1);
    ctx.save();
    ctx.font = "600 13px system-ui, sans-serif";
    ctx.fillStyle = "#1a1a1a";
    ctx.textBaseline = "middle";
    last.data.forEach((bar, i) => {
      const value = c.data.datasets.reduce((sum, d) => sum + d.data[i], 0);
      ctx.fillText(fmtNumber(value, state.lang), bar.x + 6, bar.y);
    });
    ctx.restore();
  },
};

function query() {
  const params = new URLSearchParams();
  const period = $("#insights-period").value;
  if (period) params.set("period", period);
  const group = $("#insights-group").value;
  if (group) params.set("work_kind", group);
  return params;
}

function fillFilters() {
  const { t } = state;
  const year = new Date().getFullYear();
  const period = $("#insights-period");
  const chosen = period.value;
  period.replaceChildren(
    el("option", { value: "", text: t.last12 }),
    el("option", { value: String(year), text: t.thisYear(year) }),
    el("option", { value: String(year - 1), text: t.thisYear(year - 1) }),
    el("option", { value: `${year - 9}/${year}`, text: t.allTime }));
  period.value = chosen;
  const group = $("#insights-group");
  const picked = group.value;
  group.replaceChildren(el("option", { value: "", text: t.allGroups }),
    ...groups.map((g) => el("option", { value: g.code, text: g.label })));
  group.value = picked;
}

function row(cells, header = false) {
  return el("tr", {}, ...cells.map((c, i) => el(header ? "th" : i === 0 ? "th" : "td",
    header ? { scope: "col" } : i === 0 ? { scope: "row" } : { class: "loket-num" }, String(c))));
}

function renderKinds() {
  const { t, lang } = state;
  const rows = demand.rows;
  const n = (v) => fmtNumber(v, lang);
  $("#kinds-legend").textContent = t.legend;
  $("#kinds-table").replaceChildren(
    el("thead", {}, row([t.kind, t.searches, t.requests, t.callouts, t.total], true)),
    el("tbody", {}, ...rows.map((r) => row([r.label, n(r.demand.searches), n(r.demand.requests),
      n(r.demand.callouts), n(r.demand.total)]))));
  $("#kinds-other").textContent = rows.length === 0 ? t.noneYet
    : demand.other.total ? t.other(n(demand.other.total)) : "";
  const canvas = $("#kinds-chart");
  canvas.parentElement.style.height = `${Math.max(120, rows.length * 30 + 60)}px`;
  canvas.setAttribute("aria-label", rows.length
    ? t.chartLabel(rows.length, rows[0].label) : t.noneYet);
  if (chart) chart.destroy();
  chart = new window.Chart(canvas, {
    type: "bar",
    data: {
      // Narrow screens: short labels (the table below has them whole).
      labels: rows.map((r) => (window.innerWidth < 600 && r.label.length > 16
        ? `${r.label.slice(0, 15)}…` : r.label)),
      datasets: SOURCES.map((s) => ({
        label: t[s], data: rows.map((r) => r.demand[s]), backgroundColor: pattern(s),
        borderColor: INK[s], borderWidth: 1, stack: "demand",
      })),
    },
    options: {
      indexAxis: "y", maintainAspectRatio: false, animation: false,
      layout: { padding: { right: 48 } },
      scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
      plugins: { legend: { position: "top", labels: { color: "#1a1a1a" } } },
    },
    plugins: [totals],
  });
}

function renderRegions() {
  const { t, lang } = state;
  const n = (v) => fmtNumber(v, lang);
  const rows = regions.rows;
  $("#regions-table").replaceChildren(
    el("thead", {}, row([t.province, t.searches, t.requests, t.callouts, t.total], true)),
    el("tbody", {}, ...rows.map((r) => row([r.label, n(r.demand.searches), n(r.demand.requests),
      n(r.demand.callouts), n(r.demand.total)]))));
  $("#regions-other").textContent = regions.other.total ? t.other(n(regions.other.total)) : "";
  const L = window.L;
  const container = $("#regions-map");
  if (!map) {
    map = L.map(container, { scrollWheelZoom: false, keyboard: false, zoomSnap: 0.25 });
    const tileUrl = document.body.dataset.tileUrl;
    if (tileUrl) {
      const tiles = L.tileLayer(tileUrl, { maxZoom: 12, attribution: "&copy; OpenStreetMap" });
      tiles.on("tileerror", () => { map.removeLayer(tiles); container.classList.add("map--no-tiles"); });
      tiles.addTo(map);
    }
    mapLayer = L.featureGroup().addTo(map);
  }
  mapLayer.clearLayers();
  const max = Math.max(1, ...rows.map((r) => r.demand.total));
  for (const r of rows) {
    if (r.lat == null) continue;
    const radius = 4 + 16 * Math.sqrt(r.demand.total / max);
    L.circleMarker([r.lat, r.lon], { radius, color: "#1d4f73", weight: 2, fillColor: "#1d4f73",
      fillOpacity: 0.25, interactive: false })
      .bindTooltip(`${r.label}: ${n(r.demand.total)}`, { permanent: true, direction: "right",
        offset: [radius, 0], className: "loket-map-label" })
      .addTo(mapLayer);
  }
  map.invalidateSize();
  map.fitBounds([[49.5, 2.6], [53.5, 7.2]]);
}

function renderGaps() {
  const { t, lang } = state;
  const n = (v) => fmtNumber(v, lang);
  $("#gaps-table").replaceChildren(
    el("thead", {}, row([t.kind, t.demand, t.companies, t.capacity, t.perCompany, t.thin], true)),
    el("tbody", {}, ...gaps.rows.filter((r) => r.demand > 0).slice(0, 12).map((r) => row([
      r.label, n(r.demand), r.companies ? n(r.companies) : t.nobody, n(r.capacity_workers),
      r.demand_per_company == null ? "–" : fmtNumber(r.demand_per_company, lang, 1),
      n(r.thin_callouts)]))));
}

function render() {
  const { t } = state;
  fillFilters();
  if (!demand) return;
  $("#insights-privacy").textContent = t.privacy(demand.threshold);
  renderKinds();
  renderRegions();
  renderGaps();
  $("#insights-csv").href = `/v1/insights/demand?${query()}&format=csv`;
}

async function load() {
  const params = query();
  const lang = state.lang;
  try {
    [demand, regions, gaps] = await Promise.all([
      apiJson(`/v1/insights/demand?group_by=work_kind&${params}`, { lang }),
      apiJson(`/v1/insights/demand?group_by=province&${params}`, { lang }),
      apiJson(`/v1/insights/gaps?group_by=work_kind&${params}`, { lang }),
    ]);
    $("#insights-error").textContent = "";
    render();
  } catch (error) {
    $("#insights-error").textContent = await problemMessage(error, state.lang);
  }
}

await boot(TEXT);
try {
  const kinds = await apiJson("/v1/work-kinds", { lang: state.lang });
  groups = kinds.items.filter((k) => k.kind === "group");
} catch { groups = []; }
fillFilters();
onLanguage(async () => { await load(); });
$("#insights-period").addEventListener("change", load);
$("#insights-group").addEventListener("change", load);
await load();
document.body.setAttribute("data-ready", "true");

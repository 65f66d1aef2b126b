// Browse and search the cases (good practices): words in Dutch or English, kind of work or
// group, region, year; facet counts to narrow down; pages of 10. The state lives in the URL,
// so a search can be shared and the back button works.
import { apiJson, el, problemMessage } from "./api.js";
import { fmtDate } from "./i18n.js";
import { boot, onLanguage, state } from "./layout.js";
import { CASE_TEXT, REGIONS } from "./case-words.js";

const $ = (s) => document.querySelector(s);
const PAGE = 10;
let kinds = [];
let answer = null;

function params() {
  const p = new URLSearchParams(window.location.search);
  return { q: p.get("q") || "", work_kind: p.get("work_kind") || "", region: p.get("region") || "",
    year: p.get("year") || "", offset: Number(p.get("offset") || 0), mine: p.get("mine") === "true" };
}

function go(changes) {
  const next = { ...params(), offset: 0, ...changes };
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(next)) if (v && !(k === "offset" && v === 0)) p.set(k, String(v));
  window.history.pushState(null, "", `/cases${p.toString() ? `?${p}` : ""}`);
  load();
}

function fillSelects() {
  const { t, lang } = state;
  const p = params();
  const kindSelect = $("#cases-kind");
  const groups = kinds.filter((k) => !k.parent);
  kindSelect.replaceChildren(el("option", { value: "", text: t.casesAny }), ...groups.map((g) =>
    el("optgroup", { label: g.labels[lang] || g.label },
      el("option", { value: g.code, text: t.casesAllOf(g.labels[lang] || g.label) }),
      ...kinds.filter((k) => k.parent === g.code).map((k) =>
        el("option", { value: k.code, text: k.labels[lang] || k.label })))));
  kindSelect.value = p.work_kind;
  $("#cases-region").replaceChildren(el("option", { value: "", text: t.casesAny }),
    ...Object.entries(REGIONS).map(([code, name]) => el("option", { value: code, text: name })));
  $("#cases-region").value = p.region;
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: thisYear - 1999 }, (_, i) => String(thisYear + 1 - i));
  $("#cases-year").replaceChildren(el("option", { value: "", text: t.casesAny }),
    ...years.map((y) => el("option", { value: y, text: y })));
  $("#cases-year").value = p.year;
  $("#cases-q").value = p.q;
}

function facetList(title, items, key) {
  if (!items || !items.length) return null;
  const current = params()[key];
  return el("div", { class: "loket-facet" }, el("h3", { text: title }),
    el("ul", { class: "loket-facet__list" }, ...items.map((f) => {
      const active = current === f.value;
      const link = el("a", { href: "#", "aria-current": active ? "true" : null,
        text: `${f.label} (${f.count})` });
      link.addEventListener("click", (event) => {
        event.preventDefault();
        go({ [key]: active ? "" : f.value });
      });
      return el("li", {}, link);
    })));
}

function render() {
  const { t, lang } = state;
  fillSelects();
  document.querySelector("[data-show-writer]").hidden = !(state.me &&
    ["company", "entrepreneur", "admin"].includes(state.me.role));
  if (!answer) return;
  const p = params();
  $("#cases-count").textContent = p.mine ? t.casesMineCount(answer.total) : t.casesCount(answer.total);
  $("#cases-list").replaceChildren(...answer.items.map((c) => el("li", { "data-case": c.id },
    el("h3", {}, el("a", { href: `/cases/${c.id}`, text: c.title })),
    c.status !== "published" ? el("span", { class: "loket-badge", "data-state": c.status,
      text: t.caseStates[c.status] }) : null,
    el("p", { text: c.summary }),
    el("p", { class: "loket-hint", text: [c.work_kinds.map((k) => k.label).join(", "),
      [c.place, c.region ? REGIONS[c.region] : null].filter(Boolean).join(", "),
      c.year_started ? t.caseSince(c.year_started) : null,
      c.companies.length ? c.companies.join(", ") : null].filter(Boolean).join(" · ") }),
    c.status === "published" && c.published_at ? null
      : el("p", { class: "loket-hint", text: `${t.caseUpdated} ${fmtDate(c.updated_at, lang)}` }))));
  const pages = $("#cases-pages");
  pages.replaceChildren();
  if (p.offset > 0) {
    const prev = el("a", { href: "#", text: t.casesPrev });
    prev.addEventListener("click", (e) => { e.preventDefault(); go({ ...p, offset: Math.max(0, p.offset - PAGE) }); });
    pages.append(prev, " ");
  }
  if (p.offset + PAGE < answer.total) {
    const next = el("a", { href: "#", text: t.casesNext });
    next.addEventListener("click", (e) => { e.preventDefault(); go({ ...p, offset: p.offset + PAGE }); });
    pages.append(next);
  }
  const f = answer.facets;
  $("#cases-facets").replaceChildren(...[
    facetList(t.casesGroup, f.groups, "work_kind"), facetList(t.casesKind, f.work_kinds, "work_kind"),
    facetList(t.casesRegion, f.regions, "region"), facetList(t.casesYear, f.years, "year"),
  ].filter(Boolean));
}

async function load() {
  const p = params();
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(p.offset) });
  for (const key of ["q", "work_kind", "region", "year"]) if (p[key]) query.set(key, p[key]);
  if (p.mine) query.set("mine", "true");
  $("#cases-error").textContent = "";
  try {
    answer = await apiJson(`/v1/cases?${query}`, { lang: state.lang });
  } catch (error) {
    answer = null;
    $("#cases-error").textContent = await problemMessage(error, state.lang);
  }
  render();
  document.body.setAttribute("data-ready", "true");
}

await boot(CASE_TEXT);
kinds = (await apiJson("/v1/work-kinds", { lang: state.lang })).items || [];
$("#cases-form").addEventListener("submit", (event) => {
  event.preventDefault();
  go({ q: $("#cases-q").value.trim(), work_kind: $("#cases-kind").value,
    region: $("#cases-region").value, year: $("#cases-year").value, mine: params().mine });
});
window.addEventListener("popstate", load);
onLanguage(load);
await load();

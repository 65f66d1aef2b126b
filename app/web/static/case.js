// One case: the good-practice template read top to bottom (what, where, the story, results,
// lessons and transfer, links and contact). Its authors can edit and submit it; operators
// publish it or send it back; a named company confirms it may be named.
import { apiJson, el, problemMessage } from "./api.js";
import { fmtNumber, say } from "./i18n.js";
import { boot, onLanguage, state } from "./layout.js";
import { CASE_TEXT, REGIONS } from "./case-words.js";

const $ = (s) => document.querySelector(s);
const caseId = window.location.pathname.split("/")[2];
let item = null;

function section(title, ...content) {
  const body = content.filter((c) => c !== null && c !== undefined && c !== "");
  if (!body.length) return null;
  return el("section", { class: "loket-case__section" }, el("h2", { text: title }), ...body);
}

function para(text) { return text ? el("p", { class: "loket-prewrap", text }) : null; }

function actions() {
  const { t, me } = state;
  const box = el("div", { class: "loket-actions" });
  const status = el("p", { id: "case-status", role: "status" });
  if (item.can_edit && item.status !== "published") {
    box.append(el("a", { href: `/cases/${item.id}/edit`, class: "utrecht-button-link utrecht-button-link--secondary-action",
      id: "case-edit", text: t.caseEdit }), " ");
  }
  if (item.can_edit && item.status === "draft") {
    box.append(button(t.caseSubmit, "case-submit", "submit", status, "caseSubmitted"), " ");
  }
  if (me && me.role === "admin" && item.status !== "published") {
    box.append(button(t.casePublish, "case-publish", "publish", status, "casePublished"), " ");
  }
  if (me && me.role === "admin" && item.status !== "draft") {
    box.append(button(t.caseSendBack, "case-send-back", "send-back", status, "caseSentBack", {}));
  }
  const mine = me && me.role === "company" && item.companies.find((c) => c.id === me.company_id && !c.confirmed);
  if (mine) box.append(button(t.caseConfirm, "case-confirm", "confirm", status, "caseConfirmed", { named: true }));
  return box.childNodes.length ? el("div", {}, box, status) : status;
}

function button(text, id, action, status, said, body) {
  const b = el("button", { type: "button", id, class: "utrecht-button utrecht-button--primary-action", text });
  b.addEventListener("click", async () => {
    b.disabled = true;
    $("#case-error").textContent = "";
    try {
      item = await apiJson(`/v1/cases/${caseId}/${action}`, { method: "POST", lang: state.lang, body });
      render();
      say($("#case-status"), state.t, said);
    } catch (error) {
      b.disabled = false;
      $("#case-error").textContent = await problemMessage(error, state.lang);
    }
  });
  return b;
}

function render() {
  const { t, lang } = state;
  if (!item) return;
  $("#case-title").textContent = item.title;
  delete $("#case-title").dataset.i18n;
  document.title = `${item.title} — Loket`;
  const where = [item.location.place, item.location.region ? REGIONS[item.location.region] : null,
    item.location.country].filter(Boolean).join(", ");
  const facts = el("dl", { class: "loket-facts" },
    el("dt", { text: t.caseKinds }), el("dd", { text: item.work_kinds.map((k) => k.label).join(", ") }),
    where ? el("dt", { text: t.caseLocation }) : null, where ? el("dd", { text: where }) : null,
    item.year_started ? el("dt", { text: t.caseYear }) : null,
    item.year_started ? el("dd", { text: String(item.year_started) }) : null,
    item.companies.length ? el("dt", { text: t.caseCompanies }) : null,
    item.companies.length ? el("dd", {}, ...item.companies.flatMap((c, i) => [i ? ", " : null,
      el("a", { href: `/companies/${c.id}`, text: c.name }),
      c.confirmed ? null : ` (${t.caseNotConfirmed})`])) : null,
    item.partners.length ? el("dt", { text: t.casePartners }) : null,
    item.partners.length ? el("dd", { text: item.partners.join(", ") }) : null);
  const f = item.figures;
  const figures = [
    f.target_group_jobs !== null ? [t.caseJobs, fmtNumber(f.target_group_jobs, lang)] : null,
    f.volume !== null ? [t.caseVolume, `${fmtNumber(f.volume, lang)} ${f.volume_unit || ""}`.trim()] : null,
    f.duration_months !== null ? [t.caseDuration, t.caseMonths(f.duration_months)] : null,
  ].filter(Boolean);
  const story = el("div", { class: "loket-story" });
  // story_html is sanitised by the server (markdown-it without raw HTML, then nh3).
  story.innerHTML = item.story_html;
  const contact = item.contact ? el("p", {}, [item.contact.name, item.contact.role].filter(Boolean).join(", "),
    item.contact.email ? " · " : null,
    item.contact.email ? el("a", { href: `mailto:${item.contact.email}`, text: item.contact.email }) : null) : null;
  $("#case-body").replaceChildren(...[
    item.status !== "published" ? el("p", {}, el("span", { class: "loket-badge", "data-state": item.status,
      text: t.caseStates[item.status] })) : null,
    item.review_note ? el("div", { class: "utrecht-alert loket-alert", role: "note" },
      el("p", {}, el("strong", { text: `${t.caseNote}: ` }), item.review_note)) : null,
    el("p", { class: "loket-lead", text: item.summary }),
    facts,
    actions(),
    section(t.caseStory, item.story ? story : null),
    section(t.caseEvidence, figures.length ? el("dl", { class: "loket-facts" },
      ...figures.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])) : null, para(item.results)),
    section(t.caseResources, para(item.resources)),
    section(t.caseLessons, para(item.lessons)),
    section(t.caseTransfer, para(item.transfer)),
    section(t.caseLinks, item.links.length ? el("ul", {}, ...item.links.map((l) =>
      el("li", {}, el("a", { href: l.url, rel: "nofollow noopener noreferrer", text: l.title })))) : null),
    section(t.caseContact, contact),
  ].filter(Boolean));
}

async function load() {
  try {
    item = await apiJson(`/v1/cases/${caseId}`, { lang: state.lang });
    render();
  } catch (error) {
    $("#case-error").textContent = await problemMessage(error, state.lang);
  }
  document.body.setAttribute("data-ready", "true");
}

await boot(CASE_TEXT);
onLanguage(load);
await load();

// Write or edit a case: the good-practice template as one form. New cases may start from a
// call-out (?request=ID: GET /v1/cases/draft-from-request fills it in). Saving makes or
// changes a draft (PATCH with If-Match), then shows the case, where it is submitted.
import { api, apiJson, el, markField, showErrors } from "./api.js";
import { checkFields } from "./forms.js";
import { boot, onLanguage, requireSignIn, state } from "./layout.js";
import { CASE_TEXT, REGIONS } from "./case-words.js";

const $ = (s) => document.querySelector(s);
const parts = window.location.pathname.split("/");
const caseId = parts[3] === "edit" ? parts[2] : null;
const requestId = new URLSearchParams(window.location.search).get("request");
const LINKS = 3;
let kinds = [];
let companies = []; // [{id, name, checked}]
let etag = null;
const FIELDS = { title: "c-title", summary: "c-summary", work_kinds: "c-kinds", place: "c-place",
  country: "c-country", region: "c-region", year_started: "c-year", story: "c-story",
  resources: "c-resources", results: "c-results", target_group_jobs: "c-jobs", volume: "c-volume",
  volume_unit: "c-unit", duration_months: "c-duration", lessons: "c-lessons", transfer: "c-transfer",
  "contact.name": "c-contact-name", "contact.role": "c-contact-role", "contact.email": "c-contact-email",
  "contact.consent": "c-consent", partners: "c-partners", company_ids: "c-companies" };
for (let i = 0; i < LINKS; i += 1) {
  FIELDS[`links.${i}.title`] = `c-link-title-${i}`;
  FIELDS[`links.${i}.url`] = `c-link-url-${i}`;
}

function renderStatic() {
  const { t, lang } = state;
  const chosen = new Set([...document.querySelectorAll("#c-kinds input:checked")].map((i) => i.value));
  $("#c-kinds").replaceChildren(...kinds.filter((k) => !k.parent).map((g) => el("fieldset", { class: "loket-kind-group" },
    el("legend", { text: g.labels[lang] || g.label }),
    ...kinds.filter((k) => k.parent === g.code).map((k) => el("div", { class: "loket-check" },
      el("input", { type: "checkbox", id: `kind-${k.code}`, value: k.code, checked: chosen.has(k.code) }),
      el("label", { for: `kind-${k.code}`, text: k.labels[lang] || k.label }))))));
  const region = $("#c-region").value;
  $("#c-region").replaceChildren(el("option", { value: "", text: t.fRegionNone }),
    ...Object.entries(REGIONS).map(([code, name]) => el("option", { value: code, text: name })));
  $("#c-region").value = region;
  const values = [...Array(LINKS).keys()].map((i) => [$(`#c-link-title-${i}`)?.value || "", $(`#c-link-url-${i}`)?.value || ""]);
  $("#c-links").replaceChildren(...[...Array(LINKS).keys()].flatMap((i) => [
    el("div", { class: "field" }, el("label", { for: `c-link-title-${i}`, text: t.fLinkTitle(i + 1) }),
      el("input", { id: `c-link-title-${i}`, maxlength: "200", value: values[i][0] })),
    el("div", { class: "field" }, el("label", { for: `c-link-url-${i}`, text: t.fLinkUrl(i + 1) }),
      el("input", { id: `c-link-url-${i}`, type: "url", value: values[i][1] }))]));
  $("#c-companies-field").hidden = companies.length === 0;
  $("#c-companies").replaceChildren(...companies.map((c) => el("div", { class: "loket-check" },
    el("input", { type: "checkbox", id: `company-${c.id}`, value: c.id, checked: c.checked }),
    el("label", { for: `company-${c.id}`, text: c.name }))));
  $("#case-form-title").dataset.i18n = caseId ? "caseFormEdit" : "caseFormNew";
  $("#case-form-title").textContent = caseId ? t.caseFormEdit : t.caseFormNew;
}

function fill(data) {
  const set = (id, v) => { $(id).value = v === null || v === undefined ? "" : String(v); };
  set("#c-title", data.title); set("#c-summary", data.summary);
  const codes = (data.work_kinds || []).map((k) => (typeof k === "string" ? k : k.code));
  for (const code of codes) { const box = $(`#kind-${CSS.escape(code)}`); if (box) box.checked = true; }
  const location = data.location || data;
  set("#c-place", location.place); if (location.country) set("#c-country", location.country);
  set("#c-region", location.region); set("#c-year", data.year_started);
  set("#c-partners", (data.partners || []).join("\n"));
  set("#c-story", data.story); set("#c-resources", data.resources); set("#c-results", data.results);
  const f = data.figures || {};
  set("#c-jobs", f.target_group_jobs); set("#c-volume", f.volume); set("#c-unit", f.volume_unit);
  set("#c-duration", f.duration_months); set("#c-lessons", data.lessons); set("#c-transfer", data.transfer);
  (data.links || []).slice(0, LINKS).forEach((l, i) => { set(`#c-link-title-${i}`, l.title); set(`#c-link-url-${i}`, l.url); });
  if (data.contact) {
    set("#c-contact-name", data.contact.name); set("#c-contact-role", data.contact.role);
    set("#c-contact-email", data.contact.email); $("#c-consent").checked = data.contact.consent;
  }
}

function body() {
  const text = (id) => $(id).value.trim();
  const number = (id) => (text(id) === "" ? null : Number(text(id)));
  const links = [...Array(LINKS).keys()].map((i) => ({ title: text(`#c-link-title-${i}`), url: text(`#c-link-url-${i}`) }))
    .filter((l) => l.title || l.url).map((l) => ({ title: l.title || l.url, url: l.url }));
  const out = {
    title: text("#c-title"), summary: text("#c-summary") || null, story: $("#c-story").value,
    work_kinds: [...document.querySelectorAll("#c-kinds input:checked")].map((i) => i.value),
    partners: text("#c-partners").split("\n").map((s) => s.trim()).filter(Boolean),
    place: text("#c-place") || null, country: text("#c-place") ? $("#c-country").value : null,
    region: $("#c-region").value || null, year_started: number("#c-year"),
    resources: text("#c-resources"), results: text("#c-results"), lessons: text("#c-lessons"),
    transfer: text("#c-transfer"), target_group_jobs: number("#c-jobs"), volume: number("#c-volume"),
    volume_unit: text("#c-unit") || null, duration_months: number("#c-duration"), links,
    contact: text("#c-contact-name") ? { name: text("#c-contact-name"), role: text("#c-contact-role") || null,
      email: text("#c-contact-email") || null, consent: $("#c-consent").checked } : null,
  };
  if (companies.length) {
    out.company_ids = [...document.querySelectorAll("#c-companies input:checked")].map((i) => i.value);
  }
  if (!caseId && requestId) out.request_id = requestId;
  return out;
}

async function save(event) {
  event.preventDefault();
  const form = $("#case-form");
  $("#case-form-error").textContent = "";
  if (!checkFields(form, [["c-title", "required"]], state.t)) return;
  if (!document.querySelector("#c-kinds input:checked")) {
    markField($("#c-kinds"), state.t.fChooseKind);
    $("#c-kinds").focus();
    return;
  }
  $("#case-save").disabled = true;
  try {
    const saved = caseId
      ? await apiJson(`/v1/cases/${caseId}`, { method: "PATCH", body: body(), lang: state.lang, ifMatch: etag })
      : await apiJson("/v1/cases", { method: "POST", body: body(), lang: state.lang });
    window.location.assign(`/cases/${saved.id}`);
  } catch (error) {
    $("#case-save").disabled = false;
    await showErrors(error, { form, fieldMap: FIELDS, summary: $("#case-form-error"), lang: state.lang });
  }
}

await boot(CASE_TEXT);
if (requireSignIn($("#case-form-body"))) {
  kinds = (await apiJson("/v1/work-kinds", { lang: state.lang })).items || [];
  renderStatic();
  if (caseId) {
    const response = await api(`/v1/cases/${caseId}`, { lang: state.lang });
    etag = response.headers.get("ETag");
    const data = await response.json();
    companies = data.companies.map((c) => ({ id: c.id, name: c.name, checked: true }));
    renderStatic();
    fill(data);
  } else if (requestId) {
    try {
      const draft = await apiJson(`/v1/cases/draft-from-request/${encodeURIComponent(requestId)}`, { lang: state.lang });
      companies = draft.companies.map((c) => ({ id: c.id, name: c.name, checked: true }));
      renderStatic();
      fill(draft);
      $("#case-from-request").hidden = false;
    } catch { /* not a request of this person's: an empty form */ }
  }
  onLanguage(renderStatic);
  $("#case-form").addEventListener("submit", save);
  document.body.setAttribute("data-ready", "true");
}

// The signed-in person's saved searches: how often each mails, pause or resume it, rename
// it, delete it. Alerts themselves come by mail (app/alerts).
import { apiJson, el, problemMessage } from "./api.js";
import { fmtDate, say } from "./i18n.js";
import { boot, onLanguage, requireSignIn, state } from "./layout.js";

const TEXT = {
  nl: { alertsIntro: "Bewaarde zoekopdrachten: u krijgt een e-mail zodra er nieuwe bedrijven bij passen.",
    noAlerts: "U heeft nog geen bewaarde zoekopdrachten.", startSearch: "Begin met zoeken",
    frequency: "Hoe vaak", instant: "Direct", daily: "Dagelijks (8.00 uur)", weekly: "Wekelijks (maandag 8.00 uur)",
    name: "Naam", active: "Meldingen aan", paused: "gepauzeerd", lastAlert: "Laatste melding",
    never: "nog geen", save: "Opslaan", remove: "Verwijderen", saved: "Opgeslagen.", removed: "Verwijderd.",
    kinds: "Soorten werk", near: "bij" },
  en: { alertsIntro: "Saved searches: you get an email as soon as new companies fit them.",
    noAlerts: "You have no saved searches yet.", startSearch: "Start searching",
    frequency: "How often", instant: "Instantly", daily: "Daily (8:00)", weekly: "Weekly (Monday 8:00)",
    name: "Name", active: "Alerts on", paused: "paused", lastAlert: "Last alert",
    never: "none yet", save: "Save", remove: "Delete", saved: "Saved.", removed: "Deleted.",
    kinds: "Kinds of work", near: "near" },
  fr: { alertsIntro: "Recherches enregistrées : vous recevez un e-mail dès que de nouvelles entreprises y correspondent.",
    noAlerts: "Vous n’avez pas encore de recherche enregistrée.", startSearch: "Commencer une recherche",
    frequency: "Fréquence", instant: "Immédiatement", daily: "Chaque jour (8 h)", weekly: "Chaque semaine (lundi 8 h)",
    name: "Nom", active: "Alertes activées", paused: "en pause", lastAlert: "Dernière alerte",
    never: "aucune pour l’instant", save: "Enregistrer", remove: "Supprimer", saved: "Enregistré.", removed: "Supprimé.",
    kinds: "Types de travail", near: "près de" },
};
const $ = (s) => document.querySelector(s);
let items = [];
let labels = {};
const label = (code) => (labels[code] ? labels[code][state.lang] : code);

function where(c) {
  const loc = c.location || {};
  return [loc.postcode, loc.place].filter(Boolean).join(", ");
}

function render() {
  const { t, lang } = state;
  $("#alerts-empty").hidden = items.length > 0;
  $("#alert-list").replaceChildren(...items.map((s) => {
    const id = s.id;
    const freq = el("select", { id: `freq-${id}` }, ...["instant", "daily", "weekly"].map((f) =>
      el("option", { value: f, text: t[f], selected: s.frequency === f })));
    const name = el("input", { id: `name-${id}`, value: s.name, maxlength: "200", autocomplete: "off" });
    const active = el("input", { type: "checkbox", id: `active-${id}`, checked: s.active });
    const save = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action",
      "data-action": "save", text: t.save });
    const remove = el("button", { type: "button", class: "utrecht-button utrecht-button--subtle",
      "data-action": "remove", text: t.remove });
    save.addEventListener("click", () => change(id, { name: name.value.trim(), frequency: freq.value,
      active: active.checked }));
    remove.addEventListener("click", () => drop(id));
    const place = where(s.criteria);
    return el("li", { "data-saved-search": id },
      el("h2", { class: "utrecht-heading-3", text: s.name }),
      el("p", {}, !s.active ? el("span", { class: "loket-badge", "data-state": "closed", text: t.paused }) : null,
        `${s.active ? "" : " · "}${t.kinds}: ${s.criteria.work_kinds.map(label).join(", ")}${place ? ` ${t.near} ${place}` : ""}`,
        ` · ${t.lastAlert}: ${s.last_alert_at ? fmtDate(s.last_alert_at, lang) : t.never}`),
      el("div", { class: "grid" },
        el("div", { class: "field" }, el("label", { for: `name-${id}`, text: t.name }), name),
        el("div", { class: "field" }, el("label", { for: `freq-${id}`, text: t.frequency }), freq)),
      el("div", { class: "check" }, active, el("label", { for: `active-${id}`, text: t.active })),
      el("div", { class: "loket-actions" }, save, remove));
  }));
}

async function load() {
  items = (await apiJson("/v1/saved-searches?limit=100", { lang: state.lang })).items;
  render();
}

async function change(id, body) {
  $("#alerts-error").textContent = "";
  try {
    await apiJson(`/v1/saved-searches/${id}`, { method: "PATCH", body, lang: state.lang });
    await load();
    say($("#alerts-status"), state.t, "saved");
  } catch (error) {
    $("#alerts-error").textContent = await problemMessage(error, state.lang);
  }
}

async function drop(id) {
  $("#alerts-error").textContent = "";
  try {
    await apiJson(`/v1/saved-searches/${id}`, { method: "DELETE", lang: state.lang });
    await load();
    say($("#alerts-status"), state.t, "removed");
  } catch (error) {
    $("#alerts-error").textContent = await problemMessage(error, state.lang);
  }
}

await boot(TEXT);
onLanguage(render);
if (requireSignIn($("#alerts-body"))) {
  try {
    const taxonomy = await apiJson("/v1/work-kinds", { lang: state.lang });
    labels = Object.fromEntries(taxonomy.items.map((k) => [k.code, k.labels]));
    await load();
  } catch (error) {
    $("#alerts-error").textContent = await problemMessage(error, state.lang);
  }
  document.body.setAttribute("data-ready", "true");
}

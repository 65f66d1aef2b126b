// The entrepreneur's requests with their states.
import { apiJson, el, problemMessage } from "./api.js";
import { fmtDate, fmtNumber } from "./i18n.js";
import { boot, onLanguage, requireSignIn, state } from "./layout.js";

const TEXT = {
  nl: { noRequests: "U heeft nog geen aanvragen.", startSearch: "Begin met zoeken",
    created: "Aangemaakt", deadline: "Reageren tot", workers: "Medewerkers", noDeadline: "geen" },
  en: { noRequests: "You have no requests yet.", startSearch: "Start searching",
    created: "Created", deadline: "Responses until", workers: "Workers", noDeadline: "none" },
  fr: { noRequests: "Vous n’avez pas encore de demandes.", startSearch: "Commencer à chercher",
    created: "Créée le", deadline: "Réponses jusqu’au", workers: "Travailleurs", noDeadline: "aucune" },
};
const $ = (s) => document.querySelector(s);
let items = [];

function render() {
  const { t, lang } = state;
  $("#requests-empty").hidden = items.length > 0;
  $("#request-list").replaceChildren(...items.map((r) => el("li", { "data-request": r.id },
    el("h2", { class: "utrecht-heading-3" }, el("a", { href: `/my/requests/${r.id}`, text: r.title })),
    el("p", {}, el("span", { class: "loket-badge", "data-state": r.status, text: t.states[r.status] || r.status }),
      ` · ${t.created} ${fmtDate(r.created_at, lang)} · ${t.deadline}${t.colon}${r.deadline ? fmtDate(r.deadline, lang) : t.noDeadline}`,
      r.criteria.workers_needed ? ` · ${t.workers}${t.colon}${fmtNumber(r.criteria.workers_needed, lang)}` : ""))));
}

await boot(TEXT);
onLanguage(render);
if (requireSignIn($("#requests-body"))) {
  try {
    items = (await apiJson("/v1/requests?limit=100", { lang: state.lang })).items;
    render();
  } catch (error) {
    $("#requests-error").textContent = await problemMessage(error, state.lang);
  }
  document.body.setAttribute("data-ready", "true");
}

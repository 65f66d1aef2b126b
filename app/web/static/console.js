// The operator's console: companies waiting for verification (Verify), call-outs, keys.
import { apiJson, el, problemMessage } from "./api.js";
import { fmtDate, say } from "./i18n.js";
import { boot, onLanguage, requireSignIn, state } from "./layout.js";
import { CASE_TEXT } from "./case-words.js";

const TEXT = {
  nl: { pendingHeading: "Bedrijven die wachten op controle", pendingEmpty: "Er wachten geen bedrijven.",
    verify: "Goedkeuren", verifyName: (n) => `${n} goedkeuren`, verified: (n) => `${n} is goedgekeurd en nu vindbaar.`,
    registration: "Inschrijving", registered: "Aangemeld", calloutsHeading: "Oproepen", calloutsEmpty: "Nog geen aanvragen.",
    colTitle: "Titel", colOrg: "Organisatie", colState: "Status", colDeadline: "Reageren tot",
    keysHeading: "API-sleutels", keysHint: "Sleutels zijn voor koppelingen en partnersites; mensen melden zich aan met een link.",
    colName: "Naam", colRole: "Rol", colPrefix: "Begin van de sleutel", colUsed: "Laatst gebruikt", never: "nooit" },
  en: { pendingHeading: "Companies waiting for verification", pendingEmpty: "No companies are waiting.",
    verify: "Verify", verifyName: (n) => `Verify ${n}`, verified: (n) => `${n} is verified and can now be found.`,
    registration: "Registration", registered: "Registered", calloutsHeading: "Call-outs", calloutsEmpty: "No requests yet.",
    colTitle: "Title", colOrg: "Organisation", colState: "State", colDeadline: "Responses until",
    keysHeading: "API keys", keysHint: "Keys are for integrations and partner sites; people sign in with a link.",
    colName: "Name", colRole: "Role", colPrefix: "Start of the key", colUsed: "Last used", never: "never" },
  fr: { pendingHeading: "Entreprises en attente de vérification", pendingEmpty: "Aucune entreprise n’attend.",
    verify: "Vérifier", verifyName: (n) => `Vérifier ${n}`, verified: (n) => `${n} est vérifiée et désormais trouvable.`,
    registration: "Inscription", registered: "Date d’inscription", calloutsHeading: "Appels", calloutsEmpty: "Pas encore de demandes.",
    colTitle: "Titre", colOrg: "Organisation", colState: "État", colDeadline: "Réponses jusqu’au",
    keysHeading: "Clés d’API", keysHint: "Les clés servent aux intégrations et aux sites partenaires ; les personnes se connectent avec un lien.",
    colName: "Nom", colRole: "Rôle", colPrefix: "Début de la clé", colUsed: "Dernière utilisation", never: "jamais" },
};
const $ = (s) => document.querySelector(s);
let pending = [];
let requests = [];
let keys = [];
let cases = [];

function render() {
  const { t, lang } = state;
  $("#pending-empty").hidden = pending.length > 0;
  $("#pending-list").replaceChildren(...pending.map((c) => {
    const button = el("button", { type: "button", class: "utrecht-button utrecht-button--primary-action",
      "data-verify": c.id, "aria-label": t.verifyName(c.name), text: t.verify });
    button.addEventListener("click", () => verify(c, button));
    const site = c.sites && c.sites[0];
    return el("li", { "data-company": c.id },
      el("h3", { text: c.name }),
      el("p", { text: [`${t.registration}${t.colon}${c.registration.country} ${c.registration.number}`,
        site ? [site.postcode, site.city].filter(Boolean).join(" ") : null,
        c.created_at ? `${t.registered} ${fmtDate(c.created_at, lang)}` : null].filter(Boolean).join(" · ") }),
      button);
  }));
  $("#cases-empty").hidden = cases.length > 0;
  $("#cases-queue").replaceChildren(...cases.map((c) => {
    const publish = el("button", { type: "button", class: "utrecht-button utrecht-button--primary-action",
      "data-publish": c.id, text: t.casePublish });
    publish.addEventListener("click", () => publishCase(c, publish));
    return el("li", { "data-case": c.id }, el("h3", {}, el("a", { href: `/cases/${c.id}`, text: c.title })),
      el("p", { text: c.summary }), publish);
  }));
  $("#callouts-empty").hidden = requests.length > 0;
  $("#callouts-table").hidden = requests.length === 0;
  $("#callouts").replaceChildren(...requests.map((r) => el("tr", {},
    el("td", { text: r.title }), el("td", { text: r.organisation || "" }),
    el("td", {}, el("span", { class: "loket-badge", "data-state": r.status, text: t.states[r.status] || r.status })),
    el("td", { text: r.deadline ? fmtDate(r.deadline, lang) : "" }))));
  $("#keys").replaceChildren(...keys.map((k) => el("tr", {},
    el("td", { text: k.name }), el("td", { text: k.role }), el("td", {}, el("code", { text: k.prefix })),
    el("td", { text: k.last_used_at ? fmtDate(k.last_used_at, lang) : t.never }))));
}

async function verify(company, button) {
  button.disabled = true;
  try {
    await apiJson(`/v1/companies/${company.id}/verify`, { method: "POST", lang: state.lang });
    pending = pending.filter((c) => c.id !== company.id);
    render();
    say($("#verify-status"), state.t, "verified", company.name);
  } catch (error) {
    button.disabled = false;
    $("#console-error").textContent = await problemMessage(error, state.lang);
  }
}

async function publishCase(item, button) {
  button.disabled = true;
  try {
    await apiJson(`/v1/cases/${item.id}/publish`, { method: "POST", lang: state.lang });
    cases = cases.filter((c) => c.id !== item.id);
    render();
    say($("#case-status"), state.t, "casePublished");
  } catch (error) {
    button.disabled = false;
    $("#console-error").textContent = await problemMessage(error, state.lang);
  }
}

async function load() {
  const [companies, reqs, keyList, queue] = await Promise.all([
    apiJson("/v1/companies?status=pending&limit=100", { lang: state.lang }),
    apiJson("/v1/requests?limit=100", { lang: state.lang }),
    apiJson("/v1/api-keys?limit=100", { lang: state.lang }),
    apiJson("/v1/cases?status=submitted&limit=100", { lang: state.lang }),
  ]);
  cases = queue.items;
  pending = companies.items;
  requests = reqs.items;
  keys = keyList.items;
  render();
}

await boot(Object.fromEntries(Object.keys(TEXT).map((l) => [l, { ...TEXT[l], ...CASE_TEXT[l] }])));
onLanguage(render);
if (requireSignIn($("#console-body"))) {
  try { await load(); } catch (error) { $("#console-error").textContent = await problemMessage(error, state.lang); }
  document.body.setAttribute("data-ready", "true");
}

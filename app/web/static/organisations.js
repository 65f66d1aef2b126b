// Organisations that are not sheltered-work companies, and adding one's own (signed in).
import { apiJson, el, problemMessage, showErrors } from "./api.js";
import { checkFields } from "./forms.js";
import { boot, onLanguage, state } from "./layout.js";
import { ORG_KINDS, words } from "./partners-ui.js";

const TEXT = {
  nl: { orgsIntro: "Werkgevers, zorginstellingen, startups, gemeenten en anderen die met sociale werkbedrijven samenwerken: wat ze bieden en wat ze zoeken.",
    allOrgs: "Alle organisaties", newOrg: "Uw organisatie toevoegen",
    newOrgSignIn: "Meld u aan als ondernemer om uw organisatie toe te voegen.",
    orgName: "Naam", orgKind: "Soort organisatie", orgPlace: "Plaats of postcode",
    orgDescription: "Omschrijving (optioneel)", orgCreate: "Organisatie toevoegen",
    noOrgs: "Nog geen organisaties." },
  en: { orgsIntro: "Employers, care institutions, startups, municipalities and others working with sheltered-work companies: what they offer and what they seek.",
    allOrgs: "All organisations", newOrg: "Add your organisation",
    newOrgSignIn: "Sign in as an entrepreneur to add your organisation.",
    orgName: "Name", orgKind: "Kind of organisation", orgPlace: "Place or postcode",
    orgDescription: "Description (optional)", orgCreate: "Add organisation",
    noOrgs: "No organisations yet." },
  fr: { orgsIntro: "Employeurs, établissements de soins, start-up, communes et autres qui travaillent avec des entreprises de travail adapté : ce qu’ils offrent et ce qu’ils cherchent.",
    allOrgs: "Toutes les organisations", newOrg: "Ajouter votre organisation",
    newOrgSignIn: "Connectez-vous comme entrepreneur pour ajouter votre organisation.",
    orgName: "Nom", orgKind: "Type d’organisation", orgPlace: "Lieu ou code postal",
    orgDescription: "Description (facultative)", orgCreate: "Ajouter l’organisation",
    noOrgs: "Pas encore d’organisations." },
};
const $ = (s) => document.querySelector(s);
let items = [];

function render() {
  const { t, lang } = state;
  const w = words(lang);
  const kind = $("#o-kind").value;
  $("#o-kind").replaceChildren(...ORG_KINDS.map((k) => el("option", { value: k, text: w.orgKinds[k] })));
  if (kind) $("#o-kind").value = kind;
  $("#org-list").replaceChildren(...(items.length ? items.map((o) => el("li", { "data-organisation": o.id },
    el("h3", { class: "utrecht-heading-4" }, el("a", { href: `/organisations/${o.id}`, text: o.name })),
    el("p", { class: "meta", text: `${w.orgKinds[o.kind]} · ${o.place}` }))) : [el("li", { text: t.noOrgs })]));
}

function locationOf(text) {
  const value = text.trim();
  return /^[0-9]/.test(value) ? { postcode: value } : { place: value };
}

await boot(TEXT);
onLanguage(render);
const me = state.me;
const mayCreate = me && (me.role === "entrepreneur" || me.role === "admin");
$("#org-form").hidden = !mayCreate;
$("#new-org-signin").hidden = Boolean(mayCreate);
try {
  items = (await apiJson("/v1/organisations?limit=100", { lang: state.lang })).items;
} catch (error) {
  $("#orgs-error").textContent = await problemMessage(error, state.lang);
}
render();
$("#org-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  if (!checkFields(form, [["o-name", "required"], ["o-place", "required"]], state.t)) return;
  const body = { name: $("#o-name").value.trim(), kind: $("#o-kind").value,
    location: locationOf($("#o-place").value), description: $("#o-description").value.trim() };
  if ($("#o-website").value.trim()) body.website = $("#o-website").value.trim();
  try {
    const org = await apiJson("/v1/organisations", { method: "POST", body, lang: state.lang });
    window.location.assign(`/organisations/${org.id}`);
  } catch (error) {
    await showErrors(error, { form, summary: $("#org-form-error"), lang: state.lang,
      fieldMap: { name: "o-name", kind: "o-kind", "location.place": "o-place",
        "location.postcode": "o-place", website: "o-website", description: "o-description" } });
  }
});
document.body.setAttribute("data-ready", "true");

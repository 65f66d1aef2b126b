// Local networks with their members; their managers add members, companies and
// entrepreneurs start new ones.
import { apiJson, el, problemMessage, showErrors } from "./api.js";
import { checkFields } from "./forms.js";
import { boot, onLanguage, state } from "./layout.js";
import { words } from "./partners-ui.js";

const TEXT = {
  nl: { networksIntro: "Netwerken van bedrijven en organisaties rond een gedeeld doel, zoals een coöperatie van werkgevers rond een sociaal werkbedrijf.",
    newNetwork: "Een netwerk starten", newNetworkSignIn: "Meld u aan om een netwerk te starten.",
    nName: "Naam", nPlace: "Plaats of postcode", nGoal: "Doel", nCreate: "Netwerk starten",
    members: "Leden", addMember: "Lid toevoegen", add: "Toevoegen", remove: "Verwijderen",
    noNetworks: "Nog geen netwerken.", member: "Bedrijf of organisatie", role: "Rol", onMap: "Op de kaart" },
  en: { networksIntro: "Networks of companies and organisations around a shared goal, such as a cooperative of employers around a sheltered-work company.",
    newNetwork: "Start a network", newNetworkSignIn: "Sign in to start a network.",
    nName: "Name", nPlace: "Place or postcode", nGoal: "Goal", nCreate: "Start network",
    members: "Members", addMember: "Add a member", add: "Add", remove: "Remove",
    noNetworks: "No networks yet.", member: "Company or organisation", role: "Role", onMap: "On the map" },
  fr: { networksIntro: "Des réseaux d’entreprises et d’organisations autour d’un but commun, comme une coopérative d’employeurs autour d’une entreprise de travail adapté.",
    newNetwork: "Lancer un réseau", newNetworkSignIn: "Connectez-vous pour lancer un réseau.",
    nName: "Nom", nPlace: "Lieu ou code postal", nGoal: "But", nCreate: "Lancer le réseau",
    members: "Membres", addMember: "Ajouter un membre", add: "Ajouter", remove: "Retirer",
    noNetworks: "Pas encore de réseaux.", member: "Entreprise ou organisation", role: "Rôle", onMap: "Sur la carte" },
};
const $ = (s) => document.querySelector(s);
let networks = [];
let parties = [];

function memberForm(n, t, w) {
  const form = el("form", { class: "add", "data-add-member": n.id, novalidate: "" },
    el("div", { class: "grid" },
      el("div", { class: "field" }, el("label", { for: `m-${n.id}`, text: t.member }),
        el("select", { id: `m-${n.id}` }, ...parties.map((p) => el("option", { value: `${p.type}:${p.id}`, text: p.name })))),
      el("div", { class: "field" }, el("label", { for: `r-${n.id}`, text: t.role }),
        el("select", { id: `r-${n.id}` }, ...["member", "coordinator", "supporter"].map((r) => el("option", { value: r, text: w.roles[r] }))))),
    el("p", { class: "loket-error", role: "alert", id: `e-${n.id}` }),
    el("button", { type: "submit", class: "utrecht-button utrecht-button--secondary-action", text: t.add }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [type, id] = $(`#m-${n.id}`).value.split(":");
    const body = { role: $(`#r-${n.id}`).value, [type === "company" ? "company_id" : "organisation_id"]: id };
    try {
      await apiJson(`/v1/networks/${n.id}/members`, { method: "POST", body, lang: state.lang });
      await load();
    } catch (error) {
      $(`#e-${n.id}`).textContent = await problemMessage(error, state.lang);
    }
  });
  return el("details", {}, el("summary", { text: t.addMember }), form);
}

function render() {
  const { t, lang } = state;
  const w = words(lang);
  $("#network-list").replaceChildren(...(networks.length ? networks.map((n) => el("li", { id: `network-${n.id}`, "data-network": n.id },
    el("h2", { class: "utrecht-heading-3", text: n.name }),
    el("p", { class: "meta" }, `${n.place} · `, el("a", { href: `/nearby?place=${encodeURIComponent(n.place)}`, text: t.onMap })),
    n.goal ? el("p", { text: n.goal }) : "",
    el("h3", { class: "utrecht-heading-4", text: t.members }),
    el("ul", {}, ...n.members.map((m) => el("li", { "data-member": m.id },
      el("a", { href: m.member_type === "company" ? `/companies/${m.member.id}` : `/organisations/${m.member.id}`, text: m.member.name }),
      ` (${w.roles[m.role]})`,
      n.can_edit ? el("button", { type: "button", class: "loket-link-button", "data-remove": m.id, "data-network": n.id,
        text: ` ${t.remove}`, "aria-label": `${t.remove}: ${m.member.name}` }) : ""))),
    n.can_edit ? memberForm(n, t, w) : "")) : [el("li", { text: t.noNetworks })]));
}

async function load() {
  networks = (await apiJson("/v1/networks?limit=100", { lang: state.lang })).items;
  if (networks.some((n) => n.can_edit) && !parties.length) {
    const [companies, orgs] = await Promise.all([
      apiJson("/v1/companies?limit=100", { lang: state.lang }),
      apiJson("/v1/organisations?limit=100", { lang: state.lang })]);
    parties = [...companies.items.map((c) => ({ type: "company", id: c.id, name: c.name })),
      ...orgs.items.map((o) => ({ type: "organisation", id: o.id, name: o.name }))]
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  render();
}

await boot(TEXT);
onLanguage(render);
const mayCreate = state.me && ["company", "entrepreneur", "admin"].includes(state.me.role);
$("#network-form").hidden = !mayCreate;
$("#new-network-signin").hidden = Boolean(mayCreate);
try {
  await load();
} catch (error) {
  $("#networks-error").textContent = await problemMessage(error, state.lang);
}
$("#network-list").addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-remove]");
  if (!button) return;
  try {
    await apiJson(`/v1/networks/${button.dataset.network}/members/${button.dataset.remove}`, { method: "DELETE", lang: state.lang });
    await load();
  } catch (error) {
    $("#networks-error").textContent = await problemMessage(error, state.lang);
  }
});
$("#network-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  if (!checkFields(form, [["n-name", "required"], ["n-place", "required"]], state.t)) return;
  const place = $("#n-place").value.trim();
  const body = { name: $("#n-name").value.trim(), goal: $("#n-goal").value.trim(),
    location: /^[0-9]/.test(place) ? { postcode: place } : { place } };
  try {
    const n = await apiJson("/v1/networks", { method: "POST", body, lang: state.lang });
    form.reset();
    await load();
    document.getElementById(`network-${n.id}`)?.scrollIntoView();
  } catch (error) {
    await showErrors(error, { form, summary: $("#network-form-error"), lang: state.lang,
      fieldMap: { name: "n-name", "location.place": "n-place", "location.postcode": "n-place", goal: "n-goal" } });
  }
});
document.body.setAttribute("data-ready", "true");

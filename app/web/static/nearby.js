// Near a place: the companies (numbered on the map), their confirmed partners and their
// networks, and the organisations and networks there, on the map and as a list.
import { apiJson, el, problemMessage, showErrors } from "./api.js";
import { checkFields } from "./forms.js";
import { boot, onLanguage, state } from "./layout.js";
import { loadKinds, networksList, partnersList, pointMap, words } from "./partners-ui.js";

const TEXT = {
  nl: { nearbyIntro: "Sociale werkbedrijven rond een plaats, met hun partners en lokale netwerken.",
    nearbySearch: "Zoek een plaats", nbPlace: "Plaats of postcode", nbRadius: "Straal in km", nbShow: "Tonen",
    nbResults: "Op de kaart", nbMap: "Kaart", nbCompanies: "Bedrijven en hun partners", nbNetworks: "Netwerken",
    nbOrgs: "Organisaties", none: "Niets gevonden.", here: "Gezochte plaats",
    summary: (c, o, n, place) => `Rond ${place}: bedrijven ${c}, organisaties ${o}, netwerken ${n}.`,
    members: (n) => `${n} leden` },
  en: { nearbyIntro: "Sheltered-work companies around a place, with their partners and local networks.",
    nearbySearch: "Find a place", nbPlace: "Place or postcode", nbRadius: "Radius in km", nbShow: "Show",
    nbResults: "On the map", nbMap: "Map", nbCompanies: "Companies and their partners", nbNetworks: "Networks",
    nbOrgs: "Organisations", none: "Nothing found.", here: "Place searched",
    summary: (c, o, n, place) => `Around ${place}: companies ${c}, organisations ${o}, networks ${n}.`,
    members: (n) => `${n} members` },
  fr: { nearbyIntro: "Les entreprises de travail adapté autour d’un lieu, avec leurs partenaires et leurs réseaux locaux.",
    nearbySearch: "Chercher un lieu", nbPlace: "Lieu ou code postal", nbRadius: "Rayon en km", nbShow: "Afficher",
    nbResults: "Sur la carte", nbMap: "Carte", nbCompanies: "Entreprises et leurs partenaires", nbNetworks: "Réseaux",
    nbOrgs: "Organisations", none: "Rien trouvé.", here: "Lieu cherché",
    summary: (c, o, n, place) => `Autour de ${place} : entreprises ${c}, organisations ${o}, réseaux ${n}.`,
    members: (n) => `${n} membres` },
};
const $ = (s) => document.querySelector(s);
let answer = null;
let draw = null;

function render() {
  if (!answer) return;
  const { t, lang } = state;
  const w = words(lang);
  $("#nearby-results").hidden = false;
  const where = answer.location.label;
  $("#nb-summary").textContent = t.summary(answer.companies.length, answer.organisations.length, answer.networks.length, where);
  $("#nb-companies").replaceChildren(...(answer.companies.length ? answer.companies.map((c, i) => el("li", { class: "result", "data-company": c.id },
    el("h4", { class: "utrecht-heading-4" }, el("span", { class: "loket-number", "aria-hidden": "true", text: String(i + 1) }), " ",
      el("a", { href: `/companies/${c.id}`, text: c.name })),
    el("p", { class: "meta", text: `${c.place || ""} · ${c.distance_km} ${w.km}` }),
    partnersList(c.partners, c.name, "company", lang),
    c.networks.length ? networksList(c.networks, lang) : "")) : [el("li", { text: t.none })]));
  $("#nb-networks").replaceChildren(...(answer.networks.length ? answer.networks.map((n) => el("li", { "data-network": n.id },
    el("a", { href: `/networks#network-${n.id}`, text: n.name }),
    el("p", { class: "meta", text: `${n.place} · ${t.members(n.members)} · ${n.distance_km} ${w.km}` }),
    n.goal ? el("p", { text: n.goal }) : "")) : [el("li", { text: t.none })]));
  $("#nb-orgs").replaceChildren(...(answer.organisations.length ? answer.organisations.map((o) => el("li", { "data-organisation": o.id },
    el("a", { href: `/organisations/${o.id}`, text: o.name }),
    el("p", { class: "meta", text: `${w.orgKinds[o.kind]} · ${o.place} · ${o.distance_km} ${w.km}` }))) : [el("li", { text: t.none })]));
  if (!draw) draw = pointMap($("#nb-map"), lang);
  const points = [{ lat: answer.location.lat, lon: answer.location.lon, text: "●", kind: "here", label: `${t.here}: ${where}` }];
  answer.companies.forEach((c, i) => points.push({ lat: c.lat, lon: c.lon, text: String(i + 1), kind: "company", label: `${i + 1}. ${c.name}` }));
  answer.organisations.forEach((o) => points.push({ lat: o.lat, lon: o.lon, text: "◆", kind: "organisation", label: o.name }));
  answer.networks.forEach((n) => points.push({ lat: n.lat, lon: n.lon, text: "◎", kind: "network", label: n.name }));
  draw(points);
}

async function show(place, radius) {
  const form = $("#nearby-form");
  try {
    answer = await apiJson(`/v1/nearby?place=${encodeURIComponent(place)}&radius_km=${radius}`, { lang: state.lang });
    $("#nearby-error").textContent = "";
    render();
    document.body.setAttribute("data-results", "true");
  } catch (error) {
    await showErrors(error, { form, summary: $("#nearby-error"), lang: state.lang,
      fieldMap: { place: "nb-place", radius_km: "nb-radius" } });
  }
}

await boot(TEXT);
onLanguage(render);
await loadKinds(apiJson, state.lang).catch(() => null);
const params = new URLSearchParams(window.location.search);
$("#nearby-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!checkFields(event.currentTarget, [["nb-place", "required"]], state.t)) return;
  const place = $("#nb-place").value.trim();
  const radius = Number($("#nb-radius").value) || 30;
  history.replaceState(null, "", `/nearby?place=${encodeURIComponent(place)}&radius_km=${radius}`);
  await show(place, radius);
});
if (params.get("place")) {
  $("#nb-place").value = params.get("place");
  if (params.get("radius_km")) $("#nb-radius").value = params.get("radius_km");
  await show(params.get("place"), Number($("#nb-radius").value) || 30);
}
document.body.setAttribute("data-ready", "true");

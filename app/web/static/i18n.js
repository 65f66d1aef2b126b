// UI strings in Dutch and English. Explanations come from the API (Accept-Language).
export const STRINGS = {
  nl: {
    skip: "Naar de inhoud",
    title: "Loket",
    tagline: "Vind sociale werkbedrijven en maatwerkbedrijven om mee samen te werken.",
    companyLink: "Voor bedrijven",
    searchHeading: "Wat zoekt u?",
    kinds: "Soorten werk",
    kindFilter: "Filter soorten werk",
    wholeGroup: "hele groep",
    where: "Postcode of plaats",
    country: "Land",
    countryNL: "Nederland",
    countryBE: "België",
    distance: "Maximale afstand in km (optioneel)",
    workers: "Aantal medewerkers nodig",
    start: "Startdatum",
    certifications: "Vereiste certificeringen",
    search: "Zoeken",
    searching: "Bezig met zoeken…",
    results: "Resultaten",
    map: "Kaart met de gezochte plek en de bedrijven",
    mapNoTiles: "De kaartondergrond kon niet geladen worden; de punten en de lijst blijven zichtbaar.",
    askedLocation: "Gezochte plek",
    needKind: "Kies minstens één soort werk.",
    needWhere: "Vul een postcode of plaats in.",
    noResults: "Geen bedrijven gevonden die aan alle eisen voldoen.",
    summary: (shown, total) => `${shown} van ${total} passende bedrijven`,
    score: "Score",
    distanceKm: (km) => `${km} km`,
    noDistance: "afstand onbekend",
    reasons: "Waarom op deze plek",
    contact: "Contact",
    consortia: "Samen leveren: combinaties van bedrijven",
    together: (n) => `samen ${n} medewerkers`,
    error: "Er ging iets mis",
    networkError: "De dienst is niet bereikbaar.",
    requestHeading: "Maak er een aanvraag van",
    requestIntro: "Sla deze zoekopdracht op als aanvraag en nodig de passende bedrijven uit.",
    rqKey: "Uw sleutel (ondernemer)",
    rqTitle: "Titel",
    rqOrg: "Organisatie",
    rqName: "Contactpersoon",
    rqEmail: "E-mail",
    rqDeadline: "Reageren kan tot",
    rqDescription: "Omschrijving",
    rqSave: "Aanvraag opslaan",
    rqPublish: "Publiceren en bedrijven uitnodigen",
    rqNeed: "Vul uw sleutel en een titel in.",
    rqSaved: "Aanvraag opgeslagen (concept).",
    rqPublished: (n) => `Gepubliceerd: ${n} bedrijven uitgenodigd.`,
  },
  en: {
    skip: "Skip to content",
    title: "Loket",
    tagline: "Find sheltered-work companies to work with.",
    companyLink: "For companies",
    searchHeading: "What are you looking for?",
    kinds: "Kinds of work",
    kindFilter: "Filter kinds of work",
    wholeGroup: "whole group",
    where: "Postcode or place",
    country: "Country",
    countryNL: "Netherlands",
    countryBE: "Belgium",
    distance: "Maximum distance in km (optional)",
    workers: "Workers needed",
    start: "Start date",
    certifications: "Required certifications",
    search: "Search",
    searching: "Searching…",
    results: "Results",
    map: "Map of the asked location and the companies",
    mapNoTiles: "The map background could not be loaded; the points and the list remain.",
    askedLocation: "Asked location",
    needKind: "Choose at least one kind of work.",
    needWhere: "Enter a postcode or place.",
    noResults: "No companies meet all the requirements.",
    summary: (shown, total) => `${shown} of ${total} fitting companies`,
    score: "Score",
    distanceKm: (km) => `${km} km`,
    noDistance: "distance unknown",
    reasons: "Why it is here",
    contact: "Contact",
    consortia: "Delivering together: combinations of companies",
    together: (n) => `together ${n} workers`,
    error: "Something went wrong",
    networkError: "The service cannot be reached.",
    requestHeading: "Turn this into a request",
    requestIntro: "Save this search as a request and invite the fitting companies.",
    rqKey: "Your key (entrepreneur)",
    rqTitle: "Title",
    rqOrg: "Organisation",
    rqName: "Contact person",
    rqEmail: "Email",
    rqDeadline: "Responses until",
    rqDescription: "Description",
    rqSave: "Save request",
    rqPublish: "Publish and invite companies",
    rqNeed: "Enter your key and a title.",
    rqSaved: "Request saved (draft).",
    rqPublished: (n) => `Published: ${n} companies invited.`,
  },
};

export function initialLanguage() {
  const saved = window.localStorage.getItem("loket-lang");
  if (saved === "nl" || saved === "en") return saved;
  return "nl";
}

export function applyStrings(root, lang, extra = {}) {
  const strings = { ...STRINGS[lang], ...(extra[lang] || {}) };
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const value = strings[el.dataset.i18n];
    if (typeof value === "string") el.textContent = value;
  }
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    const value = strings[el.dataset.i18nLabel];
    if (typeof value === "string") el.setAttribute("aria-label", value);
  }
  for (const button of root.querySelectorAll("[data-set-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.setLang === lang));
  }
  window.localStorage.setItem("loket-lang", lang);
  return strings;
}

// Problem+json answers carry a readable `detail`; validation errors list their fields.
export async function problemText(response, fallback) {
  try {
    const body = await response.json();
    if (Array.isArray(body.errors) && body.errors.length) {
      return body.errors.map((e) => `${e.field}: ${e.message}`).join(" ");
    }
    return body.detail || body.title || fallback;
  } catch {
    return `${fallback} (${response.status})`;
  }
}

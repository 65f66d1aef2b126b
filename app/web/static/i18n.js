// UI strings in Dutch, English and French, and the locale's number and date formats.
// Explanations come from the API (Accept-Language); field errors are translated from their
// `code`. Every table ({nl, en, fr}) here and in the pages' scripts has the same keys in every
// language: tests/test_languages.py lists the ones missing.

// The languages the switch offers, in its order (app/words/languages.py on the server).
export const LANGUAGES = ["nl", "en", "fr"];

// Words every page uses: the layout (header, navigation, footer) and common answers.
export const COMMON = {
  nl: {
    skip: "Naar de inhoud",
    mainNav: "Hoofdmenu",
    navSearch: "Zoeken",
    navRequests: "Mijn aanvragen",
    navCompany: "Mijn bedrijf",
    navConsole: "Console",
    navInsights: "Vraag",
    navCases: "Praktijkvoorbeelden",
    titleCases: "Praktijkvoorbeelden",
    titleCase: "Praktijkvoorbeeld",
    titleCaseForm: "Case schrijven",
    footerRegister: "Uw bedrijf aanmelden",
    footerSignUp: "Account voor ondernemers",
    footerDocs: "API-documentatie",
    signIn: "Aanmelden",
    signOut: "Afmelden",
    signedInAs: (name) => `Aangemeld als ${name}`,
    titleSearch: "Zoeken",
    titleSignIn: "Aanmelden",
    titleSignUp: "Account maken",
    titleRegister: "Bedrijf aanmelden",
    titleRequests: "Mijn aanvragen",
    titleRequest: "Aanvraag",
    titleCompany: "Mijn bedrijf",
    titleInvitation: "Uitnodiging",
    titleConsole: "Console",
    navNearby: "In de buurt",
    navReverse: "Wie zoekt wat u biedt",
    footerOrganisations: "Organisaties",
    footerNetworks: "Lokale netwerken",
    titleOrganisations: "Organisaties",
    titleOrganisation: "Organisatie",
    titleCompanyProfile: "Bedrijf",
    titleNetworks: "Lokale netwerken",
    titleNearby: "In de buurt",
    titleReverse: "Wie zoekt wat u biedt",
    titleAlerts: "Mijn meldingen",
    titleUnsubscribe: "Meldingen stoppen",
    navAlerts: "Mijn meldingen",
    titleInsights: "Waar is de vraag?",
    error: "Er ging iets mis. Probeer het later opnieuw.",
    networkError: "De dienst is niet bereikbaar.",
    checkFields: "Controleer de gemarkeerde velden.",
    fieldInvalid: "Controleer dit veld.",
    needSignIn: "Meld u aan om deze pagina te zien.",
    notAllowed: "U heeft geen toegang tot deze pagina of handeling.",
    notFound: "Niet gevonden.",
    conflict: "Dit is intussen gewijzigd; laad de pagina opnieuw.",
    tooMany: "Te veel pogingen. Wacht even en probeer het opnieuw.",
    loading: "Bezig met laden…",
    colon: ": ",
    email: "E-mailadres", name: "Uw naam", organisation: "Organisatie", postcode: "Postcode",
    city: "Plaats", country: "Land", role: "Functie (optioneel)", website: "Website (optioneel)",
    save: "Opslaan", saved: "Opgeslagen.", required: "Vul dit veld in.",
    invalidEmail: "Vul een geldig e-mailadres in.",
    states: { draft: "concept", published: "gepubliceerd", closed: "gesloten",
      pending: "nog niet bekeken", viewed: "bekeken", interested: "geïnteresseerd",
      declined: "afgeslagen", expired: "verlopen", active: "actief", inactive: "inactief" },
  },
  en: {
    skip: "Skip to content",
    mainNav: "Main menu",
    navSearch: "Search",
    navRequests: "My requests",
    navCompany: "My company",
    navConsole: "Console",
    navInsights: "Demand",
    navCases: "Cases",
    titleCases: "Cases",
    titleCase: "Case",
    titleCaseForm: "Write a case",
    footerRegister: "Register your company",
    footerSignUp: "Account for entrepreneurs",
    footerDocs: "API documentation",
    signIn: "Sign in",
    signOut: "Sign out",
    signedInAs: (name) => `Signed in as ${name}`,
    titleSearch: "Search",
    titleSignIn: "Sign in",
    titleSignUp: "Create an account",
    titleRegister: "Register a company",
    titleRequests: "My requests",
    titleRequest: "Request",
    titleCompany: "My company",
    titleInvitation: "Invitation",
    titleConsole: "Console",
    navNearby: "Nearby",
    navReverse: "Who seeks what you offer",
    footerOrganisations: "Organisations",
    footerNetworks: "Local networks",
    titleOrganisations: "Organisations",
    titleOrganisation: "Organisation",
    titleCompanyProfile: "Company",
    titleNetworks: "Local networks",
    titleNearby: "Nearby",
    titleReverse: "Who seeks what you offer",
    titleAlerts: "My alerts",
    titleUnsubscribe: "Stop alerts",
    navAlerts: "My alerts",
    titleInsights: "Where is the demand?",
    error: "Something went wrong. Please try again later.",
    networkError: "The service cannot be reached.",
    checkFields: "Please check the marked fields.",
    fieldInvalid: "Please check this field.",
    needSignIn: "Sign in to see this page.",
    notAllowed: "You may not see this page or do this.",
    notFound: "Not found.",
    conflict: "This has changed meanwhile; please reload the page.",
    tooMany: "Too many attempts. Please wait a moment and try again.",
    loading: "Loading…",
    colon: ": ",
    email: "Email address", name: "Your name", organisation: "Organisation", postcode: "Postcode",
    city: "Place", country: "Country", role: "Role (optional)", website: "Website (optional)",
    save: "Save", saved: "Saved.", required: "Fill in this field.",
    invalidEmail: "Enter a valid email address.",
    states: { draft: "draft", published: "published", closed: "closed",
      pending: "not seen yet", viewed: "seen", interested: "interested",
      declined: "declined", expired: "expired", active: "active", inactive: "inactive" },
  },
  fr: {
    skip: "Aller au contenu",
    mainNav: "Menu principal",
    navSearch: "Rechercher",
    navRequests: "Mes demandes",
    navCompany: "Mon entreprise",
    navConsole: "Console",
    navInsights: "Demande",
    navCases: "Bonnes pratiques",
    titleCases: "Bonnes pratiques",
    titleCase: "Bonne pratique",
    titleCaseForm: "Écrire un cas",
    footerRegister: "Inscrire votre entreprise",
    footerSignUp: "Compte pour entrepreneurs",
    footerDocs: "Documentation de l’API",
    signIn: "Se connecter",
    signOut: "Se déconnecter",
    signedInAs: (name) => `Connecté·e en tant que ${name}`,
    titleSearch: "Rechercher",
    titleSignIn: "Se connecter",
    titleSignUp: "Créer un compte",
    titleRegister: "Inscrire une entreprise",
    titleRequests: "Mes demandes",
    titleRequest: "Demande",
    titleInsights: "Où est la demande ?",
    titleCompany: "Mon entreprise",
    titleInvitation: "Invitation",
    titleConsole: "Console",
    navNearby: "À proximité",
    navReverse: "Qui cherche ce que vous offrez",
    footerOrganisations: "Organisations",
    footerNetworks: "Réseaux locaux",
    titleOrganisations: "Organisations",
    titleOrganisation: "Organisation",
    titleCompanyProfile: "Entreprise",
    titleNetworks: "Réseaux locaux",
    titleNearby: "À proximité",
    titleReverse: "Qui cherche ce que vous offrez",
    titleAlerts: "Mes alertes",
    titleUnsubscribe: "Arrêter les alertes",
    navAlerts: "Mes alertes",
    error: "Une erreur s’est produite. Veuillez réessayer plus tard.",
    networkError: "Le service est injoignable.",
    checkFields: "Veuillez vérifier les champs signalés.",
    fieldInvalid: "Veuillez vérifier ce champ.",
    needSignIn: "Connectez-vous pour voir cette page.",
    notAllowed: "Vous n’avez pas accès à cette page ou à cette action.",
    notFound: "Introuvable.",
    conflict: "Ceci a été modifié entre-temps ; veuillez recharger la page.",
    tooMany: "Trop de tentatives. Patientez un instant et réessayez.",
    loading: "Chargement…",
    colon: "\u00a0: ", // French puts a (no-break) space before a colon
    email: "Adresse e-mail", name: "Votre nom", organisation: "Organisation", postcode: "Code postal",
    city: "Localité", country: "Pays", role: "Fonction (facultatif)", website: "Site web (facultatif)",
    save: "Enregistrer", saved: "Enregistré.", required: "Veuillez remplir ce champ.",
    invalidEmail: "Saisissez une adresse e-mail valable.",
    states: { draft: "brouillon", published: "publiée", closed: "clôturée",
      pending: "pas encore vue", viewed: "vue", interested: "intéressée",
      declined: "déclinée", expired: "expirée", active: "active", inactive: "inactive" },
  },
};

// The search page's words (app.js).
export const STRINGS = {
  nl: {
    tagline: "Vind sociale werkbedrijven en maatwerkbedrijven om mee samen te werken.",
    searchHeading: "Wat zoekt u?",
    kinds: "Soorten werk",
    kindFilter: "Filter soorten werk",
    wholeGroup: "hele groep",
    where: "Postcode of plaats",
    whereHint: "Bijvoorbeeld 5038 AB, Tilburg of Gent. Het land leiden we af.",
    countryOptional: "Land (optioneel)",
    countryAuto: "Afleiden uit postcode of plaats",
    countryNL: "Nederland",
    countryBE: "België",
    distance: "Maximale afstand in km (optioneel)",
    workers: "Aantal medewerkers nodig",
    start: "Startdatum",
    certifications: "Vereiste certificeringen",
    search: "Zoeken",
    searching: "Bezig met zoeken…",
    results: "Resultaten",
    map: "Kaart met de gezochte plek en de genummerde bedrijven",
    mapNoTiles: "De kaartondergrond is niet beschikbaar; de genummerde punten en de lijst blijven zichtbaar.",
    askedLocation: "Gezochte plek",
    needKind: "Kies minstens één soort werk.",
    needWhere: "Vul een postcode of plaats in.",
    didYouMean: "Bedoelt u:",
    or: "of",
    corrected: (asked, found) => `Gezocht bij ${found} (u typte “${asked}”).`,
    noResults: "Geen bedrijven gevonden die aan alle eisen voldoen.",
    summary: (shown, total) => `${shown} van ${total} passende bedrijven`,
    score: "Score",
    points: "punten",
    pointsOf: (p, max) => `${p} van ${max} punten`,
    criteria: { work_kinds: "Soort werk", distance: "Afstand", capacity: "Capaciteit",
      availability: "Beschikbaarheid", certifications: "Certificeringen" },
    shortfall: "Schiet tekort",
    capacityShort: (have, need) => `${have} van de ${need} gevraagde mensen`,
    distanceKm: (km) => `${km} km`,
    noDistance: "afstand onbekend",
    reasons: "Punten per criterium",
    contact: "Contact",
    consortia: "Samen leveren: combinaties van bedrijven",
    together: (n) => `samen ${n} medewerkers`,
    requestHeading: "Maak er een aanvraag van",
    requestIntro: "Sla deze zoekopdracht op als aanvraag en nodig daarna de passende bedrijven uit.",
    requestSignIn: "Meld u aan of maak een account om deze zoekopdracht als aanvraag op te slaan.",
    requestSignInLink: "Aanmelden",
    requestSignUpLink: "Account maken",
    requestCompany: "Aanvragen doen kan met een account voor ondernemers.",
    rqTitle: "Titel",
    rqDeadline: "Reageren kan tot (optioneel)",
    rqDescription: "Omschrijving (optioneel)",
    rqSave: "Aanvraag opslaan",
    rqPublish: "Publiceren en bedrijven uitnodigen",
    rqNeedTitle: "Geef de aanvraag een titel.",
    rqDeadlinePast: "Kies een datum na vandaag.",
    rqDeadlineAfterStart: "Kies een datum vóór de startdatum.",
    rqSaved: "Aanvraag opgeslagen als concept.",
    rqSavedLink: "Bekijk de aanvraag",
    rqPublished: (n) => `Gepubliceerd: ${n} bedrijven uitgenodigd.`,
    alertHeading: "Bewaar deze zoekopdracht",
    alertIntro: "Krijg een e-mail zodra er nieuwe bedrijven bij deze zoekopdracht passen.",
    alertSignIn: "Meld u aan om deze zoekopdracht te bewaren.",
    alertName: "Naam",
    alertFrequency: "Hoe vaak",
    alertInstant: "Direct",
    alertDaily: "Dagelijks (8.00 uur)",
    alertWeekly: "Wekelijks (maandag 8.00 uur)",
    alertSave: "Zoekopdracht bewaren",
    alertSaved: "Bewaard. U krijgt een e-mail als er nieuwe bedrijven bij passen.",
    alertManage: "Mijn meldingen",
    alertNeedName: "Geef de zoekopdracht een naam.",
  },
  en: {
    tagline: "Find sheltered-work companies to work with.",
    searchHeading: "What are you looking for?",
    kinds: "Kinds of work",
    kindFilter: "Filter kinds of work",
    wholeGroup: "whole group",
    where: "Postcode or place",
    whereHint: "For example 5038 AB, Tilburg or Gent. We infer the country.",
    countryOptional: "Country (optional)",
    countryAuto: "Infer from postcode or place",
    countryNL: "Netherlands",
    countryBE: "Belgium",
    distance: "Maximum distance in km (optional)",
    workers: "Workers needed",
    start: "Start date",
    certifications: "Required certifications",
    search: "Search",
    searching: "Searching…",
    results: "Results",
    map: "Map of the asked location and the numbered companies",
    mapNoTiles: "The map background is not available; the numbered points and the list remain.",
    askedLocation: "Asked location",
    needKind: "Choose at least one kind of work.",
    needWhere: "Enter a postcode or place.",
    didYouMean: "Did you mean:",
    or: "or",
    corrected: (asked, found) => `Searched near ${found} (you typed “${asked}”).`,
    noResults: "No companies meet all the requirements.",
    summary: (shown, total) => `${shown} of ${total} fitting companies`,
    score: "Score",
    points: "points",
    pointsOf: (p, max) => `${p} of ${max} points`,
    criteria: { work_kinds: "Kind of work", distance: "Distance", capacity: "Capacity",
      availability: "Availability", certifications: "Certifications" },
    shortfall: "Falls short",
    capacityShort: (have, need) => `${have} of the ${need} people asked`,
    distanceKm: (km) => `${km} km`,
    noDistance: "distance unknown",
    reasons: "Points per criterion",
    contact: "Contact",
    consortia: "Delivering together: combinations of companies",
    together: (n) => `together ${n} workers`,
    requestHeading: "Turn this into a request",
    requestIntro: "Save this search as a request, then invite the fitting companies.",
    requestSignIn: "Sign in or create an account to save this search as a request.",
    requestSignInLink: "Sign in",
    requestSignUpLink: "Create an account",
    requestCompany: "Requests are made with an entrepreneur's account.",
    rqTitle: "Title",
    rqDeadline: "Responses until (optional)",
    rqDescription: "Description (optional)",
    rqSave: "Save request",
    rqPublish: "Publish and invite companies",
    rqNeedTitle: "Give the request a title.",
    rqDeadlinePast: "Choose a date after today.",
    rqDeadlineAfterStart: "Choose a date before the start date.",
    rqSaved: "Request saved as a draft.",
    rqSavedLink: "See the request",
    alertHeading: "Save this search",
    alertIntro: "Get an email as soon as new companies fit this search.",
    alertSignIn: "Sign in to save this search.",
    alertName: "Name",
    alertFrequency: "How often",
    alertInstant: "Instantly",
    alertDaily: "Daily (8:00)",
    alertWeekly: "Weekly (Monday 8:00)",
    alertSave: "Save the search",
    alertSaved: "Saved. You will get an email when new companies fit.",
    alertManage: "My alerts",
    alertNeedName: "Give the search a name.",
    rqPublished: (n) => `Published: ${n} companies invited.`,
  },
  fr: {
    tagline: "Trouvez des entreprises de travail adapté et des ateliers protégés avec qui collaborer.",
    searchHeading: "Que cherchez-vous ?",
    kinds: "Types de travail",
    kindFilter: "Filtrer les types de travail",
    wholeGroup: "tout le groupe",
    where: "Code postal ou localité",
    whereHint: "Par exemple 5038 AB, Liège ou Gent. Nous en déduisons le pays.",
    countryOptional: "Pays (facultatif)",
    countryAuto: "Déduire du code postal ou de la localité",
    countryNL: "Pays-Bas",
    countryBE: "Belgique",
    distance: "Distance maximale en km (facultatif)",
    workers: "Nombre de travailleurs nécessaires",
    start: "Date de début",
    certifications: "Certifications exigées",
    search: "Rechercher",
    searching: "Recherche en cours…",
    results: "Résultats",
    map: "Carte du lieu recherché et des entreprises numérotées",
    mapNoTiles: "Le fond de carte n’est pas disponible ; les points numérotés et la liste restent visibles.",
    askedLocation: "Lieu recherché",
    needKind: "Choisissez au moins un type de travail.",
    needWhere: "Saisissez un code postal ou une localité.",
    didYouMean: "Vouliez-vous dire :",
    or: "ou",
    corrected: (asked, found) => `Recherche près de ${found} (vous avez tapé « ${asked} »).`,
    noResults: "Aucune entreprise ne répond à toutes les exigences.",
    summary: (shown, total) => `${shown} sur ${total} entreprises qui conviennent`,
    score: "Score",
    points: "points",
    pointsOf: (p, max) => `${p} sur ${max} points`,
    criteria: { work_kinds: "Type de travail", distance: "Distance", capacity: "Capacité",
      availability: "Disponibilité", certifications: "Certifications" },
    shortfall: "Insuffisant",
    capacityShort: (have, need) => `${have} des ${need} personnes demandées`,
    distanceKm: (km) => `${km} km`,
    noDistance: "distance inconnue",
    reasons: "Points par critère",
    contact: "Contact",
    consortia: "Livrer ensemble : combinaisons d’entreprises",
    together: (n) => `ensemble ${n} travailleurs`,
    requestHeading: "Faites-en une demande",
    requestIntro: "Enregistrez cette recherche comme demande, puis invitez les entreprises qui conviennent.",
    requestSignIn: "Connectez-vous ou créez un compte pour enregistrer cette recherche comme demande.",
    requestSignInLink: "Se connecter",
    requestSignUpLink: "Créer un compte",
    requestCompany: "Les demandes se font avec un compte d’entrepreneur.",
    rqTitle: "Titre",
    rqDeadline: "Réponses possibles jusqu’au (facultatif)",
    rqDescription: "Description (facultatif)",
    rqSave: "Enregistrer la demande",
    rqPublish: "Publier et inviter les entreprises",
    rqNeedTitle: "Donnez un titre à la demande.",
    rqDeadlinePast: "Choisissez une date après aujourd’hui.",
    rqDeadlineAfterStart: "Choisissez une date avant la date de début.",
    rqSaved: "Demande enregistrée comme brouillon.",
    rqSavedLink: "Voir la demande",
    rqPublished: (n) => `Publiée : ${n} entreprise${n === "1" ? "" : "s"} invitée${n === "1" ? "" : "s"}.`,
    alertHeading: "Enregistrer cette recherche",
    alertIntro: "Recevez un e-mail dès que de nouvelles entreprises correspondent à cette recherche.",
    alertSignIn: "Connectez-vous pour enregistrer cette recherche.",
    alertName: "Nom",
    alertFrequency: "Fréquence",
    alertInstant: "Immédiatement",
    alertDaily: "Chaque jour (8 h)",
    alertWeekly: "Chaque semaine (lundi 8 h)",
    alertSave: "Enregistrer la recherche",
    alertSaved: "Enregistrée. Vous recevrez un e-mail quand de nouvelles entreprises correspondent.",
    alertManage: "Mes alertes",
    alertNeedName: "Donnez un nom à la recherche.",
  },
};

export function initialLanguage() {
  const saved = window.localStorage.getItem("loket-lang");
  if (LANGUAGES.includes(saved)) return saved;
  // No choice made yet: a browser set to French (fr-BE, fr...) or Dutch first gets that;
  // every other browser gets Dutch, Loket's own language, with the switch at the top.
  for (const tag of navigator.languages || [navigator.language || ""]) {
    const primary = String(tag).toLowerCase().split("-")[0];
    if (primary === "fr" || primary === "nl") return primary;
  }
  return "nl";
}

// Fill every [data-i18n] and [data-i18n-label] under root; returns the merged strings.
export function applyStrings(root, lang, extra = {}) {
  const strings = { ...COMMON[lang], ...STRINGS[lang], ...(extra[lang] || {}) };
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll("[data-i18n]")) {
    if (el.dataset.i18nSaid !== undefined && !el.textContent) continue; // said, then cleared
    const value = strings[el.dataset.i18n];
    if (typeof value === "string") el.textContent = value;
    else if (typeof value === "function" && el.dataset.i18nArgs) {
      el.textContent = value(...JSON.parse(el.dataset.i18nArgs));
    }
  }
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    const value = strings[el.dataset.i18nLabel];
    if (typeof value === "string") el.setAttribute("aria-label", value);
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    const value = strings[el.dataset.i18nPlaceholder];
    if (typeof value === "string") el.setAttribute("placeholder", value);
  }
  for (const button of root.querySelectorAll("[data-set-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.setLang === lang));
  }
  const title = strings[document.body.dataset.title];
  if (typeof title === "string") document.title = `${title} — Loket`;
  window.localStorage.setItem("loket-lang", lang);
  return strings;
}

export const locale = (lang) => ({ en: "en-GB", fr: "fr-BE" }[lang] || "nl-NL");

export function fmtNumber(value, lang, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "";
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits })
    .format(Number(value));
}

// A date ("2027-01-15") or a timestamp, in the locale's long form ("15 januari 2027").
export function fmtDate(value, lang, withTime = false) {
  if (!value) return "";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  const options = { day: "numeric", month: "long", year: "numeric" };
  if (withTime) Object.assign(options, { hour: "2-digit", minute: "2-digit" });
  return new Intl.DateTimeFormat(locale(lang), options).format(date);
}

export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// A message that follows the language switch: `key` names a string (or a function of `args`)
// of the page's words; applyStrings writes it again in the other language.
export function say(node, strings, key, ...args) {
  node.dataset.i18n = key;
  node.dataset.i18nSaid = "";
  if (args.length) node.dataset.i18nArgs = JSON.stringify(args);
  else delete node.dataset.i18nArgs;
  const value = strings[key];
  node.textContent = typeof value === "function" ? value(...args) : value;
}

// Procurement (docs/procurement.md): PSO levels, reserved contracts and social return, on the
// search page and the company page.
export const PROCUREMENT = {
  nl: {
    procurement: "Aanbestedingen",
    procurementHelp: "Opdrachtgevers met social return of een voorbehouden opdracht zoeken hierop.",
    psoLevel: "PSO-trede", psoDate: "Datum certificaat", noPso: "Geen PSO-certificaat",
    targetShare: "Aandeel doelgroepmedewerkers (%)", targetShareDate: "Opgegeven op",
    needPsoDate: "Geef de datum op het certificaat.", needShareDate: "Geef de datum waarop dit aandeel gold.",
    needShare: "Vul het aandeel in.", shareRange: "Vul een getal in van 0 tot en met 100.",
    eligible: "Mag meedoen aan voorbehouden opdrachten (30% of meer doelgroepmedewerkers).",
    notEligible: "Mag niet meedoen aan voorbehouden opdrachten: daarvoor is 30% of meer doelgroepmedewerkers nodig.",
    tenderLegend: "Aanbesteding (optioneel)",
    reservedLabel: "Voorbehouden opdracht (res-ws): alleen bedrijven met 30% of meer doelgroepmedewerkers",
    minPso: "Minimale PSO-trede", anyPso: "Geen eis",
    contractValue: "Opdrachtwaarde in euro (excl. btw)", srPercentage: "Social return in %",
    srHint: "Met een opdrachtwaarde ziet u per bedrijf hoeveel van de social return het kan dekken.",
    needContractValue: "Vul een opdrachtwaarde in boven 0.", percentageRange: "Vul een percentage in van meer dan 0 tot en met 100.",
    procurementCriteria: { reserved_contract: "Voorbehouden opdracht", pso_level: "PSO-trede" },
    atStake: "Social return op het spel", couldCover: "Social return (schatting)",
    eligibleBadge: "Voorbehouden opdrachten: ja",
  },
  en: {
    procurement: "Procurement",
    procurementHelp: "Clients with social return or a reserved contract search by these.",
    psoLevel: "PSO level", psoDate: "Certificate date", noPso: "No PSO certificate",
    targetShare: "Share of target-group workers (%)", targetShareDate: "Stated on",
    needPsoDate: "Give the date on the certificate.", needShareDate: "Give the date this share was stated.",
    needShare: "Enter the share.", shareRange: "Enter a number from 0 to 100.",
    eligible: "May take part in reserved contracts (30% or more target-group workers).",
    notEligible: "May not take part in reserved contracts: that needs 30% or more target-group workers.",
    tenderLegend: "Public contract (optional)",
    reservedLabel: "Reserved contract (res-ws): only companies with 30% or more target-group workers",
    minPso: "Minimum PSO level", anyPso: "No requirement",
    contractValue: "Contract value in euros (excl. VAT)", srPercentage: "Social return in %",
    srHint: "With a contract value you see, per company, how much of the social return it could cover.",
    needContractValue: "Enter a contract value above 0.", percentageRange: "Enter a percentage above 0, up to 100.",
    procurementCriteria: { reserved_contract: "Reserved contract", pso_level: "PSO level" },
    atStake: "Social return at stake", couldCover: "Social return (estimate)",
    eligibleBadge: "Reserved contracts: yes",
  },
  fr: {
    procurement: "Marchés publics",
    procurementHelp: "Les acheteurs avec une clause sociale ou un marché réservé recherchent sur ces critères.",
    psoLevel: "Échelon PSO", psoDate: "Date du certificat", noPso: "Pas de certificat PSO",
    targetShare: "Part de travailleurs du public cible (%)", targetShareDate: "Déclarée le",
    needPsoDate: "Indiquez la date du certificat.", needShareDate: "Indiquez la date à laquelle cette part a été déclarée.",
    needShare: "Indiquez la part.", shareRange: "Indiquez un nombre de 0 à 100.",
    eligible: "Peut participer aux marchés réservés (30 % ou plus de travailleurs du public cible).",
    notEligible: "Ne peut pas participer aux marchés réservés : il faut 30 % ou plus de travailleurs du public cible.",
    tenderLegend: "Marché public (facultatif)",
    reservedLabel: "Marché réservé (res-ws) : uniquement les entreprises avec 30 % ou plus de travailleurs du public cible",
    minPso: "Échelon PSO minimal", anyPso: "Aucune exigence",
    contractValue: "Valeur du marché en euros (hors TVA)", srPercentage: "Clause sociale en %",
    srHint: "Avec une valeur de marché, vous voyez pour chaque entreprise quelle part de la clause sociale elle pourrait couvrir.",
    needContractValue: "Indiquez une valeur de marché supérieure à 0.", percentageRange: "Indiquez un pourcentage supérieur à 0 et jusqu’à 100.",
    procurementCriteria: { reserved_contract: "Marché réservé", pso_level: "Échelon PSO" },
    atStake: "Clause sociale en jeu", couldCover: "Clause sociale (estimation)",
    eligibleBadge: "Marchés réservés : oui",
  },
};

const PSO_LABELS = {
  aspirant: { nl: "PSO-aspirant", en: "PSO aspirant", fr: "PSO aspirant" },
  basistrede: { nl: "PSO basistrede", en: "PSO base step", fr: "PSO échelon de base" },
  "trede-1": { nl: "PSO trede 1", en: "PSO step 1", fr: "PSO échelon 1" },
  "trede-2": { nl: "PSO trede 2", en: "PSO step 2", fr: "PSO échelon 2" },
  "trede-3": { nl: "PSO trede 3", en: "PSO step 3", fr: "PSO échelon 3" },
  "30-plus": { nl: "PSO 30+", en: "PSO 30+", fr: "PSO 30+" },
};

// A PSO level's name in the language (its code when unknown).
export function psoLabel(code, lang) {
  const labels = PSO_LABELS[code];
  return labels ? labels[lang] || labels.en : code;
}

// A page's own words with another block of words added, per language.
export function withStrings(text, more) {
  const out = {};
  for (const lang of new Set([...Object.keys(text), ...Object.keys(more)])) {
    out[lang] = { ...(more[lang] || {}), ...(text[lang] || {}) };
  }
  return out;
}

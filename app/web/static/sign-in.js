// Sign in: ask for a mailed link; with ?token= a button that uses it (a POST: mail scanners
// that follow links do not use the link up).
import { apiJson, getMe, problemMessage, setCsrfToken, showErrors } from "./api.js";
import { checkFields, homeFor, safeNext } from "./forms.js";
import { say } from "./i18n.js";
import { boot, state } from "./layout.js";

const TEXT = {
  nl: { tokenHeading: "Aanmelden met uw link", tokenIntro: "Klik op de knop om u aan te melden. De link werkt één keer.",
    linkHeading: "Ontvang een aanmeldlink per e-mail",
    linkIntro: "U hoeft geen wachtwoord te onthouden: wij mailen u een link die 15 minuten geldig is.",
    sendLink: "Stuur mij een link", noAccount: "Nog geen account?", makeAccount: "Account maken",
    registerCompany: "Bedrijf aanmelden",
    linkSent: "Als dit adres bij ons bekend is, staat er nu een e-mail met een aanmeldlink voor u klaar. De link is 15 minuten geldig.",
    expired: "Deze aanmeldlink is verlopen of al gebruikt. Vraag hieronder een nieuwe aan." },
  en: { tokenHeading: "Sign in with your link", tokenIntro: "Press the button to sign in. The link works once.",
    linkHeading: "Get a sign-in link by email",
    linkIntro: "No password to remember: we mail you a link that works for 15 minutes.",
    sendLink: "Send me a link", noAccount: "No account yet?", makeAccount: "Create an account",
    registerCompany: "Register a company",
    linkSent: "If we know this address, an email with a sign-in link is on its way. The link works for 15 minutes.",
    expired: "This sign-in link has expired or was used already. Ask for a new one below." },
  fr: { tokenHeading: "Se connecter avec votre lien", tokenIntro: "Cliquez sur le bouton pour vous connecter. Le lien ne fonctionne qu’une fois.",
    linkHeading: "Recevoir un lien de connexion par e-mail",
    linkIntro: "Aucun mot de passe à retenir : nous vous envoyons un lien valable 15 minutes.",
    sendLink: "Envoyez-moi un lien", noAccount: "Pas encore de compte ?", makeAccount: "Créer un compte",
    registerCompany: "Inscrire une entreprise",
    linkSent: "Si nous connaissons cette adresse, un e-mail avec un lien de connexion vous attend. Le lien est valable 15 minutes.",
    expired: "Ce lien de connexion a expiré ou a déjà été utilisé. Demandez-en un nouveau ci-dessous." },
};

const $ = (s) => document.querySelector(s);
const params = new URLSearchParams(window.location.search);
const token = params.get("token");
const next = safeNext(params.get("next"));

async function useToken() {
  $("#use-token").disabled = true;
  try {
    const answer = await apiJson("/v1/auth/sessions", { method: "POST", body: { token }, lang: state.lang });
    setCsrfToken(answer.csrf_token);
    const me = answer.user || (await getMe(true));
    window.location.assign(safeNext(answer.next) || next || homeFor(me));
  } catch (error) {
    if (error.status === 410 || error.code === "link_expired") say($("#token-error"), state.t, "expired");
    else {
      delete $("#token-error").dataset.i18n;
      $("#token-error").textContent = await problemMessage(error, state.lang);
    }
    $("#link-form").hidden = false;
    $("#use-token").disabled = false;
  }
}

async function sendLink(event) {
  event.preventDefault();
  const form = $("#link-form");
  $("#link-status").textContent = "";
  $("#link-error").textContent = "";
  if (!checkFields(form, [["email", "email"]], state.t)) return;
  const body = { email: $("#email").value.trim(), language: state.lang };
  if (next) body.next = next;
  $("#send-link").disabled = true;
  try {
    await apiJson("/v1/auth/links", { method: "POST", body, lang: state.lang });
    say($("#link-status"), state.t, "linkSent");
  } catch (error) {
    await showErrors(error, { form, fieldMap: { email: "email" }, summary: $("#link-error"), lang: state.lang });
  } finally {
    $("#send-link").disabled = false;
  }
}

await boot(TEXT);
if (token) {
  $("#token-section").hidden = false;
  $("#link-form").hidden = true;
  $("#use-token").addEventListener("click", useToken);
}
$("#link-form").addEventListener("submit", sendLink);
document.body.setAttribute("data-ready", "true");

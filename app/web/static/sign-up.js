// An entrepreneur makes an account: name, organisation, email; a sign-in link is mailed.
import { apiJson, showErrors } from "./api.js";
import { checkFields } from "./forms.js";
import { say } from "./i18n.js";
import { boot, state } from "./layout.js";

const TEXT = {
  nl: { signUpHeading: "Account voor ondernemers",
    signUpIntro: "Met een account slaat u zoekopdrachten op als aanvraag, nodigt u bedrijven uit en volgt u hun antwoorden.",
    signUpButton: "Account maken", haveAccount: "Al een account?",
    sent: "Dank u. Als het adres klopt, staat er nu een e-mail met een aanmeldlink voor u klaar (15 minuten geldig)." },
  en: { signUpHeading: "Account for entrepreneurs",
    signUpIntro: "With an account you save searches as requests, invite companies and follow their answers.",
    signUpButton: "Create account", haveAccount: "Have an account?",
    sent: "Thank you. If the address is right, an email with a sign-in link is on its way (valid for 15 minutes)." },
  fr: { signUpHeading: "Compte pour entrepreneurs",
    signUpIntro: "Avec un compte, vous enregistrez vos recherches comme demandes, invitez des entreprises et suivez leurs réponses.",
    signUpButton: "Créer un compte", haveAccount: "Vous avez déjà un compte ?",
    sent: "Merci. Si l’adresse est correcte, un e-mail avec un lien de connexion vous attend (valable 15 minutes)." },
};
const $ = (s) => document.querySelector(s);

await boot(TEXT);
$("#sign-up-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = $("#sign-up-form");
  $("#sign-up-status").textContent = "";
  $("#sign-up-error").textContent = "";
  if (!checkFields(form, [["name", "required"], ["organisation", "required"], ["email", "email"]], state.t)) return;
  $("#sign-up-button").disabled = true;
  try {
    await apiJson("/v1/auth/sign-up", { method: "POST", lang: state.lang, body: {
      name: $("#name").value.trim(), organisation: $("#organisation").value.trim(),
      email: $("#email").value.trim(), language: state.lang } });
    say($("#sign-up-status"), state.t, "sent");
  } catch (error) {
    await showErrors(error, { form, fieldMap: { name: "name", organisation: "organisation", email: "email" },
      summary: $("#sign-up-error"), lang: state.lang });
  } finally {
    $("#sign-up-button").disabled = false;
  }
});
document.body.setAttribute("data-ready", "true");

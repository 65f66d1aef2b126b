// A company registers itself: it stays pending until an operator verifies it; the contact
// becomes a member and gets a sign-in link.
import { apiJson, showErrors } from "./api.js";
import { checkFields } from "./forms.js";
import { say } from "./i18n.js";
import { boot, state } from "./layout.js";

const TEXT = {
  nl: { registerHeading: "Meld uw sociaal werkbedrijf of maatwerkbedrijf aan",
    registerIntro: "Na uw aanmelding controleert het loket uw gegevens. Tot dan is uw bedrijf niet te vinden; u kunt uw profiel wel al aanvullen.",
    companyLegend: "Bedrijf", companyName: "Naam van het bedrijf", regCountry: "Land van inschrijving",
    regNumber: "KvK- of ondernemingsnummer", siteLegend: "Hoofdvestiging", contactLegend: "Uw gegevens",
    registerButton: "Aanmelden", needPlace: "Vul een postcode of plaats in.",
    sent: "Dank u. Wij hebben u een e-mail met een aanmeldlink gestuurd. Het loket controleert uw aanmelding." },
  en: { registerHeading: "Register your sheltered-work company",
    registerIntro: "After you register, the loket checks your details. Until then your company cannot be found, but you can already complete your profile.",
    companyLegend: "Company", companyName: "Company name", regCountry: "Country of registration",
    regNumber: "Chamber of Commerce or enterprise number", siteLegend: "Main site", contactLegend: "Your details",
    registerButton: "Register", needPlace: "Enter a postcode or a place.",
    sent: "Thank you. We have mailed you a sign-in link. The loket will check your registration." },
  fr: { registerHeading: "Inscrivez votre entreprise de travail adapté",
    registerIntro: "Après votre inscription, le guichet vérifie vos données. D’ici là, votre entreprise n’est pas trouvable, mais vous pouvez déjà compléter votre profil.",
    companyLegend: "Entreprise", companyName: "Nom de l’entreprise", regCountry: "Pays d’enregistrement",
    regNumber: "Numéro d’entreprise (BCE) ou de la Chambre de commerce (KvK)", siteLegend: "Site principal", contactLegend: "Vos coordonnées",
    registerButton: "S’inscrire", needPlace: "Saisissez un code postal ou une localité.",
    sent: "Merci. Nous vous avons envoyé un lien de connexion par e-mail. Le guichet vérifiera votre inscription." },
};
const $ = (s) => document.querySelector(s);
const FIELDS = { name: "company-name", number: "reg-number", "registration.number": "reg-number",
  website: "website", postcode: "site-postcode", city: "site-city", "contact.name": "contact-name",
  "contact.email": "contact-email", "contact.role": "contact-role", sites: "site-city" };

await boot(TEXT);
$("#register-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = $("#register-form");
  $("#register-status").textContent = "";
  $("#register-error").textContent = "";
  const place = () => ($("#site-postcode").value.trim() || $("#site-city").value.trim() ? null : state.t.needPlace);
  if (!checkFields(form, [["company-name", "required"], ["reg-number", "required"],
    ["site-city", place], ["contact-name", "required"], ["contact-email", "email"]], state.t)) return;
  const site = { name: $("#site-city").value.trim() || $("#site-postcode").value.trim(),
    country: $("#site-country").value };
  if ($("#site-postcode").value.trim()) site.postcode = $("#site-postcode").value.trim();
  if ($("#site-city").value.trim()) site.city = $("#site-city").value.trim();
  const company = { name: $("#company-name").value.trim(), sites: [site],
    registration: { country: $("#reg-country").value, number: $("#reg-number").value.trim() } };
  if ($("#website").value.trim()) company.website = $("#website").value.trim();
  const contact = { name: $("#contact-name").value.trim(), email: $("#contact-email").value.trim(),
    language: state.lang };
  if ($("#contact-role").value.trim()) contact.role = $("#contact-role").value.trim();
  $("#register-button").disabled = true;
  try {
    await apiJson("/v1/company-registrations", { method: "POST", lang: state.lang, body: { company, contact } });
    say($("#register-status"), state.t, "sent");
  } catch (error) {
    await showErrors(error, { form, fieldMap: FIELDS, summary: $("#register-error"), lang: state.lang });
  } finally {
    $("#register-button").disabled = false;
  }
});
document.body.setAttribute("data-ready", "true");

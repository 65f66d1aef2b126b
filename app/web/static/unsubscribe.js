// Where the alert mail's unsubscribe link lands (a GET changes nothing, so mail scanners that
// follow links unsubscribe nobody): one button POSTs the signed token. No sign-in needed.
import { apiJson, problemMessage } from "./api.js";
import { boot, onLanguage, state } from "./layout.js";

const TEXT = {
  nl: { unsubscribeHeading: "Geen e-mail meer voor deze zoekopdracht", unsubscribeButton: "Meldingen stoppen",
    manageAlerts: "Al uw bewaarde zoekopdrachten",
    ask: (name) => `Wilt u geen meldingen meer voor "${name}"?`,
    done: (name) => `U krijgt geen meldingen meer voor "${name}".`,
    already: "U was al afgemeld voor deze meldingen.", noToken: "Deze link is niet compleet." },
  en: { unsubscribeHeading: "No more email for this search", unsubscribeButton: "Stop alerts",
    manageAlerts: "All your saved searches",
    ask: (name) => `Stop the alerts for "${name}"?`,
    done: (name) => `You will get no more alerts for "${name}".`,
    already: "You were already unsubscribed from these alerts.", noToken: "This link is incomplete." },
  fr: { unsubscribeHeading: "Plus d’e-mails pour cette recherche", unsubscribeButton: "Arrêter les alertes",
    manageAlerts: "Toutes vos recherches enregistrées",
    ask: (name) => `Ne plus recevoir d’alertes pour « ${name} » ?`,
    done: (name) => `Vous ne recevrez plus d’alertes pour « ${name} ».`,
    already: "Vous étiez déjà désabonné·e de ces alertes.", noToken: "Ce lien est incomplet." },
};
const $ = (s) => document.querySelector(s);
const token = new URLSearchParams(window.location.search).get("token");
let answer = null; // {status, name}
let done = false;

function render() {
  const { t } = state;
  const button = $("#unsubscribe");
  if (!token) { $("#unsubscribe-error").textContent = t.noToken; return; }
  if (!answer) return;
  const already = answer.status === "already_unsubscribed";
  button.hidden = already || done;
  $("#unsubscribe-what").textContent = done ? "" : already ? "" : t.ask(answer.name || "");
  $("#unsubscribe-status").textContent = done ? t.done(answer.name || "") : already ? t.already : "";
}

await boot(TEXT);
onLanguage(render);
if (token) {
  const query = `?token=${encodeURIComponent(token)}`;
  try {
    answer = await apiJson(`/v1/unsubscribe${query}`, { lang: state.lang });
  } catch (error) {
    $("#unsubscribe-error").textContent = await problemMessage(error, state.lang);
  }
  $("#unsubscribe").addEventListener("click", async () => {
    $("#unsubscribe").disabled = true;
    try {
      answer = await apiJson(`/v1/unsubscribe${query}`, { method: "POST", lang: state.lang });
      done = answer.status === "unsubscribed";
      render();
      $("#unsubscribe-status").focus?.();
    } catch (error) {
      $("#unsubscribe-error").textContent = await problemMessage(error, state.lang);
    } finally {
      $("#unsubscribe").disabled = false;
    }
  });
}
render();
document.body.setAttribute("data-ready", "true");

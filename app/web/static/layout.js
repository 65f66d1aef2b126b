// The layout every page shares: language switch, sign-in state with sign-out, the main
// navigation (Console only for operators) and the current page marked.
import { api, el, getMe } from "./api.js";
import { applyStrings, initialLanguage } from "./i18n.js";

export const state = { lang: initialLanguage(), t: {}, me: null, extra: {} };
const listeners = [];

export function onLanguage(callback) { listeners.push(callback); }

function renderAccount() {
  const box = document.getElementById("account");
  const { t, me } = state;
  box.replaceChildren();
  if (me) {
    const out = el("button", { type: "button", class: "loket-link-button", id: "sign-out",
      text: t.signOut });
    out.addEventListener("click", async () => {
      try { await api("/v1/auth/sessions/current", { method: "DELETE", lang: state.lang }); }
      catch { /* signed out already */ }
      window.location.assign("/");
    });
    box.append(el("span", { class: "loket-account__name", text: t.signedInAs(me.name || me.email) }), " ", out);
  } else {
    const next = window.location.pathname.startsWith("/sign-") ? "" :
      `?next=${encodeURIComponent(window.location.pathname)}`;
    box.append(el("a", { href: `/sign-in${next}`, id: "sign-in-link", text: t.signIn }));
  }
  const role = me ? me.role : null;
  for (const item of document.querySelectorAll(".loket-nav [data-show]")) {
    const show = item.dataset.show;
    item.hidden = show === "admin" ? role !== "admin"
      : show === "signed-in" ? role === null
      : role !== null && role !== show && role !== "admin";
  }
  const page = document.body.dataset.page;
  const current = { search: "search", requests: "requests", request: "requests",
    company: "company", invitation: "company", console: "console", nearby: "nearby",
    "reverse-search": "reverse-search", alerts: "alerts", insights: "insights", cases: "cases",
    case: "cases", "case-form": "cases" }[page];
  for (const link of document.querySelectorAll(".loket-nav a")) {
    if (link.dataset.nav === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

export function setLanguage(lang) {
  state.lang = lang;
  state.t = applyStrings(document, lang, state.extra);
  renderAccount();
  for (const callback of listeners) callback(lang);
}

// Start the layout with the page's own words ({nl: {...}, en: {...}, fr: {...}}); resolves with `state`
// once the signed-in person is known.
export async function boot(extra = {}) {
  state.extra = extra;
  state.t = applyStrings(document, state.lang, extra);
  for (const button of document.querySelectorAll("[data-set-lang]")) {
    button.addEventListener("click", () => setLanguage(button.dataset.setLang));
  }
  state.me = await getMe();
  renderAccount();
  return state;
}

// For pages that need a signed-in person: without one, say so with a link to sign in.
export function requireSignIn(container) {
  if (state.me) return true;
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  container.replaceChildren(el("div", { class: "utrecht-alert loket-alert", role: "status" },
    el("p", { text: state.t.needSignIn }),
    el("p", {}, el("a", { href: `/sign-in?next=${next}`, text: state.t.signIn }))));
  document.body.setAttribute("data-ready", "true");
  return false;
}

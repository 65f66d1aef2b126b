// Small helpers for the people pages' forms: checks before sending, next to the field.
import { clearErrors, markField } from "./api.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// checks: [[inputId, "required" | "email" | (value) => message|null]]; marks each failing
// field, focuses the first and returns false when any fails.
export function checkFields(form, checks, t) {
  clearErrors(form);
  let first = null;
  for (const [id, rule] of checks) {
    const input = form.querySelector(`#${id}`);
    const value = input.value.trim();
    let message = null;
    if (rule === "required" && !value) message = t.required;
    else if (rule === "email") message = !value ? t.required : (EMAIL.test(value) ? null : t.invalidEmail);
    else if (typeof rule === "function") message = rule(value);
    if (message) { markField(input, message); first = first || input; }
  }
  if (first) first.focus();
  return first === null;
}

// A path inside this site to go to after signing in ("/my/requests"), never another site.
export function safeNext(value) {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) ? value : null;
}

export function homeFor(me) {
  if (!me) return "/";
  return { entrepreneur: "/my/requests", company: "/my/company", admin: "/console" }[me.role] || "/";
}

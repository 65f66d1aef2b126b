/* Loket embed for partner sites: one <script> tag, see README "Embed on a partner site".
 *   <script src="https://loket.example/embed.js" data-key="lk_ppk_..." data-lang="nl"
 *           data-kinds="packaging,assembly" data-color="#0b4f8a" data-logo="https://..."
 *           data-map="true"></script>
 * Renders the search form and results (in a shadow root, so the partner's styles and ours
 * do not mix) right after the script tag, or into the element named by data-target. It calls
 * only the public API with the publishable key, which works from the key's registered origins.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src, document.baseURI).origin;
  var data = script.dataset;
  var key = data.key || "";
  var lang = data.lang === "en" || data.lang === "fr" ? data.lang : "nl";
  var only = (data.kinds || "").split(",").map(function (s) { return s.trim(); })
    .filter(Boolean);
  var color = /^#[0-9a-fA-F]{3,8}$/.test(data.color || "") ? data.color : "#0b4f8a";
  var logo = data.logo && /^https?:\/\//.test(data.logo) ? data.logo : null;
  var withMap = data.map === "true";
  var TILE_URL = "{{tile_url}}"; // filled in by the service when it serves this script

  var T = {
    nl: { title: "Vind een sociaal werkbedrijf", kinds: "Soorten werk", where: "Postcode of plaats",
      country: "Land", nl: "Nederland", be: "België", distance: "Maximale afstand in km (optioneel)",
      workers: "Aantal medewerkers nodig", search: "Zoeken", score: "Score",
      needKind: "Kies minstens één soort werk.", needWhere: "Vul een postcode of plaats in.",
      none: "Geen bedrijven gevonden die aan alle eisen voldoen.",
      found: function (n, t) { return num(n) + " van " + num(t) + " passende bedrijven"; },
      refused: "Zoeken is op deze website niet beschikbaar (sleutel niet toegestaan of dienst onbereikbaar).",
      check: "Controleer de soort werk, de plaats en de getallen.",
      by: "Mogelijk gemaakt door Loket", map: "Kaart met de gevonden bedrijven",
      asked: "Gevraagde locatie" },
    en: { title: "Find a sheltered-work company", kinds: "Kinds of work", where: "Postcode or place",
      country: "Country", nl: "Netherlands", be: "Belgium", distance: "Maximum distance in km (optional)",
      workers: "Workers needed", search: "Search", score: "Score",
      needKind: "Choose at least one kind of work.", needWhere: "Enter a postcode or place.",
      none: "No companies meet all the requirements.",
      found: function (n, t) { return num(n) + " of " + num(t) + " fitting companies"; },
      refused: "Search is not available on this site (key not allowed here or service unreachable).",
      check: "Please check the kind of work, the place and the numbers.",
      by: "Powered by Loket", map: "Map of the companies found", asked: "Asked location" },
    fr: { title: "Trouver une entreprise de travail adapté", kinds: "Types de travail", where: "Code postal ou localité",
      country: "Pays", nl: "Pays-Bas", be: "Belgique", distance: "Distance maximale en km (facultatif)",
      workers: "Nombre de travailleurs nécessaires", search: "Rechercher", score: "Score",
      needKind: "Choisissez au moins un type de travail.", needWhere: "Saisissez un code postal ou une localité.",
      none: "Aucune entreprise ne répond à toutes les exigences.",
      found: function (n, t) { return num(n) + " sur " + num(t) + " entreprises qui conviennent"; },
      refused: "La recherche n’est pas disponible sur ce site (clé non autorisée ou service injoignable).",
      check: "Veuillez vérifier le type de travail, la localité et les nombres.",
      by: "Propulsé par Loket", map: "Carte des entreprises trouvées", asked: "Lieu demandé" },
  }[lang];

  // Numbers in the embed's language: 12,5 in Dutch and French, 12.5 in English; 5.000, 5,000
  // and 5 000.
  var numbers = new Intl.NumberFormat({ en: "en-GB", fr: "fr-BE" }[lang] || "nl-NL",
    { maximumFractionDigits: 1 });
  function num(value) { return numbers.format(value); }

  var host = document.createElement("div");
  host.className = "loket-embed";
  var target = data.target ? document.querySelector(data.target) : null;
  if (target) target.appendChild(host);
  else script.parentNode.insertBefore(host, script.nextSibling);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var uid = "lk" + Math.random().toString(36).slice(2, 8);

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (c) { if (c) node.append(c); });
    return node;
  }

  var style = el("style", { text:
    ":host{all:initial;display:block;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b}" +
    ".box{border:1px solid #c4c9ce;border-radius:6px;padding:1rem;background:#fff}" +
    "header{display:flex;align-items:center;gap:.75rem;margin-bottom:.75rem}" +
    "header img{max-height:40px;max-width:120px}h2{margin:0;font-size:1.25rem}" +
    "label{display:block;font-weight:600;margin:.5rem 0 .25rem}" +
    "fieldset{border:1px solid #c4c9ce;border-radius:4px;margin:0 0 .5rem;padding:.5rem}" +
    "legend{font-weight:600}.k label{display:inline;font-weight:normal}" +
    "input,select{font:inherit;width:100%;box-sizing:border-box;padding:.4rem;" +
    "border:1px solid #8a8a8a;border-radius:4px;min-height:2.5rem}" +
    "input[type=checkbox]{width:auto;min-height:0;margin-right:.4rem}" +
    ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.5rem}" +
    "button{font:inherit;font-weight:600;margin-top:.75rem;padding:.55rem 1.1rem;border:0;" +
    "border-radius:4px;color:#fff;background:var(--c);min-height:2.75rem;cursor:pointer}" +
    ":focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
    ".err{color:#a4000f;font-weight:600}ol{padding-left:1.25rem}" +
    ".result{margin:.5rem 0;padding:.5rem 0;border-top:1px solid #d0d5da}" +
    ".result h3{margin:0;font-size:1.05rem}.meta{color:#4a4a4a;margin:0}" +
    ".by{font-size:.85rem;color:#4a4a4a;margin:.75rem 0 0}" +
    ".map{height:18rem;margin:.75rem 0;border:1px solid #c4c9ce;border-radius:6px;" +
    "background:#dde3e8}.map[hidden]{display:none}"
  });
  var box = el("div", { class: "box", lang: lang });
  box.style.setProperty("--c", color);
  var heading = el("header", {}, [logo ? el("img", { src: logo, alt: "" }) : null,
    el("h2", { text: T.title })]);
  var kindBox = el("div", { class: "kinds" });
  var where = el("input", { id: uid + "-where", autocomplete: "postal-code" });
  var country = el("select", { id: uid + "-country" }, [
    el("option", { value: "NL", text: T.nl }), el("option", { value: "BE", text: T.be })]);
  if (lang === "fr") country.value = "BE"; // French is spoken in Belgium, not in the Netherlands
  var distance = el("input", { id: uid + "-distance", type: "number", min: "1" });
  var workers = el("input", { id: uid + "-workers", type: "number", min: "1" });
  var error = el("p", { class: "err", role: "alert" });
  var summary = el("p", { "aria-live": "polite" });
  var results = el("ol", { class: "results" });
  var mapBox = el("div", { class: "map", role: "region", "aria-label": T.map, hidden: true });
  var form = el("form", { novalidate: true }, [
    el("fieldset", {}, [el("legend", { text: T.kinds }), kindBox]),
    el("div", { class: "grid" }, [
      el("div", {}, [el("label", { for: where.id, text: T.where }), where]),
      el("div", {}, [el("label", { for: country.id, text: T.country }), country]),
      el("div", {}, [el("label", { for: distance.id, text: T.distance }), distance]),
      el("div", {}, [el("label", { for: workers.id, text: T.workers }), workers]),
    ]),
    error,
    el("button", { type: "submit", text: T.search }),
  ]);
  box.append(heading, form, summary, mapBox, results, el("p", { class: "by", text: T.by }));
  root.append(style, box);

  // The map (data-map="true"): Leaflet from this service, loaded on the first answer and
  // handed back at once (noConflict), so a page with its own Leaflet keeps its `L`.
  var leaflet = null;
  var map = null;
  var layer = null;
  function loadLeaflet() {
    if (leaflet) return leaflet;
    root.prepend(el("link", { rel: "stylesheet", href: base + "/static/vendor/leaflet/leaflet.css" }));
    leaflet = new Promise(function (resolve, reject) {
      var tag = el("script", { src: base + "/static/vendor/leaflet/leaflet.js" });
      tag.onload = function () { resolve(window.L.noConflict()); };
      tag.onerror = reject;
      document.head.append(tag);
    });
    return leaflet;
  }
  function drawMap(answer) {
    if (!withMap) return;
    loadLeaflet().then(function (L) {
      mapBox.hidden = false;
      if (!map) {
        map = L.map(mapBox, { scrollWheelZoom: false });
        if (/^https:\/\//.test(TILE_URL)) {
          L.tileLayer(TILE_URL, { maxZoom: 18,
            attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
        }
        layer = L.featureGroup().addTo(map);
      }
      layer.clearLayers();
      var points = [];
      if (answer.location) {
        points.push([answer.location.lat, answer.location.lon]);
        L.circleMarker(points[0], { radius: 9, color: "#7a1f00", weight: 3, fillOpacity: 0.2 })
          .bindTooltip(T.asked + ": " + answer.location.label).addTo(layer);
      }
      answer.matches.forEach(function (m, i) {
        var at = [m.site.lat, m.site.lon];
        points.push(at);
        L.circleMarker(at, { radius: 7, color: color, weight: 2, fillOpacity: 0.6 })
          .bindTooltip((i + 1) + ". " + m.company.name).addTo(layer);
      });
      if (points.length === 1) map.setView(points[0], 10);
      else if (points.length) map.fitBounds(points, { padding: [24, 24], maxZoom: 12 });
      else map.setView([51.5, 4.8], 7);
      map.invalidateSize();
      host.setAttribute("data-map", "drawn");
    }).catch(function () { mapBox.hidden = true; });
  }

  function api(path, body) {
    var headers = { "Accept-Language": lang, Authorization: "Bearer " + key };
    if (body) headers["Content-Type"] = "application/json";
    return fetch(base + path, { method: body ? "POST" : "GET", headers: headers,
      body: body ? JSON.stringify(body) : undefined, credentials: "omit" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          // Words for a person, never the API's own text.
          if (!response.ok) throw new Error(response.status === 422 ? T.check : T.refused);
          return json;
        });
      });
  }

  function fail(e) {
    error.textContent = e && e.message && e.message !== "Failed to fetch" &&
      !(e instanceof TypeError) ? e.message : T.refused;
    host.setAttribute("data-state", "error");
  }

  api("/v1/work-kinds").then(function (taxonomy) {
    taxonomy.items.filter(function (k) {
      return only.length ? only.indexOf(k.code) >= 0 : k.kind === "kind";
    }).forEach(function (k) {
      var id = uid + "-kind-" + k.code;
      kindBox.append(el("span", { class: "k" }, [
        el("input", { type: "checkbox", id: id, value: k.code, checked: only.length === 1 }),
        el("label", { for: id, text: k.labels[lang] }), " "]));
    });
    host.setAttribute("data-state", "ready");
  }).catch(fail);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "";
    var kinds = Array.prototype.map.call(kindBox.querySelectorAll("input:checked"),
      function (i) { return i.value; });
    if (!kinds.length) { error.textContent = T.needKind; return; }
    var text = where.value.trim();
    if (!text) { error.textContent = T.needWhere; where.focus(); return; }
    var postcode = country.value === "NL" ? /^\d{4}\s?[a-z]{2}$/i : /^\d{4}$/;
    var criteria = { work_kinds: kinds, location: postcode.test(text)
      ? { postcode: text, country: country.value } : { place: text, country: country.value } };
    if (Number(distance.value) > 0) criteria.max_distance_km = Number(distance.value);
    if (Number(workers.value) > 0) criteria.workers_needed = Math.round(Number(workers.value));
    api("/v1/match", criteria).then(function (answer) {
      results.replaceChildren();
      summary.textContent = answer.matches.length
        ? T.found(answer.matches.length, answer.total_candidates) : T.none;
      answer.matches.forEach(function (m) {
        var reasons = el("ul", {}, m.explanation.map(function (x) {
          return el("li", { text: x.detail });
        }));
        var km = m.distance_km === null ? "" : " · " + num(m.distance_km) + " km";
        results.append(el("li", { class: "result" }, [
          el("h3", { text: m.company.name }),
          el("p", { class: "meta", text: T.score + " " + num(m.score) + km +
            (m.site.city ? " · " + m.site.city : "") }),
          reasons,
          m.company.website && /^https?:\/\//.test(m.company.website) ? el("a", { href: m.company.website, text: m.company.website,
            rel: "noopener", target: "_blank" }) : null,
        ]));
      });
      host.setAttribute("data-state", "results");
      drawMap(answer);
    }).catch(fail);
  });
})();

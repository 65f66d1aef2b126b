#!/usr/bin/env bash
# Vendor the browser libraries the pages use into app/web/static/vendor, from the npm registry
# with pinned versions, keeping each package's licence. The pages load them from the service
# itself: no CDN, so everything (the look, the map, /docs) works offline.
#
#   bash scripts/vendor_web_assets.sh      # needs npm; rewrites app/web/static/vendor/*
#
# To update: change a version below, run the script, look at the pages, commit the result.
set -euo pipefail

LEAFLET=1.9.4                                   # BSD-2-Clause
UTRECHT_CSS=9.0.4                               # @utrecht/component-library-css, EUPL-1.2
VOORBEELD_TOKENS=7.4.1                          # NL Design System "voorbeeld" theme, EUPL-1.2
SWAGGER_UI=5.35.0                               # swagger-ui-dist, Apache-2.0
CHARTJS=4.6.1                                   # chart.js, MIT (the insights page's charts)

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/app/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch <package@version> <dir>: unpack the package into $work/<dir>
    (cd "$work" && npm pack --silent "$1" >/dev/null)
    mkdir -p "$work/$2"
    tar xzf "$work"/*.tgz -C "$work/$2" --strip-components=1
    rm "$work"/*.tgz
}

fetch "leaflet@$LEAFLET" leaflet
rm -rf "$vendor/leaflet" && mkdir -p "$vendor/leaflet/images"
cp "$work/leaflet/dist/leaflet.js" "$work/leaflet/dist/leaflet.css" "$work/leaflet/LICENSE" \
    "$vendor/leaflet/"
cp "$work/leaflet/dist/images/"*.png "$vendor/leaflet/images/"

fetch "@utrecht/component-library-css@$UTRECHT_CSS" utrecht
rm -rf "$vendor/utrecht" && mkdir -p "$vendor/utrecht"
cp "$work/utrecht/dist/html.css" "$work/utrecht/dist/index.css" "$work/utrecht/LICENSE.md" \
    "$vendor/utrecht/"

fetch "@nl-design-system-unstable/voorbeeld-design-tokens@$VOORBEELD_TOKENS" voorbeeld
rm -rf "$vendor/voorbeeld-theme" && mkdir -p "$vendor/voorbeeld-theme"
cp "$work/voorbeeld/dist/theme.css" "$work/voorbeeld/LICENSE.md" "$vendor/voorbeeld-theme/"

fetch "swagger-ui-dist@$SWAGGER_UI" swagger
rm -rf "$vendor/swagger-ui" && mkdir -p "$vendor/swagger-ui"
cp "$work/swagger/swagger-ui-bundle.js" "$work/swagger/swagger-ui.css" \
    "$work/swagger/LICENSE" "$work/swagger/NOTICE" "$vendor/swagger-ui/"
# The bundle points at a source map that is not shipped: drop the comment, so the browser's
# developer tools do not fetch a file that is not there.
sed -i 's|^//# sourceMappingURL=.*$||' "$vendor/swagger-ui/swagger-ui-bundle.js"
sed -i 's|/\*# sourceMappingURL=.*\*/||' "$vendor/swagger-ui/swagger-ui.css"

fetch "chart.js@$CHARTJS" chartjs
rm -rf "$vendor/chartjs" && mkdir -p "$vendor/chartjs"
cp "$work/chartjs/dist/chart.umd.min.js" "$work/chartjs/LICENSE.md" "$vendor/chartjs/"
# No source map is shipped: drop its comment (as for Swagger UI).
sed -i 's|^//# sourceMappingURL=.*$||' "$vendor/chartjs/chart.umd.min.js"

cat > "$vendor/VERSIONS" <<EOF
# Written by scripts/vendor_web_assets.sh; each folder keeps its package's licence file.
leaflet $LEAFLET
@utrecht/component-library-css $UTRECHT_CSS
@nl-design-system-unstable/voorbeeld-design-tokens $VOORBEELD_TOKENS
swagger-ui-dist $SWAGGER_UI
chart.js $CHARTJS
EOF
echo "vendored into $vendor"

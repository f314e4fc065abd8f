#!/bin/sh
# Copies the front-end libraries installed by npm into static/vendor/ (ignored by git).
set -eu
src=node_modules
dst=static/vendor
rm -rf "$dst"
mkdir -p "$dst/bootstrap" "$dst/htmx" "$dst/echarts" "$dst/sortablejs" "$dst/fullcalendar"
cp "$src/bootstrap/dist/css/bootstrap.min.css" "$dst/bootstrap/"
cp "$src/bootstrap/dist/js/bootstrap.bundle.min.js" "$dst/bootstrap/"
# htmx, with one test changed: its ready() starts htmx at once when the page is parsed (readyState
# other than "loading"), not only once it is "complete". Upstream, a script that runs after
# DOMContentLoaded but before "complete" (an async one, as templates/base.html loads it) never
# starts htmx (bigskysoftware/htmx#2329); the upstream concern, extensions registered after htmx,
# does not apply: the project uses none. The test is the file's only readyState.
htmx_min="$src/htmx.org/dist/htmx.min.js"
if [ "$(grep -o 'readyState' "$htmx_min" | wc -l)" != 1 ] || ! grep -qF 'readyState==="complete"' "$htmx_min"; then
    echo "scripts/vendor.sh: htmx's ready() is not the one patched here; see htmx#2329" >&2
    exit 1
fi
sed 's/readyState==="complete"/readyState!=="loading"/' "$htmx_min" > "$dst/htmx/htmx.min.js"
cp "$src/sortablejs/Sortable.min.js" "$dst/sortablejs/"
"$src/.bin/esbuild" scripts/echarts-entry.js --bundle --minify --format=iife --target=es2017 --legal-comments=none --log-level=warning --outfile="$dst/echarts/echarts.min.js"
"$src/.bin/esbuild" scripts/fullcalendar-entry.js --bundle --minify --format=iife --target=es2017 --legal-comments=none --log-level=warning --outfile="$dst/fullcalendar/fullcalendar.min.js"
# The source maps are not shipped: drop the comments that point at them, or the production static
# storage (manifest) fails on the missing files.
for file in "$dst"/*/*.css "$dst"/*/*.js; do
    sed -i.orig '/^\/[*/]# sourceMappingURL=/d' "$file" && rm "$file.orig"
done
touch "$dst/.built"

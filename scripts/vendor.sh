#!/bin/sh
# Copies the front-end libraries installed by npm into static/vendor/ (ignored by git).
set -eu
src=node_modules
dst=static/vendor
rm -rf "$dst"
mkdir -p "$dst/bootstrap" "$dst/htmx" "$dst/echarts" "$dst/sortablejs" "$dst/fullcalendar"
cp "$src/bootstrap/dist/css/bootstrap.min.css" "$dst/bootstrap/"
cp "$src/bootstrap/dist/js/bootstrap.bundle.min.js" "$dst/bootstrap/"
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
cp "$src/sortablejs/Sortable.min.js" "$dst/sortablejs/"
"$src/.bin/esbuild" scripts/echarts-entry.js --bundle --minify --format=iife --target=es2017 --legal-comments=none --log-level=warning --outfile="$dst/echarts/echarts.min.js"
"$src/.bin/esbuild" scripts/fullcalendar-entry.js --bundle --minify --format=iife --target=es2017 --legal-comments=none --log-level=warning --outfile="$dst/fullcalendar/fullcalendar.min.js"
# The source maps are not shipped: drop the comments that point at them, or the production static
# storage (manifest) fails on the missing files.
for file in "$dst"/*/*.css "$dst"/*/*.js; do
    sed -i.orig '/^\/[*/]# sourceMappingURL=/d' "$file" && rm "$file.orig"
done
touch "$dst/.built"

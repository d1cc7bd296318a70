#!/bin/sh
# Rebuild generators/web/static/vendor/codemirror.js (committed; huiwu never fetches it at run
# time) and the licences beside it, from the fixed versions in package.json. Needs node and npm.
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund --ignore-scripts
out=../../generators/web/static/vendor
npx esbuild editor.mjs --bundle --minify --format=iife --legal-comments=none \
    --outfile="$out/codemirror.js"
{
  echo "codemirror.js bundles these packages (npm, versions as installed by scripts/editor/package.json):"
  for pkg in node_modules/codemirror node_modules/@codemirror/* node_modules/@lezer/* \
             node_modules/@marijn/* node_modules/crelt node_modules/style-mod node_modules/w3c-keyname; do
    [ -f "$pkg/package.json" ] || continue
    name=$(node -p "require('./$pkg/package.json').name")
    version=$(node -p "require('./$pkg/package.json').version")
    licence=$(node -p "require('./$pkg/package.json').license")
    echo
    echo "== $name $version ($licence) =="
    cat "$pkg"/LICENSE* 2>/dev/null || true
  done
} > "$out/codemirror.LICENSES.txt"

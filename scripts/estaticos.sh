#!/usr/bin/env bash
# The front-end libraries the portal serves itself, fetched at BUILD time from the npm registry
# (package.json + package-lock.json, exact versions and integrity hashes) and copied under
# portal/static/vendor/ (git-ignored): nothing is loaded from a CDN at run time.
#   pdf.js (pdfjs-dist): the reader's viewer (expedientes/views/lector.py).
# Called by scripts/bootstrap.sh (when package-lock.json changed) and by the Dockerfile.
# Usage: scripts/estaticos.sh [repository root]
set -euo pipefail
raiz="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$raiz"
command -v npm >/dev/null || { echo "estaticos.sh: npm is missing (Debian packages nodejs npm)" >&2; exit 1; }
# --omit=optional: pdfjs-dist's optional @napi-rs/canvas is for Node, not for a browser.
npm ci --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error
origen=node_modules/pdfjs-dist
destino=portal/static/vendor/pdfjs
rm -rf "$destino"
mkdir -p "$destino"
# the library and its worker; CMaps (CJK and other non-embedded encodings), the standard
# fonts (PDFs that do not embed Helvetica/Times...), the image decoders (JBIG2/JPEG 2000
# scans) and ICC profiles it loads on demand; the licence goes with the code
cp "$origen/build/pdf.min.mjs" "$origen/build/pdf.worker.min.mjs" "$origen/LICENSE" "$destino/"
cp -r "$origen/cmaps" "$origen/standard_fonts" "$origen/iccs" "$destino/"
mkdir -p "$destino/wasm"
cp "$origen"/wasm/{openjpeg,jbig2,qcms}* "$origen"/wasm/LICENSE_* "$destino/wasm/"
node -p 'require("./node_modules/pdfjs-dist/package.json").version' >"$destino/VERSION"
echo "==> pdf.js $(cat "$destino/VERSION") copied to $destino"

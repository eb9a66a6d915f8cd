#!/usr/bin/env bash
# Blindaje Electoral: one entry point for building and testing on a fresh machine.
#   ./build.sh           install what is missing, build the CLI, the wasm package and the extension (dist/)
#   ./build.sh test      every test: format, lints, Rust tests, rule examples, corpus gate, browser tests
#   ./build.sh demo      open Chromium with the extension on a demo page (headless: saves a screenshot)
#   ./build.sh package   release packages in dist/: store zip, self-hosted .crx, unsigned .xpi, updates.xml/json
#   ./build.sh bench     cargo bench (figures go to BENCHMARKS.md by hand)
#   ./build.sh admin-templates ID [--policy FILE …]   policy templates for extension ID into dist/admin (ADMIN.md)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

log() { printf '\n== %s\n' "$*" >&2; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]} (apt)"
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_toolchain() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup" >&2; exit 2; }
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || { log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
  # wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
  local want have
  want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [[ "$have" != "$want" ]]; then
    log "installing wasm-bindgen-cli $want (takes ~4 minutes once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
  command -v node >/dev/null || apt_install nodejs npm
}

npm_ci() { # npm ci in DIR unless node_modules matches package-lock.json
  local dir=$1
  if [[ ! -f $dir/node_modules/.package-lock.json || $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

build_cli() {
  log "building the CLI (target/release/blindaje)"
  cargo build --release --locked
}

build_wasm() {
  log "building the wasm package (target/pkg)"
  cargo build --lib --locked --target wasm32-unknown-unknown --profile wasm
  rm -rf target/pkg
  wasm-bindgen --target web --no-typescript --out-dir target/pkg --out-name blindaje \
    target/wasm32-unknown-unknown/wasm/blindaje.wasm
  # No wasm-opt: Debian's binaryen (108) predates the externref table wasm-bindgen now emits and breaks it.
  local raw gz
  raw=$(stat -c %s target/pkg/blindaje_bg.wasm)
  gz=$(gzip -9 -c target/pkg/blindaje_bg.wasm | wc -c)
  echo "wasm: $raw bytes raw, $gz bytes gzipped" >&2
}

build_extension() {
  log "assembling the extension (dist/)"
  npm_ci extension
  node extension/build.mjs --pkg target/pkg --out dist "$@"
}

# Admin policy templates from schema.json into dist/admin/: the given id, else $BLINDAJE_EXTENSION_ID, else the dev key's.
build_admin_templates() {
  local id=${1:-${BLINDAJE_EXTENSION_ID:-mdlfnbeclhghlojcmgekbfjgaedojjcb}}
  command -v node >/dev/null || apt_install nodejs
  log "admin templates for extension $id (dist/admin)"
  node extension/admin-templates.mjs --id "$id" --out dist/admin "${@:2}"
}

build_all() {
  ensure_toolchain
  build_cli
  build_wasm
  build_extension "$@"
}

# web-ext lint on the Firefox build: any error fails (remaining warnings are listed in extension/README.md).
lint_firefox() {
  log "web-ext lint (dist/firefox)"
  npm_ci tests/browser
  tests/browser/node_modules/.bin/web-ext lint --source-dir dist/firefox --no-input
}

# Store zip, self-hosted CRX, unsigned xpi and the update manifests into dist/ (see ADMIN.md). The release
# trees are built apart (no dev key), so dist/chromium and dist/firefox stay as they are.
package_release() {
  ensure_toolchain
  build_wasm
  npm_ci extension
  apt_install chromium zip unzip
  log "release packages (dist/)"
  node extension/package.mjs --pkg target/pkg --out dist
}

run_tests() {
  local started=$SECONDS
  build_all --dev-key
  log "cargo fmt --check and clippy"
  cargo fmt --all -- --check
  cargo clippy --locked --all-targets -- -D warnings
  cargo clippy --locked --lib --target wasm32-unknown-unknown -- -D warnings
  log "generated lexicons (rules/lexicons): regenerating gives the committed lists"
  npm_ci rules/lexicons
  node rules/lexicons/generate.mjs --check
  # The audit's PDF tests write PDFs with LibreOffice too (tests/audit.rs, libreoffice_pdfs_*): no skipping.
  apt_install libreoffice-writer-nogui
  log "cargo test (engine, CLI, pack format, rule examples, corpus gate, audit)"
  cargo test --release --locked
  log "admin template tests"; node --test tests/admin/
  lint_firefox
  log "browser tests (Chromium, firefox-esr) and packaging"
  apt_install chromium chromium-l10n openssl firefox-esr firefox-esr-l10n-es-mx zip unzip
  tests/browser/run.sh
  log "all tests passed in $((SECONDS - started)) s"
}

case "${1:-build}" in
  build) build_all; build_admin_templates ;;
  test) run_tests ;;
  demo) build_all --dev-key; apt_install chromium chromium-l10n; npm_ci tests/browser; node tests/browser/demo.mjs ;;
  bench) ensure_toolchain; cargo bench --locked ;;
  package) package_release ;;
  admin-templates)
    (($# >= 2)) || { echo "usage: ./build.sh admin-templates EXTENSION_ID [--policy FILE …]" >&2; exit 2; }
    build_admin_templates "$2" "${@:3}" ;;
  *) echo "usage: ./build.sh [build|test|demo|bench|package|admin-templates ID]" >&2; exit 2 ;;
esac

# Sourced by the scripts: repository root, PATH with cargo's and npm's
# tools first, and the pinned tool versions.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
TRUNK_VERSION="0.21.14"
# The release wasm is built size-first on a pinned nightly (scripts/build,
# docs/performance.md); link-server and every test stay on stable.
WASM_NIGHTLY="nightly-2026-10-30"
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock")"
step() { printf '\n==> %s\n' "$*"; }

#!/usr/bin/env bash
# Installs code-server (a browser-hosted VS Code) for the real-VS-Code test tiers.
#
# It lives outside the project's dependency tree, in a cache folder shared between runs,
# because it is 300 MB of test tooling the extension never ships with.
# 4.100.3 (VS Code 1.100.3) is the newest release whose postinstall accepts Node 20.
#
# Works offline: the only network it needs is the npm registry.
set -euo pipefail

readonly CODE_SERVER_VERSION=4.100.3
readonly CACHE_DIR="${CURATOR_TEST_CACHE:-$HOME/.cache/dataset-curator-test}"
readonly INSTALL_DIR="$CACHE_DIR/code-server-$CODE_SERVER_VERSION"
readonly BINARY="$INSTALL_DIR/node_modules/.bin/code-server"

if [[ -x "$BINARY" ]] && "$BINARY" --version >/dev/null 2>&1; then
  echo "code-server $CODE_SERVER_VERSION already installed in $INSTALL_DIR"
  exit 0
fi

for tool in rg node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "install-code-server: '$tool' is missing (apt-get install ripgrep nodejs npm)" >&2
    exit 1
  fi
done

# @vscode/ripgrep's postinstall downloads a ripgrep release from GitHub unless it finds the
# asset in its cache folder first; a tarball of the system's rg stands in for it.
export TMPDIR="${TMPDIR:-/tmp}"
readonly RIPGREP_CACHE="$TMPDIR/vscode-ripgrep-cache-1.15.11"
readonly RIPGREP_ASSET="$RIPGREP_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -s "$RIPGREP_ASSET" ]]; then
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  mkdir -p "$RIPGREP_CACHE"
  tar -czf "$RIPGREP_ASSET" -C "$staging" rg
  rm -rf "$staging"
fi

# Root installs drop privileges for lifecycle scripts unless told not to, and node-pty's build
# runs `npx node-gyp`, which would otherwise stop to ask before installing node-gyp.
export npm_config_unsafe_perm=true
export npm_config_yes=true

# Install into a temporary sibling and move it into place only once it works, so an interrupted
# install never looks like a finished one.
mkdir -p "$CACHE_DIR"
staging_dir="$INSTALL_DIR.partial"
rm -rf "$staging_dir"
mkdir -p "$staging_dir"
echo '{ "name": "code-server-for-tests", "private": true }' > "$staging_dir/package.json"
echo "Installing code-server $CODE_SERVER_VERSION into $INSTALL_DIR (about 2 minutes)..."
(cd "$staging_dir" && npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")

"$staging_dir/node_modules/.bin/code-server" --version >/dev/null
rm -rf "$INSTALL_DIR"
mv "$staging_dir" "$INSTALL_DIR"
echo "code-server $CODE_SERVER_VERSION installed: $BINARY"

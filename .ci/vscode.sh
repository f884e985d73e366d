#!/usr/bin/env bash
# The VS Code extension in editors/vscode: install its packages from the
# lock file, run the grammar tests and the client's tests, build the .vsix
# and show what is in it. Needs Node.js 20 or later and npm; installs
# Debian's when npm is absent. Does not touch the Rust side.
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"

if ! command -v npm > /dev/null; then
  echo "== Node.js and npm (Debian packages)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q nodejs npm > /dev/null
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or later is needed (for @vscode/vsce); this is $(node --version)" >&2
  exit 1
fi
echo "node $(node --version), npm $(npm --version)"

echo "== npm ci"
npm ci --no-audit --no-fund

echo "== grammar tests (test/*.test.std)"
npm run --silent test:grammar
echo "grammar tests: $(cat test/*.test.std | grep -cE '^#[[:space:]]*(\^|<-)') assertion lines in $(ls test/*.test.std | wc -l) files passed"

echo "== the client's tests (bundled by esbuild first)"
npm run --silent test:unit

echo "== the .vsix"
rm -f yardstick-*.vsix
npm run --silent package
vsix="$(ls yardstick-*.vsix)"
if command -v unzip > /dev/null; then
  unzip -l "$vsix"
  listing="$(unzip -Z1 "$vsix")"
else
  listing="$(npx vsce ls --no-dependencies | sed 's#^#extension/#')"
  echo "$listing"
fi
for wanted in extension/package.json extension/dist/extension.js \
  extension/syntaxes/yardstick.tmLanguage.json extension/language-configuration.json; do
  grep -qx "$wanted" <<< "$listing" || { echo "$vsix lacks $wanted" >&2; exit 1; }
done
if grep -q node_modules <<< "$listing"; then
  echo "$vsix holds node_modules: the client should be bundled" >&2
  exit 1
fi
echo "$vsix: $(du -k "$vsix" | cut -f1) KiB"

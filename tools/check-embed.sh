#!/usr/bin/env bash
# Checks what an embedding app gets: packs this repository, installs the tarball into a temp app that already
# depends on its own rxjs 7, and verifies that there is exactly one rxjs in the app's tree and that rxporter's
# snapshots$ is an instance of the app's Observable. Needs the npm registry. Usage: bash tools/check-embed.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tarball=$(cd "$root" && npm pack --silent --pack-destination "$tmp" | tail -1)
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent rxjs@7.8.1
npm install --no-audit --no-fund --silent "./$tarball"
copies=$(find node_modules -name package.json -path '*/rxjs/package.json' -not -path '*/rxjs/*/rxjs/*' | wc -l)
echo "rxjs copies in the app's tree: $copies"
npm ls rxjs
node -e '
  const { Observable } = require("rxjs");
  const { createAgent, loadConfig } = require("rxporter");
  const agent = createAgent({ config: loadConfig({ values: { global: { appName: "embed" } } }) });
  const same = agent.snapshots$ instanceof Observable;
  console.log(`snapshots$ instanceof the app\x27s Observable: ${same}`);
  process.exit(same ? 0 : 1);
'
[ "$copies" = 1 ]

#!/usr/bin/env bash
# Measures why /metrics gzips with Node's zlib rather than fflate: both compress this host's full default
# exposition (rxporter --once) at level 1 and at the default level. fflate is installed into a temp dir for the
# run only; it is not a dependency. Usage: npm run build && bash tools/bench-gzip.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent fflate@0.8 >/dev/null)
node "$root/dist/src/cli/main.js" --once --global.app-name=bench --log.level=error >"$tmp/exposition.txt"
FFLATE="$tmp/node_modules/fflate" node - "$tmp/exposition.txt" <<'JS'
const zlib = require('node:zlib');
const ff = require(process.env.FFLATE);
const body = require('node:fs').readFileSync(process.argv[2]);
console.log(`exposition: ${body.length} bytes`);
const bench = (name, f) => {
  for (let i = 0; i < 50; i++) f();
  const n = 300;
  const t = process.hrtime.bigint();
  let out;
  for (let i = 0; i < n; i++) out = f();
  const ms = Number(process.hrtime.bigint() - t) / 1e6 / n;
  console.log(`${name.padEnd(24)} ${ms.toFixed(3)} ms  ${(body.length / ms / 1e3).toFixed(0)} MB/s  ${out.length} bytes`);
};
bench('zlib level 1', () => zlib.gzipSync(body, { level: 1 }));
bench('fflate level 1', () => ff.gzipSync(body, { level: 1 }));
bench('zlib default level', () => zlib.gzipSync(body));
bench('fflate default level', () => ff.gzipSync(body));
JS

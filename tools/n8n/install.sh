#!/usr/bin/env bash
# Install the n8n of package.json/package-lock.json (this folder) into a cache folder outside
# the repository, keyed by the lock's hash, and print that folder. Reused when present: the
# first install takes about 10 minutes on 2 cores and 1.7 GB (README "Tests").
#
# Atomic: npm installs into a temporary sibling folder that is renamed into place only when
# `npm ci` succeeded, so an interrupted install is never taken for a finished one.
# tests/n8n_server.py computes the same folder (n8n_install_dir) to find the binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
key="$(sha256sum "$here/package-lock.json" | cut -c1-16)"
root="${BENCHMARK_N8N_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/benchmark-n8n}"
dir="$root/$key"
if [ -x "$dir/node_modules/.bin/n8n" ]; then
  echo "$dir"
  exit 0
fi
command -v npm >/dev/null || { echo "npm not found: n8n not installed" >&2; exit 1; }
mkdir -p "$root"
# Temporary folders of installs interrupted an hour or more ago (a newer one may be running).
find "$root" -maxdepth 1 -name '.install-*' -mmin +60 -exec rm -rf {} +
tmp="$(mktemp -d "$root/.install-$key-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/.npmrc" "$tmp/"
# Native modules (isolated-vm, sqlite3) build with node-gyp against the installed Node's
# headers rather than downloading them; installer analytics stay off.
if [ -f /usr/include/node/common.gypi ]; then export npm_config_nodedir=/usr; fi
export SCARF_ANALYTICS=false DO_NOT_TRACK=1 npm_config_update_notifier=false
echo "installing n8n into $dir (about 10 minutes, 1.7 GB)" >&2
(cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error >&2)
if [ -x "$dir/node_modules/.bin/n8n" ]; then
  rm -rf "$tmp"  # another install finished first, and may be in use: keep it
else
  rm -rf "$dir"
  mv "$tmp" "$dir"
fi
trap - EXIT
echo "$dir"

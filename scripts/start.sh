#!/usr/bin/env bash
# What `npm start` runs: install npm packages if needed, rebuild if stale, then serve on $PORT (default 3000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-deps.sh --no-apt

# Only what ends up in build/ counts; server.ts and src/lib/server run from source through tsx.
inputs=()
for path in src static svelte.config.js vite.config.ts package.json package-lock.json; do
	[[ -e $path ]] && inputs+=("$path")
done
if [[ ! -f build/handler.js ]] || [[ -n $(find "${inputs[@]}" -newer build/handler.js -print -quit) ]]; then
	echo "start: build/ missing or older than its sources; running vite build"
	node_modules/.bin/vite build
fi

exec node --import tsx server.ts

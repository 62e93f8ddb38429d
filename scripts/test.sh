#!/usr/bin/env bash
# What `npm test` runs: every gate, cheapest first, stopping at the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Also runnable as plain `bash scripts/test.sh`, outside npm's PATH setup.
export PATH="$PWD/node_modules/.bin:$PATH"

steps_total=6
step=0
run_step() {
	local name=$1
	shift
	step=$((step + 1))
	echo
	echo "==> [$step/$steps_total] $name: $*"
	local started=$SECONDS
	if ! "$@"; then
		echo >&2
		echo "test.sh: FAILED at step $step/$steps_total ($name): '$*' exited non-zero; see its output above" >&2
		exit 1
	fi
	echo "==> [$step/$steps_total] $name ok ($((SECONDS - started))s)"
}

run_step "dependencies" bash scripts/ensure-deps.sh
run_step "svelte-kit sync" svelte-kit sync
run_step "type check" npm run --silent check
run_step "unit + integration tests" vitest run
run_step "production build" vite build
run_step "end-to-end tests" playwright test

echo
echo "test.sh: all $steps_total steps passed"

#!/usr/bin/env bash
# Brings a fresh Debian machine (running as root) up to what `npm test` needs; silent when nothing is missing.
#   --no-apt   only npm packages (what `npm start` needs; no browser, no redis)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

use_apt=1
for arg in "$@"; do
	case "$arg" in
		--no-apt) use_apt=0 ;;
		-h | --help)
			echo "usage: bash scripts/ensure-deps.sh [--no-apt]"
			exit 0
			;;
		*)
			echo "ensure-deps: unknown argument '$arg' (try --help)" >&2
			exit 2
			;;
	esac
done

# Playwright drives Debian's chromium; it must never fetch its own browsers.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# npm rewrites node_modules/.package-lock.json at the end of every install, so its mtime says when
# node_modules last matched the lockfile; a missing file means an absent or half-finished install.
marker=node_modules/.package-lock.json
if [[ ! -f $marker || package-lock.json -nt $marker ]]; then
	echo "ensure-deps: node_modules missing or older than package-lock.json; running npm ci"
	npm ci --no-audit --no-fund
	touch "$marker"
fi

if ((use_apt)); then
	missing=()
	command -v chromium >/dev/null 2>&1 || missing+=(chromium)
	command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
	if ((${#missing[@]} > 0)); then
		if [[ $(id -u) -ne 0 ]]; then
			echo "ensure-deps: need root to apt-get install ${missing[*]}; install them or rerun as root" >&2
			exit 1
		fi
		echo "ensure-deps: installing Debian packages: ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		# Wait for a concurrent apt/dpkg instead of failing on its lock.
		apt_opts=(-q -o DPkg::Lock::Timeout=600)
		apt-get "${apt_opts[@]}" update
		apt-get "${apt_opts[@]}" install -y "${missing[@]}"
		for cmd in "${missing[@]}"; do
			command -v "$cmd" >/dev/null 2>&1 || {
				echo "ensure-deps: '$cmd' still not on PATH after installing it" >&2
				exit 1
			}
		done
	fi
fi

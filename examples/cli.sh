#!/usr/bin/env bash
# The `accord` command in a few lines. Run it from anywhere:  bash examples/cli.sh
# Every command accepts --help; 'accord --help' lists them all.
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The built-in scenarios, and one of them in full.
accord list
accord show divide-the-dollar

# Your own file: check it, analyse it, and check every quote against its source's text.
accord validate my_first_scenario.yaml
accord analyse my_first_scenario.yaml
accord evidence my_first_scenario.yaml --sources sources

# Start a new scenario from the template; it validates as written (replace the TODO lines).
accord init trade-talks --parties buyer,seller --issues price,delivery --out "$work/trade-talks.yaml"
accord validate "$work/trade-talks.yaml"

# Machine-readable output for scripts: every command takes --json.
accord analyse my_first_scenario.yaml --json > "$work/analysis.json"
echo "wrote the analysis as JSON ($(wc -c < "$work/analysis.json") bytes)"

# Slower, and worth it: every engine once, the briefing and an HTML report (about 30 s).
#   accord run hanoi-2019

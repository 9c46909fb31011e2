#!/usr/bin/env bash
# The steps of the composite action (action.yml), as one script that runs the same locally and in CI.
#
#   validate  -> $SARIF_FILE (SARIF 2.1.0, for code scanning) and a Markdown summary
#
# Inputs (environment variables; the action sets them from its inputs):
#   MILESTONES_PATHS      files or folders to check, separated by spaces (default ".")
#   SARIF_FILE            where the SARIF goes (default milestones.sarif)
#   MILESTONES_CLI        the CLI to run (default: dist/cli.js of this repository, built if missing)
#   GITHUB_STEP_SUMMARY   when set, the Markdown reports are appended to it (GitHub Actions sets it)
#   GITHUB_OUTPUT         when set, errors=N is written to it
#
# Exit code: validate's (0 no errors, 1 errors, 2 usage or unreadable path).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
paths="${MILESTONES_PATHS:-.}"
sarif="${SARIF_FILE:-milestones.sarif}"
cli="${MILESTONES_CLI:-$here/dist/cli.js}"

if [ ! -f "$cli" ]; then
  echo "milestones-ci: building the CLI in $here" >&2
  (cd "$here" && npm ci --no-audit --no-fund && npm run build) >&2 || { echo "milestones-ci: the CLI could not be built" >&2; exit 2; }
fi

summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat >> "$GITHUB_STEP_SUMMARY"; else cat >&2; fi
}
output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >> "$GITHUB_OUTPUT"; fi
}

# shellcheck disable=SC2086  # paths are split on spaces on purpose
node "$cli" validate --format sarif $paths > "$sarif"
status=$?
node "$cli" validate --format markdown $paths 2>/dev/null | summary
errors="$(node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log((l.runs[0].results||[]).filter(r=>r.level==="error").length)' "$sarif" 2>/dev/null || echo 0)"
output "errors=$errors"
echo "milestones-ci: validate exited $status ($errors error(s)); SARIF in $sarif" >&2

exit "$status"

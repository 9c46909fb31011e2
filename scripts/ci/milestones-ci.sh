#!/usr/bin/env bash
# The steps of the composite action (action.yml), as one script that runs the same locally and in CI.
#
#   validate  -> $SARIF_FILE (SARIF 2.1.0, for code scanning) and a Markdown summary
#   plan      -> only when MILESTONES_ENV names an environment of milestones.config.json and its
#                credentials are set (MILESTONES_<ENV>_USERNAME/_PASSWORD or _OAUTH_KEY/_OAUTH_SECRET,
#                or the unprefixed MILESTONES_* ones): the plan as Markdown and JSON; it reads only.
#
# Inputs (environment variables; the action sets them from its inputs):
#   MILESTONES_PATHS      files or folders to check, separated by spaces (default ".")
#   MILESTONES_ENV        environment name for plan (default: none, plan is skipped)
#   SARIF_FILE            where the SARIF goes (default milestones.sarif)
#   PLAN_FILE             where the plan JSON goes (default milestones-plan.json)
#   MILESTONES_CLI        the CLI to run (default: dist/cli.js of this repository, built if missing)
#   GITHUB_STEP_SUMMARY   when set, the Markdown reports are appended to it (GitHub Actions sets it)
#   GITHUB_OUTPUT         when set, errors=N and plan=ran|skipped are written to it
#
# Exit code: validate's (0 no errors, 1 errors, 2 usage or unreadable path); else plan's when it ran.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
paths="${MILESTONES_PATHS:-.}"
sarif="${SARIF_FILE:-milestones.sarif}"
plan_file="${PLAN_FILE:-milestones-plan.json}"
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

env_name="${MILESTONES_ENV:-}"
if [ -z "$env_name" ]; then
  output "plan=skipped"
  exit "$status"
fi
prefix="MILESTONES_$(echo "$env_name" | tr '[:lower:]' '[:upper:]' | tr -c 'A-Z0-9\n' '_')_"
have_creds=no
for pair in "USERNAME PASSWORD" "USERNAME PASSWORD_MD5" "OAUTH_KEY OAUTH_SECRET"; do
  set -- $pair
  a="${prefix}$1"; b="${prefix}$2"; ga="MILESTONES_$1"; gb="MILESTONES_$2"
  if { [ -n "${!a:-}" ] || [ -n "${!ga:-}" ]; } && { [ -n "${!b:-}" ] || [ -n "${!gb:-}" ]; }; then have_creds=yes; fi
done
if [ "$have_creds" != yes ]; then
  echo "milestones-ci: no credentials for environment $env_name in the environment (${prefix}USERNAME/PASSWORD or OAUTH_KEY/OAUTH_SECRET); plan skipped" >&2
  output "plan=skipped"
  exit "$status"
fi
if [ "$status" -eq 2 ]; then
  output "plan=skipped"
  exit "$status"
fi
# shellcheck disable=SC2086
node "$cli" plan $paths --env "$env_name" --format json > "$plan_file"
plan_status=$?
node "$cli" plan $paths --env "$env_name" --format markdown 2>/dev/null | summary
output "plan=ran"
echo "milestones-ci: plan exited $plan_status; JSON in $plan_file" >&2
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$plan_status"

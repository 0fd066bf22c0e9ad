#!/usr/bin/env bash
# tmc's CI runs `tmc diff --git HEAD~1` on tmc's own threat model: the
# last commit's change to threat-model.tm.yaml, reviewed by tmc itself.
# A review verdict (exit 1) is information, not a failure; an error (exit
# 2) fails. Skips with a message when there is no HEAD~1 (shallow clones)
# or no git repository.
# Args: $1 tmc, $2 source dir.
set -euo pipefail
tmc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$2"
if ! git rev-parse --verify --quiet HEAD~1 >/dev/null 2>&1; then
  echo "skipped: no HEAD~1 here (not a git checkout, or a shallow clone); fetch more history to run it"
  exit 0
fi
set +e
"$tmc" diff --git HEAD~1 threat-model.tm.yaml
code=$?
set -e
[ "$code" -le 1 ] || { echo "FAIL: tmc diff --git HEAD~1 threat-model.tm.yaml exited $code" >&2; exit 1; }
echo "tmc diff --git HEAD~1 threat-model.tm.yaml: exit $code"

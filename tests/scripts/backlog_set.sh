#!/usr/bin/env bash
# Regressions of issue 22 ("Hardening III"), item 2: `tmc backlog -o DIR`
# writes the names it chooses itself, so a symbolic link at one of them is
# replaced, never written through; it removes only issue files it wrote,
# whatever the manifest lists; and it writes the set all or nothing.
# Args: $1 tmc.
set -uo pipefail
tmc=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Three urgent threats; their descriptions make each issue file about 3 KB
# and backlog.json, which holds every body again, about 10 KB.
model() {  # $1: a word in every title, so that two versions differ everywhere
  local text
  text=$(printf 'The attacker replays a captured request. %.0s' {1..75})
  cat <<YAML
tmc: 1
title: backlog set
elements:
  - {id: a, type: process}
threats:
  - {id: T1, title: first $1, target: a, likelihood: 3, impact: 3, description: "$text"}
  - {id: T2, title: second $1, target: a, likelihood: 3, impact: 3, description: "$text"}
  - {id: T3, title: third $1, target: a, likelihood: 3, impact: 2, description: "$text"}
YAML
}
backlog() {  # model, dir: runs tmc backlog, stderr to $work/err; prints the exit code
  "$tmc" backlog --today 2026-11-22 "$1" -o "$2" >/dev/null 2>"$work/err"
  echo $?
}
# Every entry of a directory with its type, mode, link target and content.
snapshot() {
  (cd "$1" && find . -printf '%p %y %m %l\n' | sort && find . -type f -exec md5sum {} + | sort)
}
model v1 > "$work/m.tm.yaml"

# --- A symbolic link at one of tmc's names is replaced, never written through --
# A repository commits links at the names tmc writes; they pointed tmc at
# files outside DIR, which it overwrote keeping their mode.
mkdir -p "$work/links/out"
echo "precious" > "$work/links/victim.md"
chmod 640 "$work/links/victim.md"
echo "alias ls='rm -rf'" > "$work/links/bashrc"
ln -s ../victim.md "$work/links/out/threat-T1.md"
ln -s ../bashrc "$work/links/out/backlog.csv"
ln -s ../manifest.json "$work/links/out/tmc-backlog-manifest.json"
code=$(backlog "$work/m.tm.yaml" "$work/links/out")
[ "$code" = 0 ] || { fail "backlog into a folder with links exits $code"; cat "$work/err"; }
[ "$(cat "$work/links/victim.md")" = "precious" ] || fail "the target of threat-T1.md was written through"
[ "$(stat -c %a "$work/links/victim.md")" = 640 ] || fail "the target of threat-T1.md changed mode"
[ "$(cat "$work/links/bashrc")" = "alias ls='rm -rf'" ] || fail "the target of backlog.csv was written through"
[ -e "$work/links/manifest.json" ] && fail "the target of the manifest link was created"
for name in threat-T1.md backlog.csv tmc-backlog-manifest.json; do
  [ -f "$work/links/out/$name" ] && [ ! -L "$work/links/out/$name" ] || fail "$name is still a link, not the file tmc wrote"
done
grep -q "first v1" "$work/links/out/threat-T1.md" || fail "threat-T1.md does not hold the issue"
[ "$(stat -c %a "$work/links/out/threat-T1.md")" = "$(printf '%o' $((0666 & ~$(umask))))" ] \
  || fail "the file that replaced a link took its target's mode: $(stat -c %a "$work/links/out/threat-T1.md")"

# --- Only issue files tmc wrote are ever removed -----------------------------
# The manifest is a file in the repository: any name in it was removed.
mkdir -p "$work/manifest/out"
for name in NOTES.txt README.md threat-OLD.md finding-TMC-X-a.md; do echo "mine" > "$work/manifest/out/$name"; done
echo "precious" > "$work/manifest/x"
ln -s ../x "$work/manifest/out/threat-GONE.md"
printf '%s\n' '{"tmc_backlog": 1, "files": ["NOTES.txt", "README.md", "../x", "threat-OLD.md", "finding-TMC-X-a.md",' \
  '"threat-GONE.md", "threat-T1.md", "backlog.csv", "backlog.json"]}' > "$work/manifest/out/tmc-backlog-manifest.json"
code=$(backlog "$work/m.tm.yaml" "$work/manifest/out")
[ "$code" = 0 ] || { fail "backlog with a hostile manifest exits $code"; cat "$work/err"; }
for name in NOTES.txt README.md; do [ -f "$work/manifest/out/$name" ] || fail "$name, listed in the manifest, was removed"; done
[ -f "$work/manifest/x" ] || fail "../x, listed in the manifest, was removed"
[ "$(cat "$work/manifest/x")" = "precious" ] || fail "../x was changed"
for name in threat-OLD.md finding-TMC-X-a.md; do [ -e "$work/manifest/out/$name" ] && fail "$name, a stale issue file, stayed"; done
[ -L "$work/manifest/out/threat-GONE.md" ] || fail "a link at a stale issue name was removed (tmc writes no links)"
grep -q "lists 3 name(s) that are not issue files tmc writes ('NOTES.txt', 'README.md', '../x'); they are left alone" "$work/err" \
  || { fail "no warning about the names left alone"; cat "$work/err"; }
grep -q "removed 2 no longer urgent" "$work/err" || { fail "not the two stale issue files removed"; cat "$work/err"; }

# --- A failed run leaves the previous set as it was --------------------------
# The issue files were written one by one, then backlog.csv, backlog.json
# and the manifest: a full disk part-way left new issue files beside the
# old CSV, JSON and manifest.
mkdir -p "$work/set"
code=$(backlog "$work/m.tm.yaml" "$work/set/out")
[ "$code" = 0 ] || { fail "first run exits $code"; cat "$work/err"; }
max_issue=$(stat -c %s "$work/set/out"/threat-*.md | sort -n | tail -1)
json=$(stat -c %s "$work/set/out/backlog.json")
# The stand-in for a full disk: a file size limit of 8 KiB (ulimit -f, with
# SIGXFSZ ignored, so write() fails with EFBIG); it needs no root and no
# tmpfs. The issue files fit under it, backlog.json does not.
[ "$max_issue" -lt 8192 ] && [ "$json" -gt 8192 ] || fail "precondition: issue files up to $max_issue bytes, backlog.json $json"
before=$(snapshot "$work/set/out")
model v2 > "$work/m.tm.yaml"
code=$(trap '' XFSZ; ulimit -f 8; backlog "$work/m.tm.yaml" "$work/set/out")
[ "$code" = 2 ] || { fail "a run whose backlog.json cannot be written exits $code"; cat "$work/err"; }
grep -q "cannot write '.*/backlog.json': File too large; nothing in '.*' was changed" "$work/err" \
  || { fail "no error naming backlog.json"; cat "$work/err"; }
[ "$(snapshot "$work/set/out")" = "$before" ] || fail "a run that failed part-way changed the previous set: $(ls -A "$work/set/out")"
# A directory at one of the names: the same, and not a single file replaced.
rm "$work/set/out/backlog.csv"
mkdir "$work/set/out/backlog.csv"
before=$(snapshot "$work/set/out")
code=$(backlog "$work/m.tm.yaml" "$work/set/out")
[ "$code" = 2 ] || { fail "a run with a directory at backlog.csv exits $code"; cat "$work/err"; }
grep -q "cannot write '.*/backlog.csv': it is a directory" "$work/err" || { fail "no error naming backlog.csv"; cat "$work/err"; }
[ "$(snapshot "$work/set/out")" = "$before" ] || fail "a run that failed at backlog.csv changed the folder: $(ls -A "$work/set/out")"
# Once the way is clear, the new set is written whole, without temporaries.
rmdir "$work/set/out/backlog.csv"
code=$(backlog "$work/m.tm.yaml" "$work/set/out")
[ "$code" = 0 ] || { fail "the run after the failures exits $code"; cat "$work/err"; }
[ "$(ls -A "$work/set/out" | tr '\n' ' ')" = "backlog.csv backlog.json threat-T1.md threat-T2.md threat-T3.md tmc-backlog-manifest.json " ] \
  || fail "the new set: $(ls -A "$work/set/out" | tr '\n' ' ')"
grep -q "first v2" "$work/set/out/threat-T1.md" && grep -q "first v2" "$work/set/out/backlog.json" || fail "the new set is not v2"

[ $failures -eq 0 ] && echo "backlog_set: all checks passed"
exit $((failures > 0))

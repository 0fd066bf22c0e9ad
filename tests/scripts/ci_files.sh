#!/usr/bin/env bash
# The CI files users copy (docs/ci/*.yml) and .pre-commit-hooks.yaml: each
# parses as YAML, and every `tmc` command in them names an existing
# command and only flags its --help lists. The pre-commit hooks run for
# real on a valid and an invalid model.
# Args: $1 tmc, $2 source dir.
set -euo pipefail
tmc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" && ln -s "$tmc" "$work/bin/tmc"
python3 - "$work/bin/tmc" "$src" <<'PY'
import re, shlex, subprocess, sys, yaml, os
tmc, src = sys.argv[1], sys.argv[2]
files = ["docs/ci/github-workflow.yml", "docs/ci/gitlab-ci.yml", ".pre-commit-hooks.yaml"]
def strings(node):
    if isinstance(node, dict):
        for v in node.values(): yield from strings(v)
    elif isinstance(node, list):
        for v in node: yield from strings(v)
    elif isinstance(node, str):
        yield node
helps = {}
count = 0
for name in files:
    doc = yaml.safe_load(open(os.path.join(src, name)))
    assert doc, name + " is empty"
    for text in strings(doc):
        for m in re.finditer(r'(?m)(?:^\s*|[;&|]\s*|\bdo\s+)tmc\s+([a-z][a-z-]*)([^\n;|&]*)', text):
            sub, rest = m.group(1), m.group(2)
            if sub not in helps:
                r = subprocess.run([tmc, sub, "--help"], capture_output=True, text=True)
                assert r.returncode == 0, f"{name}: 'tmc {sub}' is not a command"
                helps[sub] = r.stdout
            for flag in re.findall(r'(?<![\w-])(--[a-z][a-z-]*)', rest):
                assert flag in helps[sub], f"{name}: 'tmc {sub}' has no flag {flag}"
            count += 1
assert count >= 8, f"only {count} tmc commands found"
hooks = yaml.safe_load(open(os.path.join(src, ".pre-commit-hooks.yaml")))
ids = {h["id"]: h for h in hooks}
assert "tmc-check" in ids, "the tmc-check hook is missing"
env = dict(os.environ, PATH=os.path.dirname(tmc) + ":" + os.environ["PATH"])
import shutil, tempfile
for hook_id in ("tmc-check", "tmc-check-done"):
    hook = ids[hook_id]
    # An edit to an included file must run the hook too.
    for path in ("threat-model.tm.yaml", "a/b.tm.json", "model/parts/elements.yaml"):
        assert re.search(hook["files"], path), f"{hook_id} skips {path}"
    assert hook.get("pass_filenames") is False, f"{hook_id} checks only the files passed, not the models"
    argv = shlex.split(hook["entry"])
    repo = tempfile.mkdtemp()
    try:
        git = lambda *a: subprocess.run(["git", "-C", repo, *a], check=True, capture_output=True)
        git("init", "-q")
        os.makedirs(os.path.join(repo, "model", "parts"))
        shutil.copy(os.path.join(src, "templates/payments.tm.yaml"), os.path.join(repo, "payments.tm.yaml"))
        open(os.path.join(repo, "model", "root.tm.yaml"), "w").write(
            "tmc: 1\ntitle: t\ninclude: [parts/elements.yaml]\n")
        open(os.path.join(repo, "model", "parts", "elements.yaml"), "w").write(
            "elements:\n  - {id: a, type: process}\n")
        git("add", "-A")
        r = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True)
        assert r.returncode == 0, f"{hook_id} on valid models: {r.returncode} {r.stderr}"
        # A broken included file fails the hook through the model that includes it.
        open(os.path.join(repo, "model", "parts", "elements.yaml"), "w").write(
            "elements:\n  - {id: a, type: proces}\n")
        r = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True)
        assert r.returncode == 2, f"{hook_id} on a broken include: {r.returncode} {r.stderr}"
        assert "proces" in r.stderr and "elements.yaml" in r.stderr, r.stderr
    finally:
        shutil.rmtree(repo)
print(f"ci files: {count} tmc commands valid; pre-commit hooks run")
PY

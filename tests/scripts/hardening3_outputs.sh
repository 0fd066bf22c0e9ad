#!/usr/bin/env bash
# Regressions of issue 22 ("Hardening III"), items 14, 16 and 17: what
# people open or post (the workbook, the SVG and the HTML; the Markdown
# reports, backlog issues and diff comment) and what `diff --git` reads.
# Inputs under tests/hardening/.
# Args: $1 tmc, $2 source dir.
set -uo pipefail
tmc=$(realpath "$1") src=$(realpath "$2")
in="$src/tests/hardening"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# A Python that reads workbooks (python3-openpyxl is Debian's).
py=python3
python3 -c "import openpyxl" 2>/dev/null || py=/usr/bin/python3

# --- 14. The workbook keeps model text whole, inert and valid XML ----------
# A NUL cut the cell; = + - @ at the start of a cell were written as they
# are; dates before 1900 became negative serial numbers; U+FFFE and U+FFFF
# made the workbook's XML, the SVG and the HTML invalid.
m="$in/xlsx-hostile.tm.yaml"
for out in x.xlsx x.csv x.html x.svg; do
  command=report; [ "$out" = x.svg ] && command=diagram
  "$tmc" $command "$m" --today 2026-11-22 -o "$work/$out" 2>"$work/$out.err" || { fail "$command -o $out failed"; cat "$work/$out.err"; }
done
"$py" - "$work" <<'PY' || fail "the workbook, SVG or HTML of xlsx-hostile.tm.yaml"
import csv, datetime, sys, zipfile
import xml.etree.ElementTree as ET
import openpyxl
work = sys.argv[1]
problems = []
# Every XML part of the workbook, and the SVG, parse (expat refuses U+FFFE).
with zipfile.ZipFile(f"{work}/x.xlsx") as z:
    for name in z.namelist():
        if name.endswith((".xml", ".rels")):
            try:
                ET.fromstring(z.read(name))
            except ET.ParseError as e:
                problems.append(f"x.xlsx {name}: {e}")
try:
    ET.parse(f"{work}/x.svg")
except ET.ParseError as e:
    problems.append(f"x.svg: {e}")
html = open(f"{work}/x.html", encoding="utf-8").read()
for bad in ("\ufffe", "\uffff", "\0"):
    if bad in html:
        problems.append(f"x.html holds U+{ord(bad):04X}")
if problems:
    sys.exit("\n".join(problems))

book = openpyxl.load_workbook(f"{work}/x.xlsx")
sheet = book["Threats"]
header = [c.value for c in sheet[1]]
rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
t1, t2 = rows["T1"], rows["T2"]
# The whole text, as the CSV has it (the NUL shows as U+FFFD, as in the HTML).
assert t1["description"] == "before the NUL\ufffdafter the NUL", repr(t1["description"])
csv_rows = {r[0]: r for r in csv.reader(open(f"{work}/x.csv", encoding="utf-8", newline=""))}
assert "after the NUL" in csv_rows["T1"][3], csv_rows["T1"]
# Formulas neutralized as in the CSV: a leading apostrophe.
assert t1["threat"] == "'=1+1", t1["threat"]
assert t1["owner"] == "'@SUM(A1)", t1["owner"]
assert t1["mitigation"].startswith("'+cmd"), t1["mitigation"]
assert t2["description"] == "x;'=1+1", t2["description"]
for ws in book.worksheets:
    for row in ws.iter_rows(values_only=True):
        for value in row:
            if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                sys.exit(f"{ws.title}: a cell starts a formula: {value!r}")
# Before 1900: the date as text; from 1900 on: a date cell.
assert t1["due"] == "1899-12-31" and t1["date_identified"] == "1850-01-01", (t1["due"], t1["date_identified"])
assert t2["date_identified"] == datetime.datetime(1900, 1, 1), t2["date_identified"]
assert t2["due"] == datetime.datetime(2026, 12, 1), t2["due"]
assert "\ufffe" not in book.properties.title and "title" in book.properties.title, book.properties.title
PY

# --- 16. Markdown never mentions anyone or references an issue -------------
# Posted as a pull-request comment or an issue, @name notified that person
# (or team) and #12 / GH-12 / owner/repo#12 put an event on that issue.
m="$in/markdown-mentions.tm.yaml"
"$tmc" report "$m" --today 2026-11-22 -o "$work/brief.md" || fail "report -o brief.md"
"$tmc" report "$m" --today 2026-11-22 --template full -o "$work/full.md" || fail "report --template full"
"$tmc" backlog "$m" --today 2026-11-22 -o "$work/backlog" >/dev/null || fail "backlog"
# The diff comment: the accepted threat and the mitigations are new.
sed -e 's/status: accepted/status: open/' -e '/accepted_by:/d' -e '/reason:/d' -e '/^      - {id: M1/d' -e '/^    mitigations:/d' "$m" >"$work/old.tm.yaml"
"$tmc" diff "$work/old.tm.yaml" "$m" --today 2026-11-22 --format markdown -o "$work/diff.md"
[ $? -le 1 ] || fail "diff --format markdown"
python3 - "$work" "$work"/brief.md "$work"/full.md "$work"/diff.md "$work"/backlog/*.md <<'PY' || fail "a mention or a reference is live in the Markdown"
import html, re, subprocess, sys
problems = []
seen = ""
for path in sys.argv[2:]:
    rendered = subprocess.run(["cmark-gfm", "-e", "table", "-e", "autolink", "-e", "strikethrough", path],
                              capture_output=True, text=True, check=True).stdout
    # Code spans and blocks (the Mermaid drawings) are never scanned for mentions.
    rendered = re.sub(r"<pre.*?</pre>|<code>.*?</code>", "", rendered, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]*>", "", rendered))
    seen += text
    for pattern in (r"(?<![A-Za-z0-9])@[A-Za-z0-9]", r"#[0-9]", r"(?i)\bGH-[0-9]"):
        for hit in re.finditer(pattern, text):
            problems.append(f"{path}: live {hit.group(0)!r} in {text[max(0, hit.start() - 30):hit.end() + 20]!r}")
visible = seen.replace("\u200b", "")
for shown in ("@octocat #12", "@acme/security-team about GH-7 and acme/payments#99", "#123 and @eve", "@heidi"):
    if shown not in visible:
        problems.append(f"the text {shown!r} is not shown")
if "(frank@example.com)" not in seen:
    problems.append("an e-mail address is not shown as it is")
if problems:
    sys.exit("\n".join(problems[:20]))
PY

# --- 17. diff --git reads only the paths it needs ----------------------------
# With the model at the root of a repository, diff --git listed the whole
# tree of the revision (ls-tree -r): 300,000 files cost seconds and
# hundreds of megabytes. A repository of 100,000 files (one blob, built with
# mktree, no checkout), the model at its root; a git on PATH that records
# how many bytes each git command printed: tmc must read a few kilobytes.
repo="$work/big"
mkdir -p "$repo" "$work/bin"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CEILING_DIRECTORIES="$work"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
(
  cd "$repo" && git init -q -b main . || exit 1
  cp "$src/tests/diff/0-base.tm.yaml" threat-model.tm.yaml
  blob=$(echo x | git hash-object -w --stdin) model=$(git hash-object -w threat-model.tm.yaml)
  python3 - "$blob" >"$work/trees" <<'PY'
import sys
blob = sys.argv[1]
print("\n\n".join("\n".join(f"100644 blob {blob}\tfile{i:04d}.txt" for i in range(1000)) for _ in range(100)))
PY
  trees=$(git mktree --batch <"$work/trees" | head -1)
  root=$( { for d in $(seq -w 0 99); do printf '040000 tree %s\tdir%s\n' "$trees" "$d"; done
            printf '100644 blob %s\tthreat-model.tm.yaml\n' "$model"; } | git mktree)
  git update-ref refs/heads/main "$(git commit-tree "$root" -m big </dev/null)"
) || fail "could not build the large repository"
real_git=$(command -v git)
cat >"$work/bin/git" <<EOF
#!/bin/sh
out=\$(mktemp)
"$real_git" "\$@" >"\$out"
code=\$?
echo "\$(wc -c <"\$out") \$*" >>"$work/git.log"
cat "\$out"
rm -f "\$out"
exit \$code
EOF
chmod +x "$work/bin/git"
[ "$(cd "$repo" && git ls-tree -r main | wc -l)" = 100001 ] || fail "the large repository does not hold 100,001 files"
out=$(cd "$repo" && PATH="$work/bin:$PATH" "$tmc" diff --git HEAD --today 2026-11-22 2>&1); code=$?
[ $code = 0 ] && grep -q "^No security-relevant change$" <<<"$out" || fail "diff --git in the large repository: exit $code: $out"
bytes=$(awk '{ s += $1 } END { print s + 0 }' "$work/git.log")
[ "$bytes" -lt 65536 ] || { fail "diff --git read $bytes bytes from git for one model of $(wc -c <"$repo/threat-model.tm.yaml") bytes"; sort -rn "$work/git.log" | head -3; }

if [ $failures -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "hardening3_outputs: all passed"

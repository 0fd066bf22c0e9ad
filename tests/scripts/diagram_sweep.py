#!/usr/bin/env python3
"""Crash sweep of the diagram renderers (issue 11).

usage: diagram_sweep.py TMC WORKDIR [COUNT]

Generates COUNT small random models (random boundaries and nesting, flows
both ways, self-loops, flows that leave and re-enter a boundary, hostile
names with quotes, markup, entities and control characters), and runs each
through `tmc diagram` in every format and `tmc report -o x.html`. Fails when
any run exits with anything but 0, 1 or 2 (a crash is 134 or a signal), when
an SVG is not well-formed XML, or when an HTML report's inline SVGs are not.
Deterministic: model i is generated from seed i.
"""
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

NASTY = [
    'plain', 'with "quotes"', "it's", '<b>bold</b>', 'a & b', '&#1; entity', '&amp;', 'x\\x01y', 'tab\\there',
    'esc\\x1b[31m', 'line\\nbreak', 'end', 'subgraph', '%% comment', 'a|b', '[x]', '{y}', 'back\\\\slash', 'ünïcødé ✓',
    'long ' + 'word ' * 30,
]


def name(rnd):
    if rnd.random() < 0.6:
        return None
    return rnd.choice(NASTY)


def quoted(text):
    # YAML double-quoted: the NASTY entries are written with YAML escapes.
    return '"' + text.replace('"', '\\"') + '"'


def model(seed):
    rnd = random.Random(seed)
    lines = ['tmc: 1', f'title: sweep {seed}']
    nb = rnd.randint(0, 5)
    na = rnd.randint(0, 4)
    if na:
        lines.append('assets:')
        for a in range(na):
            n = name(rnd)
            lines.append(f'  - {{id: a{a}, classes: [pii]' + (f', name: {quoted(n)}' if n else '') + '}')
    if nb:
        lines.append('boundaries:')
        for b in range(nb):
            entry = f'  - {{id: b{b}, trust: {rnd.randint(0, 4)}'
            if b > 0 and rnd.random() < 0.5:
                entry += f', parent: b{rnd.randrange(b)}'
            n = name(rnd)
            if n:
                entry += f', name: {quoted(n)}'
            lines.append(entry + '}')
    ne = rnd.randint(1, 9)
    lines.append('elements:')
    for e in range(ne):
        entry = f'  - {{id: e{e}, type: {rnd.choice(["external", "process", "store"])}'
        if nb and rnd.random() < 0.75:
            entry += f', boundary: b{rnd.randrange(nb)}'
        n = name(rnd)
        if n:
            entry += f', name: {quoted(n)}'
        lines.append(entry + '}')
    nf = rnd.randint(0, 3 * ne)
    if nf:
        lines.append('flows:')
        for f in range(nf):
            a = rnd.randrange(ne)
            b = a if rnd.random() < 0.1 else rnd.randrange(ne)
            entry = f'  - {{id: f{f}, from: e{a}, to: e{b}'
            if rnd.random() < 0.5:
                entry += f', protocol: {rnd.choice(["HTTPS", "gRPC", "SQL over TLS", "HTTP"])}'
            if rnd.random() < 0.3:
                entry += f', label: {quoted(rnd.choice(NASTY))}'
            if na and rnd.random() < 0.6:
                entry += ', data: [' + ', '.join(f'a{x}' for x in sorted(set(rnd.randrange(na) for _ in range(rnd.randint(1, 4))))) + ']'
            lines.append(entry + '}')
            if rnd.random() < 0.3:  # the same pair both ways
                lines.append(f'  - {{id: r{f}, from: e{b}, to: e{a}}}')
    return '\n'.join(lines) + '\n'


def well_formed(text, what):
    try:
        ET.fromstring(text)
        return None
    except ET.ParseError as error:
        return f'{what}: not well-formed XML: {error}'


def check(tmc, work, seed):
    path = os.path.join(work, f'm{seed}.tm.yaml')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(model(seed))
    problems = []
    runs = [('diagram', 'mmd'), ('diagram', 'dot'), ('diagram', 'svg'), ('diagram', 'txt'), ('report', 'html')]
    for command, ext in runs:
        out = os.path.join(work, f'm{seed}.{ext}')
        done = subprocess.run([tmc, command, '--today', '2026-11-22', path, '-o', out] if command == 'report'
                              else [tmc, command, path, '-o', out], capture_output=True, text=True, errors='replace')
        if done.returncode not in (0, 1, 2):
            problems.append(f'seed {seed}: {command} -o {ext}: exit {done.returncode}: {done.stderr[-400:]}')
            continue
        if done.returncode != 0 or not os.path.exists(out):
            continue
        with open(out, encoding='utf-8', errors='replace') as f:
            text = f.read()
        if ext == 'svg':
            problem = well_formed(text, f'seed {seed}: diagram svg')
            if problem:
                problems.append(problem)
        if ext == 'html':
            for i, svg in enumerate(re.findall(r'<svg[\s\S]*?</svg>', text)):
                problem = well_formed(svg.replace('&nbsp;', '&#160;'), f'seed {seed}: report html svg {i}')
                if problem:
                    problems.append(problem)
        os.remove(out)
    return problems


def main():
    tmc, work = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    os.makedirs(work, exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda s: check(tmc, work, s), range(count)))
    problems = [p for r in results for p in r]
    for p in problems[:30]:
        print('FAIL:', p)
    print(f'diagram sweep: {count} models x 5 outputs, {len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""Import cycles between the files of a Rust crate.

Usage: tools/import_cycles.py CRATE_SRC_DIR [CRATE_SRC_DIR ...]

For each crate `src` directory given, every `.rs` file is mapped to its module path
(`lib.rs`/`main.rs` -> `crate`, `a/mod.rs` and `a.rs` -> `crate::a`, `a/b.rs` -> `crate::a::b`).
The references of a file are read from its code (comments and string literals removed):
`use crate::...` / `use super::...` / `use self::...` items, braces expanded, and paths
written in the code such as `crate::x::y(...)` or `super::z::W`. Each reference is resolved
to the longest module path that is a file of the crate, which gives an edge from the
referring file to that file.

A module and its ancestors or descendants (parent/child pairs, e.g. `review/mod.rs` and
`review/rules/r01_*.rs`) refer to each other as a matter of course, so edges between them
are left out. Every strongly connected component of more than one file in what remains is
an import cycle; one cycle through each is printed with the files in order (and the
whole group when it has more files than that cycle).

Exit status: 0 when no crate has a cycle, 1 when any has, 2 on a usage error.
Only the standard library is used.
"""

from __future__ import annotations

import os
import re
import sys


def strip_comments_and_strings(src: str) -> str:
    """The source with comments, string literals and char literals blanked out."""
    out = []
    i = 0
    n = len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if src.startswith("/*", i):
            depth = 1
            i += 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth += 1
                    i += 2
                elif src.startswith("*/", i):
                    depth -= 1
                    i += 2
                else:
                    i += 1
            out.append(" ")
            continue
        m = re.match(r'b?r(#*)"', src[i:i + 260])
        if m and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            end = '"' + m.group(1)
            j = src.find(end, i + m.end())
            i = n if j < 0 else j + len(end)
            out.append('""')
            continue
        if c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            out.append('""')
            continue
        if c == "'":
            # A char literal ('a', '\n', '\u{1F}'), not a lifetime ('a).
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", src[i:i + 14])
            if m:
                i += m.end()
                out.append("' '")
                continue
        out.append(c)
        i += 1
    return "".join(out)


def module_path(src_dir: str, file: str) -> tuple[str, ...]:
    rel = os.path.relpath(file, src_dir).replace(os.sep, "/")
    parts = rel[:-3].split("/")
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def expand_use_tree(tree: str) -> list[str]:
    """`a::{b, c::{d, e}}` -> [`a::b`, `a::c::d`, `a::c::e`] (globs and renames dropped)."""
    tree = re.sub(r"\s+as\s+\w+", "", tree)
    tree = re.sub(r"\s+", "", tree)

    def expand(t: str) -> list[str]:
        i = t.find("{")
        if i < 0:
            return [t]
        prefix = t[:i]
        depth = 0
        for j in range(i, len(t)):
            if t[j] == "{":
                depth += 1
            elif t[j] == "}":
                depth -= 1
                if depth == 0:
                    break
        inner, rest = t[i + 1:j], t[j + 1:]
        items, depth, start = [], 0, 0
        for k, ch in enumerate(inner):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(inner[start:k])
                start = k + 1
        items.append(inner[start:])
        result = []
        for it in items:
            if not it:
                continue
            for e in expand(it):
                result.append(prefix + e + rest)
        return result

    paths = (p.replace("::*", "").removesuffix("::self") for p in expand(tree) if p)
    return [p for p in paths if p]


USE_RE = re.compile(r"\buse\s+([^;]+);")
PATH_RE = re.compile(r"(?<![\w:])((?:crate|super|self)(?:::(?:super|\w+))+)")


def references(code: str) -> list[str]:
    refs = []
    for m in USE_RE.finditer(code):
        tree = m.group(1).strip()
        if tree.startswith("::"):
            continue
        for p in expand_use_tree(tree):
            if p.split("::")[0] in ("crate", "super", "self"):
                refs.append(p)
    without_uses = USE_RE.sub(" ", code)
    refs.extend(m.group(1) for m in PATH_RE.finditer(without_uses))
    return refs


def resolve(ref: str, here: tuple[str, ...]) -> list[str] | None:
    """The absolute module path (segments) a reference names, or None."""
    segs = ref.split("::")
    # A file's own module: `self` is `here`; `super` is its parent.
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    else:
        base = list(here)
        while segs and segs[0] in ("self", "super"):
            if segs[0] == "super":
                if not base:
                    return None
                base.pop()
            segs = segs[1:]
    return base + segs


def analyse(src_dir: str) -> list[tuple[list[str], list[str]]]:
    files = []
    for root, _dirs, names in os.walk(src_dir):
        for name in names:
            if name.endswith(".rs"):
                files.append(os.path.join(root, name))
    files.sort()
    by_module: dict[tuple[str, ...], str] = {}
    for f in files:
        by_module[module_path(src_dir, f)] = f
    edges: dict[str, set[str]] = {f: set() for f in files}
    for f in files:
        here = module_path(src_dir, f)
        with open(f, encoding="utf-8") as fh:
            code = strip_comments_and_strings(fh.read())
        # Inline `mod name { ... }` blocks (tests) are treated as part of the file.
        for ref in references(code):
            target = resolve(ref, here)
            if target is None:
                continue
            # Longest prefix that is a module file.
            for k in range(len(target), -1, -1):
                mod = tuple(target[:k])
                if mod in by_module:
                    g = by_module[mod]
                    break
            else:
                continue
            if g == f:
                continue
            a, b = here, module_path(src_dir, g)
            related = a[:len(b)] == b or b[:len(a)] == a
            if not related:
                edges[f].add(g)
    return cycles(edges)


def cycles(edges: dict[str, set[str]]) -> list[tuple[list[str], list[str]]]:
    """One cycle through each strongly connected component of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    comps: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        work = [(v, iter(sorted(edges[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    advanced = True
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    result = []
    for comp in comps:
        members = set(comp)
        start = comp[0]
        # Shortest path back to `start` inside the component (breadth first).
        prev = {start: None}
        queue = [start]
        found = None
        while queue and found is None:
            nxt = []
            for u in queue:
                for w in sorted(edges[u] & members):
                    if w == start:
                        found = u
                        break
                    if w not in prev:
                        prev[w] = u
                        nxt.append(w)
                if found is not None:
                    break
            queue = nxt
        path = []
        u = found
        while u is not None:
            path.append(u)
            u = prev[u]
        path.reverse()
        result.append((path + [start], comp))
    return result


def main(argv: list[str]) -> int:
    if len(argv) < 2 or any(a in ("-h", "--help") for a in argv[1:]):
        print(__doc__.strip())
        return 2
    bad = 0
    for src_dir in argv[1:]:
        if not os.path.isdir(src_dir):
            print(f"{src_dir}: not a directory", file=sys.stderr)
            return 2
        found = analyse(src_dir)
        if not found:
            print(f"{src_dir}: no import cycles")
            continue
        bad += len(found)
        print(f"{src_dir}: {len(found)} import cycle(s)")
        for cyc, comp in found:
            print("  " + " -> ".join(os.path.relpath(f, src_dir) for f in cyc))
            if len(comp) > len(cyc) - 1:
                names = ", ".join(os.path.relpath(f, src_dir) for f in comp)
                print(f"    (files in this cycle group: {names})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

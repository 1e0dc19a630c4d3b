#!/usr/bin/env python3
"""Fails when the server's top-level modules import each other in a circle.

A module is a file or folder directly under server/src (`config.rs`, `auth/`, `http/`, ...); an
import is any `crate::<module>` path in its code (a `use`, or a path written inline), including
the grouped form `use crate::{a::X, b}`. Imports inside one folder are that module's own business.
Prints the modules from the lowest layer up, each with what it imports; exits 1 on a circle.

    scripts/check-layers.py [server/src]
"""
import re
import sys
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "server/src")
# Entry points sit above every layer and are not modules of the library: lib.rs, main.rs and the
# modules main.rs declares (the binary's own).
ENTRY_POINTS = {"lib", "main"} | set(re.findall(r"^\s*mod (\w+);", (ROOT / "main.rs").read_text(), flags=re.M))


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def top_level_names(group: str) -> set[str]:
    """The first path segment of each item of a `{...}` group; nested groups are skipped."""
    names, depth, item = set(), 0, ""
    for ch in group + ",":
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and ch == ",":
            first = item.strip().split("::")[0].strip()
            if re.fullmatch(r"\w+", first):
                names.add(first)
            item = ""
        elif depth == 0:
            item += ch
    return names


def module_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".rs")


def imports(text: str) -> set[str]:
    text = strip_comments(text)
    found = set(re.findall(r"\bcrate::(\w+)", text))
    for group in re.findall(r"\bcrate::\{((?:[^{}]|\{[^{}]*\})*)\}", text):
        found |= top_level_names(group)
    return found


def main() -> int:
    modules = {module_of(p) for p in ROOT.rglob("*.rs")} - ENTRY_POINTS
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for path in ROOT.rglob("*.rs"):
        here = module_of(path)
        if here in ENTRY_POINTS:
            continue
        graph[here] |= {m for m in imports(path.read_text()) if m in modules and m != here}

    # Tarjan's strongly connected components: any component of two or more modules is a circle.
    index, low, on_stack, stack, circles, order = {}, {}, set(), [], [], []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            order.append(sorted(component))
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)

    for component in order:  # Tarjan emits components lowest layer first
        for m in component:
            print(f"{m:12} -> {', '.join(sorted(graph[m])) or '(nothing)'}")
    for circle in circles:
        print(f"\ncircle: {' <-> '.join(circle)}", file=sys.stderr)
        for m in circle:
            back = sorted(graph[m] & set(circle))
            print(f"  {m} imports {', '.join(back)}", file=sys.stderr)
    if circles:
        print(f"\n{len(circles)} import circle(s) between the modules of {ROOT}", file=sys.stderr)
        return 1
    print(f"\nno import circle between the modules of {ROOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

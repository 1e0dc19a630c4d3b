#!/usr/bin/env python3
"""The table scripts/measure-desktop.sh prints: the app next to the hello window, from
launch.py's results and the built files. Writes everything to --json too."""

import argparse
import gzip
import json
import os


def pairs(values):
    return dict(v.split("=", 1) for v in values)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--launch", required=True)
    ap.add_argument("--wasm", action="append", default=[],
                    help="name=path[+path...]: the wasm files a launch to the first screen loads")
    ap.add_argument("--screens", help="a folder whose module_*.wasm (one per screen) are listed")
    ap.add_argument("--deb", action="append", default=[], help="name=path")
    ap.add_argument("--json", required=True)
    args = ap.parse_args()

    with open(args.launch) as f:
        launch = json.load(f)
    sizes = {}
    for name, paths in pairs(args.wasm).items():
        for path in paths.split("+"):
            with open(path, "rb") as f:
                data = f.read()
            entry = sizes.setdefault(name, {"wasm": 0, "wasm_gzip": 0})
            entry["wasm"] += len(data)
            entry["wasm_gzip"] += len(gzip.compress(data, 9))
    for name, path in pairs(args.deb).items():
        sizes.setdefault(name, {})["deb"] = os.path.getsize(path)

    app, hello = launch["app"], launch["hello"]
    runs = len(app["runs"])

    def seconds(key):
        def cell(result):
            values = [r[key] for r in result["runs"]]
            return f"{result['median'][key]:.2f} s ({min(values):.2f}–{max(values):.2f})"
        return cell(app), cell(hello), f"{app['median'][key] - hello['median'][key]:+.2f} s"

    def mib(key):
        a, h = app["median"][key] / 1024, hello["median"][key] / 1024
        return f"{a:.1f} MiB", f"{h:.1f} MiB", f"{a - h:+.1f} MiB"

    def size(key, unit, scale):
        a, h = sizes["app"][key], sizes["hello"][key]
        return f"{a / scale:,.1f} {unit} ({a:,} B)", f"{h / scale:,.1f} {unit}", f"{(a - h) / scale:+,.1f} {unit}"

    rows = [
        (f"Launch → first window (median of {runs}; min–max)", *seconds("first_window_s"), "—"),
        (f"Launch → interactive first screen (median of {runs}; min–max)", *seconds("interactive_s"), "< 1.0 s"),
        ("Idle memory, PSS of the app + WebKit processes (median)", *mib("pss"), "≤ hello + 30 MiB"),
        ("Idle memory, RSS of the same (median)", *mib("rss"), "—"),
        ("UI wasm a launch loads, gzip -9 (each file)", *size("wasm_gzip", "KB", 1000), "< 300 KB"),
        ("UI wasm a launch loads, raw", *size("wasm", "KB", 1000), "—"),
        (".deb", *size("deb", "MiB", 1024 * 1024), "< 8 MiB"),
    ]
    print("| figure | authdesk | hello window | difference | target |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    app_processes = ", ".join(f"{n} {v / 1024:.0f}" for n, v in sorted(app["runs"][-1]["processes"].items()))
    hello_processes = ", ".join(f"{n} {v / 1024:.0f}" for n, v in sorted(hello["runs"][-1]["processes"].items()))
    print(f"\nPSS by process, last run (MiB): authdesk: {app_processes}; hello window: {hello_processes}.")

    if args.screens:
        screens = {}
        for file in sorted(os.listdir(args.screens)):
            if file.startswith("module_") and file.endswith(".wasm"):
                with open(os.path.join(args.screens, file), "rb") as f:
                    screens[file] = len(gzip.compress(f.read(), 9))
        sizes["screens_gzip"] = screens
        listed = ", ".join(f"{n.split('_route')[-1][:-37]} {v / 1000:.1f}" for n, v in screens.items())
        print(f"\nEach screen's module, fetched when first shown (KB, gzip -9): {listed}.")

    with open(args.json, "w") as f:
        json.dump({"launch": launch, "sizes": sizes}, f, indent=2)


if __name__ == "__main__":
    main()

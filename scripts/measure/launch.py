#!/usr/bin/env python3
"""Launches a desktop app under X (Xvfb) again and again and measures, without WebDriver or any
other client inside it:

- first window: from spawning the process to the X server mapping the window (the one whose
  title then names the screen);
- interactive: from spawning to the window's title naming the screen the user acts on. The app's
  screens set the page title (`document::Title`) when they render, and the shell makes the window
  title follow it, so the title changes only once the screen's DOM and its event handlers exist;
- idle memory: after `--idle` seconds on that screen, PSS (and RSS) summed over the app and every
  process below it (WebKit's web and network processes), from /proc/<pid>/smaps_rollup.

Watching is event-driven (X's SubstructureNotify and PropertyNotify), so it costs the measured
processes nothing. Launches of the programs given alternate, so machine noise falls on all alike.

    launch.py --runs 5 --idle 10 --out result.json \\
        app="Sign in · authdesk"=/path/to/authdesk-desktop hello="Hello · hello-window"=/path/to/hello-window
"""

import argparse
import json
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from Xlib import X, display, error


def descendants(root_pid):
    """The pid and every process below it."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # The command name is in parentheses and may hold spaces: split after the last one.
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def memory_kib(pid):
    """{'pss': KiB, 'rss': KiB, 'processes': {name: pss}} over pid and its descendants."""
    total = {"pss": 0, "rss": 0, "processes": {}}
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{p}/smaps_rollup") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line and not line[0].isdigit())
        except OSError:
            continue
        pss = int(fields["Pss"].split()[0])
        total["pss"] += pss
        total["rss"] += int(fields["Rss"].split()[0])
        total["processes"][name] = total["processes"].get(name, 0) + pss
    return total


class Watcher:
    """Follows top-level windows on the X display: when one maps, and what its title becomes."""

    def __init__(self):
        self.d = display.Display()
        self.root = self.d.screen().root
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self.net_wm_name = self.d.intern_atom("_NET_WM_NAME")
        self.utf8 = self.d.intern_atom("UTF8_STRING")
        self.d.sync()

    def title(self, window):
        try:
            prop = window.get_full_property(self.net_wm_name, self.utf8)
        except error.XError:
            return None
        if prop is None:
            return None
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    def run(self, start, want_title, deadline):
        """(seconds to the map of the window that shows the wanted title, seconds to that title),
        each None if it never happened."""
        mapped = {}
        titled = None
        while titled is None and time.monotonic() < deadline:
            if not self.d.pending_events():
                select.select([self.d.fileno()], [], [], 0.05)
                if not self.d.pending_events():
                    continue
            ev = self.d.next_event()
            now = time.monotonic() - start
            if ev.type == X.CreateNotify and not ev.override:
                try:
                    ev.window.change_attributes(event_mask=X.PropertyChangeMask)
                    self.d.sync()
                except error.XError:
                    continue
                if self.title(ev.window) == want_title:
                    titled = (ev.window.id, now)
            elif ev.type == X.MapNotify and not ev.override:
                mapped.setdefault(ev.window.id, now)
            elif ev.type == X.PropertyNotify and ev.atom == self.net_wm_name:
                if self.title(ev.window) == want_title:
                    titled = (ev.window.id, now)
        if titled is None:
            return None, None
        window, at = titled
        return mapped.get(window), at


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def launch(watcher, name, want_title, exe, env, idle, timeout, log):
    start = time.monotonic()
    proc = subprocess.Popen([exe], env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        mapped, titled = watcher.run(start, want_title, start + timeout)
        if mapped is None or titled is None:
            what = "no window was mapped" if mapped is None else f"the title {want_title!r} did not appear"
            raise SystemExit(f"{name}: {what} within {timeout}s (log: {log.name})")
        time.sleep(idle)
        memory = memory_kib(proc.pid)
    finally:
        stop(proc)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return {"first_window_s": mapped, "interactive_s": titled, **memory}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("programs", nargs="+", help='name="window title"=executable')
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--idle", type=float, default=10.0, help="seconds on the screen before memory is read")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds a launch may take")
    ap.add_argument("--home", help="HOME for the programs (default: a new temporary folder)")
    ap.add_argument("--out", required=True, help="where the JSON results go")
    args = ap.parse_args()

    programs = []
    for spec in args.programs:
        name, title, exe = spec.split("=", 2)
        programs.append((name, title, exe))

    home = args.home or tempfile.mkdtemp(prefix="authdesk-measure-")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/.config", XDG_DATA_HOME=f"{home}/.local/share",
               XDG_CACHE_HOME=f"{home}/.cache", AUTHDESK_DATA_DIR=f"{home}/authdesk-data")
    watcher = Watcher()
    results = {name: [] for name, _, _ in programs}
    with open(f"{home}/launch.log", "ab") as log:
        # One launch each first, not counted: creates the data folder and the database, as a
        # returning user has them, and brings the binaries into the page cache.
        for name, title, exe in programs:
            launch(watcher, name, title, exe, env, 1.0, args.timeout, log)
        for run in range(args.runs):
            for name, title, exe in programs:
                r = launch(watcher, name, title, exe, env, args.idle, args.timeout, log)
                results[name].append(r)
                print(f"run {run + 1}/{args.runs} {name}: first window {r['first_window_s']:.3f} s, "
                      f"interactive {r['interactive_s']:.3f} s, PSS {r['pss'] / 1024:.1f} MiB", file=sys.stderr)

    summary = {}
    for name, runs in results.items():
        summary[name] = {
            "runs": runs,
            "median": {key: statistics.median(r[key] for r in runs)
                       for key in ("first_window_s", "interactive_s", "pss", "rss")},
        }
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Import and export of 10,000 tasks against a release authdesk-server on SQLite and on PostgreSQL
(127.0.0.1:5432, trust): three accounts each, wall time of each request as a client sees it.

    scripts/measure/import-export.py <authdesk-server binary>
"""
import json, os, subprocess, sys, time, urllib.request, tempfile, statistics, secrets
BIN = sys.argv[1]
def req(url, method="GET", body=None, token=None, raw=False):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(url, data, method=method, headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(r, timeout=120) as a:
        b = a.read()
        return b if raw else json.loads(b)
def run(dburl, port):
    env = {**os.environ, "DATABASE_URL": dburl, "BETTER_AUTH_SECRET": secrets.token_hex(32), "AUTHDESK_LOGIN_RATE_LIMIT": "off",
           "AUTHDESK_REGISTER_RATE_LIMIT": "off", "AUTHDESK_EXPORT_LIMIT": "off", "RUST_LOG": "warn"}
    p = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try: req(base + "/api/health"); break
        except Exception: time.sleep(0.1)
    out = {"import": [], "export": [], "bytes": 0}
    try:
        for i in range(3):
            email = f"bench{i}-{secrets.token_hex(4)}@example.com"
            req(base + "/api/auth/register", "POST", {"email": email, "password": "Str0ng!Passw0rd"})
            token = req(base + "/api/auth/login", "POST", {"email": email, "password": "Str0ng!Passw0rd"})["access_token"]
            tasks = [{"title": f"Task {n}", "created_at": "2025-01-01T00:00:00Z"} for n in range(10_000)]
            t = time.perf_counter(); r = req(base + "/api/tasks/import", "POST", {"tasks": tasks}, token); out["import"].append(time.perf_counter() - t)
            assert r["created"] == 10_000, r
            t = time.perf_counter(); b = req(base + "/api/account/export", token=token, raw=True); out["export"].append(time.perf_counter() - t)
            out["bytes"] = len(b); assert len(json.loads(b)["tasks"]) == 10_000
    finally:
        p.terminate(); p.wait()
    return out
d = tempfile.mkdtemp()
subprocess.run(["psql", "-w", "-X", "postgres://postgres@127.0.0.1:5432/postgres", "-qAtc", "DROP DATABASE IF EXISTS bench_data"], check=True)
subprocess.run(["psql", "-w", "-X", "postgres://postgres@127.0.0.1:5432/postgres", "-qAtc", "CREATE DATABASE bench_data"], check=True)
for name, url, port in [("sqlite", f"sqlite:{d}/b.db", 18321), ("postgres", "postgres://postgres@127.0.0.1:5432/bench_data", 18322)]:
    o = run(url, port)
    print(name, "import 10,000:", [f"{x*1000:.0f}" for x in o["import"]], "ms; median", f"{statistics.median(o['import'])*1000:.0f}",
          "| export 10,000:", [f"{x*1000:.0f}" for x in o["export"]], "ms; median", f"{statistics.median(o['export'])*1000:.0f}", "| bytes", o["bytes"])
subprocess.run(["psql", "-w", "-X", "postgres://postgres@127.0.0.1:5432/postgres", "-qAtc", "DROP DATABASE IF EXISTS bench_data WITH (FORCE)"], check=True)

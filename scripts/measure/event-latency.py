#!/usr/bin/env python3
"""Live changes: from sending a task write to hearing its event on an open /api/tasks/events
stream, 30 writes each, on SQLite, on PostgreSQL, and on PostgreSQL with the write sent to a
second instance (release binary; PostgreSQL at 127.0.0.1:5432, trust).

    scripts/measure/event-latency.py <authdesk-server binary>
"""
import http.client, json, os, secrets, statistics, subprocess, sys, tempfile, time, urllib.request
BIN = sys.argv[1]
def req(base, path, method="GET", body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data, method=method, headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(r, timeout=30) as a:
        return json.loads(a.read() or b"null")
def start(dburl, port, secret):
    env = {**os.environ, "DATABASE_URL": dburl, "BETTER_AUTH_SECRET": secret, "AUTHDESK_LOGIN_RATE_LIMIT": "off", "RUST_LOG": "warn"}
    p = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try: req(base, "/api/health"); return p, base
        except Exception: time.sleep(0.1)
def measure(listen_base, write_base, port):
    email = f"ev-{secrets.token_hex(4)}@example.com"
    req(write_base, "/api/auth/register", "POST", {"email": email, "password": "Str0ng!Passw0rd"})
    token = req(write_base, "/api/auth/login", "POST", {"email": email, "password": "Str0ng!Passw0rd"})["access_token"]
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/api/tasks/events", headers={"authorization": f"Bearer {token}"})
    r = c.getresponse(); assert r.status == 200
    times = []
    for i in range(30):
        t = time.perf_counter()
        req(write_base, "/api/tasks", "POST", {"title": f"t{i}"}, token)
        while True:
            line = r.fp.readline().decode()
            if line.startswith("data:"):
                times.append(time.perf_counter() - t); break
    c.close()
    return times
secret = secrets.token_hex(32)
d = tempfile.mkdtemp()
subprocess.run(["psql", "-w", "-X", "postgres://postgres@127.0.0.1:5432/postgres", "-qAtc", "CREATE DATABASE bench_events"], check=True)
procs = []
try:
    p, sq = start(f"sqlite:{d}/e.db", 18331, secret); procs.append(p)
    a, pa = start("postgres://postgres@127.0.0.1:5432/bench_events", 18332, secret); procs.append(a)
    b, pb = start("postgres://postgres@127.0.0.1:5432/bench_events", 18333, secret); procs.append(b)
    for name, lb, wb, port in [("sqlite, same instance", sq, sq, 18331), ("postgres, same instance", pa, pa, 18332), ("postgres, write on another instance", pa, pb, 18332)]:
        t = measure(lb, wb, port)
        t.sort()
        print(f"{name}: from sending the write to hearing its event: median {statistics.median(t)*1000:.2f} ms, p90 {t[int(len(t)*0.9)]*1000:.2f} ms, max {t[-1]*1000:.2f} ms (n={len(t)})")
finally:
    for p in procs: p.terminate(); p.wait()
    subprocess.run(["psql", "-w", "-X", "postgres://postgres@127.0.0.1:5432/postgres", "-qAtc", "DROP DATABASE IF EXISTS bench_events WITH (FORCE)"], check=True)

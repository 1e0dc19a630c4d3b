"""The server's HTTP story, black box, against a running authdesk-server at BASE (Python stdlib
only, so it runs anywhere): what a client of the original design and a syncing client rely on.
scripts/windows.sh runs it against authdesk-server.exe under Wine.

    python3 scripts/windows/http_story.py http://127.0.0.1:8000
"""

import json
import sys
import urllib.error
import urllib.request
import uuid

BASE = sys.argv[1].rstrip("/")
PASSWORD = "Str0ng!Pass"


def call(method, path, body=None, token=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
            return answer.status, json.loads(text) if text else None
    except urllib.error.HTTPError as refused:
        text = refused.read()
        return refused.code, json.loads(text) if text else None


def expect(what, got, status, detail=None):
    code, body = got
    ok = code == status and (detail is None or (body or {}).get("detail") == detail)
    print(f"{'ok  ' if ok else 'FAIL'} {what}: {code} {body if not ok else ''}".rstrip())
    if not ok:
        sys.exit(f"expected {status} {detail!r}")
    return body


health = expect("health", call("GET", "/api/health"), 200)
assert health["database"] == "sqlite", health
email = f"wine-{uuid.uuid4().hex[:8]}@example.com"
expect("weak password", call("POST", "/api/auth/register", {"email": email, "password": "weakpass"}), 400,
       "Password must contain at least one uppercase letter")
reg = expect("register", call("POST", "/api/auth/register", {"email": f"  {email.upper()} ", "password": PASSWORD}), 201)
assert reg["email"] == email and "access_token" not in reg, reg
expect("duplicate", call("POST", "/api/auth/register", {"email": email, "password": PASSWORD}), 409, "Email already registered")
expect("wrong password", call("POST", "/api/auth/login", {"email": email, "password": "Wr0ng!Pass"}), 401, "Invalid email or password")
login = expect("login", call("POST", "/api/auth/login", {"email": email, "password": PASSWORD}), 200)
assert login["token_type"] == "bearer", login
token = login["access_token"]
expect("no token", call("GET", "/api/tasks"), 401, "Authorization header required")
expect("forged token", call("GET", "/api/auth/me", token=token[:-4] + "AAAA"), 401, "Token error: invalid-signature")
me = expect("me", call("GET", "/api/auth/me", token=token), 200)
assert me["email"] == email, me
task_id = str(uuid.uuid4())
task = expect("create with a client id", call("POST", "/api/tasks", {"id": task_id, "title": "from Wine"}, token), 201)
expect("the same create again", call("POST", "/api/tasks", {"id": task_id, "title": "from Wine"}, token), 200)
expect("edit", call("PATCH", f"/api/tasks/{task_id}", {"completed": True}, token), 200)
listed = expect("list", call("GET", "/api/tasks", token=token), 200)
assert [(t["title"], t["completed"]) for t in listed] == [("from Wine", True)], listed
expect("delete", call("DELETE", f"/api/tasks/{task_id}", token=token), 204)
feed = expect("change feed", call("GET", "/api/tasks/changes", token=token), 200)
assert [(c["id"], c["deleted"]) for c in feed["changes"]] == [(task_id, True)], feed
expect("too large a body", call("POST", "/api/tasks", raw=b"x" * 70_000, token=token), 413,
       "Request body is too large (the limit is 64 KiB)")
expect("logout", call("POST", "/api/auth/logout", token=token), 200)
expect("token after logout", call("GET", "/api/auth/me", token=token), 401, "Token error: revoked-token")
print("the HTTP story passed")

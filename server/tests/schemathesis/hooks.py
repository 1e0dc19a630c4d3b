"""schemathesis hooks for server/tests/openapi.rs.

- A signed-in administrator that stays signed in: the fuzzer signs itself out, ends its own
  sessions and refreshes tokens away, so before each request the token is checked and, if the
  server no longer takes it, the account signs in again.
- Every error is JSON with a `detail` a person can read (the original design's error shape).
"""

import json
import os
import urllib.error
import urllib.request

import schemathesis

BASE = os.environ["AUTHDESK_ST_BASE"]
EMAIL = os.environ["AUTHDESK_ST_EMAIL"]
PASSWORD = os.environ["AUTHDESK_ST_PASSWORD"]


def _call(method, path, body=None, token=None):
    request = urllib.request.Request(BASE + path, method=method)
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@schemathesis.auth(refresh_interval=None)
class SignedIn:
    token = None

    def get(self, case, ctx):
        if self.token is None or _call("GET", "/api/auth/me", token=self.token)[0] != 200:
            status, body = _call("POST", "/api/auth/login", {"email": EMAIL, "password": PASSWORD})
            assert status == 200, f"the fuzzing account cannot sign in again: {status} {body}"
            self.token = body["access_token"]
        return self.token

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.check
def errors_are_json_with_a_detail(ctx, response, case):
    """Every 4xx and 5xx is `{"detail": "<a sentence>"}` (or a list of them, for 422)."""
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        raise AssertionError(f"{response.status_code} is not JSON: {response.content[:200]!r}")
    detail = body.get("detail") if isinstance(body, dict) else None
    if not (isinstance(detail, str) and detail.strip()):
        raise AssertionError(f"{response.status_code} has no readable detail: {body!r}")
    return None

"""The system browser, replaced for the single sign-on stories (AUTHDESK_BROWSER): opens the URL the
app gives it and does what a person would at the provider's pages — signs in as
E2E_SSO_LOGIN, consents — following every redirect until the app's loopback listener has its
answer. Without E2E_SSO_LOGIN it opens nothing and ends: a browser the person closed, which never
comes back (the story cancels in the app). Python's standard library only; every request has a
deadline."""

import http.cookiejar
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class Stay(urllib.request.HTTPRedirectHandler):
    """Redirects are followed here, one by one, not by urllib."""

    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, url, form=None):
    data = urllib.parse.urlencode(form).encode() if form else None
    try:
        with opener.open(urllib.request.Request(url, data), timeout=10) as reply:
            return reply.status, reply.headers, reply.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode(errors="replace")


def main(url):
    login = os.environ.get("E2E_SSO_LOGIN", "")
    if not login:
        return
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), Stay)
    form = None
    for _ in range(25):
        status, headers, body = fetch(opener, url, form)
        form = None
        if 300 <= status < 400:
            url = urllib.parse.urljoin(url, headers["Location"])
        elif status == 200 and "<form" in body:
            form = {"prompt": "login", "login": login, "password": "any"} if 'value="login"' in body else {"prompt": "consent"}
        else:
            return  # the app's page: done (or an error page the story will see in the app)


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""How many wrong two-factor codes one account gets evaluated per minute, by a client that has the password and
obeys Retry-After as fast as it can (the per-account delay doubles: 2 s, 4 s, 8 s…). With --retype, the client
also types the password again before each code (which must not start the delay over).

usage: python3 bench/second_factor_guesses.py BASE_URL EMAIL PASSWORD [--seconds 60] [--retype]
Prints the count of codes evaluated (answered 422) and refused unread (429) during the run.
"""
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

args = [a for a in sys.argv[1:] if not a.startswith("--")]
if len(args) < 3:
    sys.exit(__doc__)
base, email, password = args[:3]
seconds = int(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 60
retype = "--retype" in sys.argv


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def call(path, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        r = opener.open(base + path, body, timeout=10)
        return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def csrf():
    _, _, html = call("/connexion")
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


def password_step(token):
    status, headers, _ = call("/connexion", {"_csrf": token, "email": email, "password": password})
    return status, headers


token = csrf()
status, headers = password_step(token)
if headers.get("Location") != "/connexion/code":
    sys.exit(f"the password step answered {status} {headers.get('Location')}: not an account with a second factor")
evaluated = refused = 0
end = time.time() + seconds
while time.time() < end:
    if retype:
        status, headers = password_step(token)
        if status == 429:
            time.sleep(min(float(headers.get("Retry-After", "1")), max(0.0, end - time.time())))
            continue
    status, headers, _ = call("/connexion/code", {"_csrf": token, "code": "000000"})
    if status == 422:
        evaluated += 1
    elif status == 429:
        refused += 1
        time.sleep(min(float(headers.get("Retry-After", "1")), max(0.0, end - time.time())))
    else:
        sys.exit(f"unexpected answer {status}")
print(f"{evaluated} wrong codes evaluated, {refused} refused unread, in {seconds} s"
      f"{' (password typed again before each code)' if retype else ''}")

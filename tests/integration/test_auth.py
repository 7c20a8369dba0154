"""HTTP authentication (issue 5, section 4), through Debian's curl tool and
ctypes on curlium's libcurl, against a Python server on 127.0.0.1 that
issues Basic, Digest (MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512-256,
qop=auth/auth-int, userhash, stale nonces), Bearer and AWS SigV4 challenges
and verifies every Authorization it gets with its own implementation of
the schemes (RFC 7617, RFC 7616, RFC 6750, AWS Signature Version 4).

PENDING: lives in tests/integration/pending/ (not collected by run.py)
until url_request is wired to lib/http/auth and lib/url_request/netrc.c;
then move it to tests/integration/. It imports harness from its parent
directory, so it works from either place. With the wiring of
/tmp/auth-helper/auth-wiring.patch applied all 23 tests pass on curlium
(and the rest of the integration suite still does).

Checked against Debian's libcurl 7.88 with CURLIUM_IT_REFERENCE=1 (see
README.md): everything passes except five checks of things 8.14 does and
7.88 did not: SHA-512-256 (8.8), the 16-character cnonce (12 random bytes;
7.88 sent 44), CURLINFO_HTTPAUTH_USED (8.12), SigV4's sorted query and
x-amz-content-sha256 for s3, and CURLE_READ_ERROR for a missing
--netrc-file (curl's test 697). The server's Digest and SigV4 checkers were
themselves checked against curl 8.14's test vectors (tests 439, 472, 1974,
2062)."""

import base64
import ctypes
import hashlib
import hmac
import http.server
import os
import re
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import harness as h  # noqa: E402

CURL = "/usr/bin/curl"
USER, PASSWORD = "alice", "s3cr3t pass"
TOKEN = "mF_9.B5f-4.1JqM"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}


def H(algo, text):
    return hashlib.new(HASHES[algo], text.encode("latin-1")).hexdigest()


def parse_params(s):
    """Digest auth-params: name=token or name="quoted \\" string"."""
    out = {}
    for m in re.finditer(r'\s*([\w-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?',
                         s):
        out[m.group(1).lower()] = (re.sub(r'\\(.)', r'\1', m.group(2))
                                   if m.group(2) is not None else m.group(3))
    return out


UNRESERVED = (b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
              b"0123456789-._~")


def aws_encode(raw, keep=b""):
    """%XX (upper case) for all but unreserved bytes (and |keep|); libcurl
    8.14 also writes '+' in a query as %20."""
    out = ""
    for c in raw:
        if c in UNRESERVED or c in keep:
            out += chr(c)
        elif c == 0x2B and not keep:
            out += "%20"
        else:
            out += "%%%02X" % c
    return out


def check_sigv4(method, target, headers, auth, body=b""):
    """Verifies an AWS4-HMAC-SHA256 Authorization for ACCESS_KEY/SECRET_KEY
    (independent of curlium); returns None or what is wrong. |headers| is
    a case-insensitive mapping of the request's headers."""
    m = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/"
                     r"([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+),"
                     r" Signature=([0-9a-f]{64})", auth or "")
    if not m:
        return "malformed"
    key, date, region, service, signed, sig = m.groups()
    stamp = headers.get("X-Amz-Date", "")
    if key != ACCESS_KEY or not stamp.startswith(date):
        return "credential/date"
    path, _, query = target.partition("?")
    if service not in ("s3", "s3-express", "s3-outposts"):
        path = aws_encode(path.encode(), keep=b"/")  # encoded twice
    pairs = []
    for part in (p for p in query.split("&") if p):
        k, eq, v = part.partition("=")
        pairs.append((aws_encode(urllib.parse.unquote_to_bytes(k)),
                      aws_encode(urllib.parse.unquote_to_bytes(v))))
    cq = "&".join(f"{k}={v}" for k, v in sorted(pairs))
    names = signed.split(";")
    ch = "".join(f"{n}:{' '.join(headers.get(n, '').split())}\n"
                 for n in names)
    payload = headers.get("x-amz-content-sha256") or \
        hashlib.sha256(body).hexdigest()
    creq = "\n".join([method, path, cq, ch, signed, payload])
    sts = "\n".join(["AWS4-HMAC-SHA256", stamp,
                     f"{date}/{region}/{service}/aws4_request",
                     hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + SECRET_KEY).encode()
    for part in (date, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return None if want == sig else "signature"


class AuthServer:
    """Answers by path (query parameters configure the scheme):
      /basic                  Basic, USER/PASSWORD
      /digest?algo=&qop=&userhash=1   Digest; algo one of MD5, MD5-sess,
                              SHA-256, SHA-256-sess, SHA-512-256; qop auth,
                              auth-int or absent
      /stale                  Digest with qop=auth: the first good answer
                              gets a 401 with stale=true and a new nonce
      /any                    offers Basic and Digest (MD5) on two lines
      /bearer                 Bearer TOKEN
      /sigv4                  AWS SigV4 (aws:amz:us-east-1:s3)
      /redirect?to=URL        302 to URL
      /open                   200, no auth
    A good Authorization gets 200 "ok <scheme> <detail>"; none or a bad one
    a 401 with a fresh challenge. |requests| records every request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.nonces = set()
        self.stale_sent = set()
        self.bad = []  # why Authorization headers were refused
        srv = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def handle_any(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                with srv.lock:
                    srv.requests.append({
                        "method": self.command, "path": self.path,
                        "headers": dict((k.lower(), v)
                                        for k, v in self.headers.items()),
                        "body": body})
                status, headers, text = srv.answer(self, body)
                data = text.encode()
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = handle_any

        self.httpd = http.server.ThreadingHTTPServer((h.LOOPBACK, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever,
                         kwargs={"poll_interval": 0.1}, daemon=True).start()
        h.on_cleanup(self.httpd.shutdown)

    def url(self, path):
        return f"http://{h.LOOPBACK}:{self.port}{path}"

    def new_nonce(self):
        nonce = base64.b64encode(os.urandom(12)).decode()
        with self.lock:
            self.nonces.add(nonce)
        return nonce

    # -- the schemes --------------------------------------------------------

    def digest_challenge(self, algo, qop, userhash, stale=False):
        parts = [f'realm="test realm"', f'nonce="{self.new_nonce()}"',
                 'opaque="0p4qu3"']
        if algo != "MD5":
            parts.append(f"algorithm={algo}")
        if qop:
            parts.append(f'qop="{qop}"')
        if userhash:
            parts.append("userhash=true")
        if stale:
            parts.append("stale=true")
        return "Digest " + ", ".join(parts)

    def check_digest(self, req, auth, algo, qop, userhash, body):
        if not auth.startswith("Digest "):
            return "not digest"
        p = parse_params(auth[7:])
        base = algo.replace("-sess", "")
        if p.get("nonce") not in self.nonces:
            return "unknown nonce"
        if p.get("uri") != req.path:
            return f"uri {p.get('uri')!r} != {req.path!r}"
        if p.get("opaque") != "0p4qu3" or p.get("realm") != "test realm":
            return "opaque/realm not echoed"
        want_user = H(base, f"{USER}:test realm") if userhash else USER
        if p.get("username") != want_user:
            return f"username {p.get('username')!r}"
        if (p.get("algorithm") or "MD5") != algo:
            return f"algorithm {p.get('algorithm')!r}"
        ha1 = H(base, f"{USER}:test realm:{PASSWORD}")
        if algo.endswith("-sess"):
            ha1 = H(base, f"{ha1}:{p['nonce']}:{p.get('cnonce')}")
        a2 = f"{req.command}:{p['uri']}"
        if qop == "auth-int":
            a2 += ":" + H(base, "")  # libcurl hashes an empty body
        ha2 = H(base, a2)
        if qop:
            if p.get("qop") != qop or not re.fullmatch(r"[0-9a-f]{8}",
                                                       p.get("nc", "")):
                return "qop/nc"
            want = H(base, f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:"
                           f"{qop}:{ha2}")
        else:
            want = H(base, f"{ha1}:{p['nonce']}:{ha2}")
        if p.get("response") != want:
            return "response hash"
        return None

    def check_sigv4(self, req, auth):
        return check_sigv4(req.command, req.path, req.headers, auth)

    def answer(self, req, body):
        path, _, query = req.path.partition("?")
        q = dict(urllib.parse.parse_qsl(query))
        auth = req.headers.get("Authorization")
        if path == "/open":
            return 200, [], "ok open"
        if path == "/redirect":
            return 302, [("Location", q["to"])], "moved"
        if path == "/basic":
            good = "Basic " + base64.b64encode(
                f"{USER}:{PASSWORD}".encode()).decode()
            if auth == good:
                return 200, [], "ok basic"
            return 401, [("WWW-Authenticate", 'Basic realm="test realm"')], \
                "no"
        if path == "/bearer":
            if auth == f"Bearer {TOKEN}":
                return 200, [], "ok bearer"
            return 401, [("WWW-Authenticate", 'Bearer realm="api"')], "no"
        if path == "/sigv4":
            why = self.check_sigv4(req, auth)
            if not why:
                return 200, [], "ok sigv4"
            self.bad.append(why)
            return 403, [], why
        if path in ("/digest", "/any", "/stale"):
            algo = q.get("algo", "MD5")
            qop = q.get("qop") or ("auth" if path == "/stale" else None)
            userhash = q.get("userhash") == "1"
            if auth:
                why = self.check_digest(req, auth, algo, qop, userhash, body)
                if not why:
                    nonce = parse_params(auth[7:])["nonce"]
                    if path == "/stale" and nonce not in self.stale_sent and \
                            not self.stale_sent:
                        self.stale_sent.add(nonce)
                        return 401, [("WWW-Authenticate", self.digest_challenge(
                            algo, qop, userhash, stale=True))], "stale"
                    return 200, [], f"ok digest {algo} {qop}"
                self.bad.append(why)
            headers = [("WWW-Authenticate",
                        self.digest_challenge(algo, qop, userhash))]
            if path == "/any":
                headers.insert(0, ("WWW-Authenticate",
                                   'Basic realm="test realm"'))
            return 401, headers, "no"
        return 404, [], "unknown"


def curl(*args, env=None):
    e = {"LD_LIBRARY_PATH": str(h.compat_dir()), "HOME": "/nonexistent"}
    e.update(env or {})
    return h.run([CURL, "-q", "-sS", *args], env=e, timeout=30)


def auth_headers(srv):
    return [r["headers"].get("authorization") for r in srv.requests]


# -- Basic ------------------------------------------------------------------

def test_basic_is_sent_with_the_first_request():
    srv = AuthServer()
    cp = curl("-u", f"{USER}:{PASSWORD}", srv.url("/basic"))
    assert cp.returncode == 0 and cp.stdout == b"ok basic", cp
    assert len(srv.requests) == 1


def test_wrong_basic_password_returns_the_401():
    srv = AuthServer()
    cp = curl("-u", f"{USER}:wrong", "-w", "%{http_code}", "-o", "/dev/null",
              srv.url("/basic"))
    assert cp.returncode == 0 and cp.stdout == b"401", cp
    assert len(srv.requests) == 1  # no second try with the same scheme
    cp = curl("-f", "-u", f"{USER}:wrong", srv.url("/basic"))
    assert cp.returncode == 22, cp


def test_no_credentials_no_retry():
    srv = AuthServer()
    cp = curl("-w", "%{http_code}", "-o", "/dev/null", srv.url("/basic"))
    assert cp.stdout == b"401" and len(srv.requests) == 1


# -- Digest -----------------------------------------------------------------

def digest(srv, query="", *extra):
    return curl("--digest", "-u", f"{USER}:{PASSWORD}", *extra,
                srv.url("/digest" + query))


def test_digest_md5():
    srv = AuthServer()
    cp = digest(srv)
    assert cp.returncode == 0 and cp.stdout == b"ok digest MD5 None", \
        (cp, srv.bad)
    assert len(srv.requests) == 2
    assert srv.requests[0]["headers"].get("authorization") is None


def test_an_auth_restart_counts_as_a_redirect():
    # libcurl restarts through its redirect path (FOLLOW_REDIR): the
    # restart shows in num_redirects and obeys CURLOPT_MAXREDIRS.
    srv = AuthServer()
    cp = digest(srv, "", "-w", " %{num_redirects}")
    assert cp.stdout == b"ok digest MD5 None 1", cp
    srv = AuthServer()
    cp = digest(srv, "", "--max-redirs", "0", "-o", "/dev/null")
    assert cp.returncode == 47, cp  # CURLE_TOO_MANY_REDIRECTS
    assert b"Maximum (0) redirects followed" in cp.stderr, cp
    assert len(srv.requests) == 1


def test_verbose_lines():
    srv = AuthServer()
    cp = digest(srv, "", "-v", "-o", "/dev/null")
    err = cp.stderr.decode()
    assert "* Server auth using Digest with user 'alice'" in err, err
    assert "* Ignoring the response-body" in err, err
    assert f"* Issue another request to this URL: '{srv.url('/digest')}'" \
        in err, err


def test_digest_algorithms_and_qop():
    for query, want in [
            ("?algo=MD5&qop=auth", b"ok digest MD5 auth"),
            ("?algo=MD5-sess&qop=auth", b"ok digest MD5-sess auth"),
            ("?algo=SHA-256", b"ok digest SHA-256 None"),
            ("?algo=SHA-256-sess&qop=auth", b"ok digest SHA-256-sess auth"),
            ("?algo=SHA-512-256&qop=auth", b"ok digest SHA-512-256 auth"),
            ("?algo=MD5&qop=auth-int", b"ok digest MD5 auth-int"),
            ("?algo=SHA-256&userhash=1", b"ok digest SHA-256 None")]:
        srv = AuthServer()
        cp = digest(srv, query)
        assert cp.returncode == 0 and cp.stdout == want, (query, cp, srv.bad)


def test_digest_fields_as_libcurl_writes_them():
    srv = AuthServer()
    cp = digest(srv, "?algo=SHA-256&qop=auth")
    assert cp.stdout.startswith(b"ok"), (cp, srv.bad)
    a = srv.requests[1]["headers"]["authorization"]
    assert re.fullmatch(
        r'Digest username="alice", realm="test realm", nonce="[^"]+", '
        r'uri="/digest\?algo=SHA-256&qop=auth", cnonce="[A-Za-z0-9+/]{16}", '
        r'nc=00000001, qop=auth, response="[0-9a-f]{64}", '
        r'opaque="0p4qu3", algorithm=SHA-256', a), a


def test_digest_wrong_password_gives_up_after_one_retry():
    srv = AuthServer()
    cp = curl("--digest", "-u", f"{USER}:wrong", "-w", "%{http_code}",
              "-o", "/dev/null", srv.url("/digest"))
    assert cp.returncode == 0 and cp.stdout == b"401", cp
    assert len(srv.requests) == 2


def test_digest_stale_nonce_is_retried_without_asking():
    srv = AuthServer()
    cp = curl("--digest", "-u", f"{USER}:{PASSWORD}", srv.url("/stale"))
    assert cp.returncode == 0 and cp.stdout.startswith(b"ok digest"), \
        (cp, srv.bad)
    assert len(srv.requests) == 3
    assert "nc=00000001" in srv.requests[2]["headers"]["authorization"]


def test_digest_post_probes_without_the_body():
    srv = AuthServer()
    cp = curl("--digest", "-u", f"{USER}:{PASSWORD}", "-d", "name=value",
              srv.url("/digest"))
    assert cp.returncode == 0 and cp.stdout.startswith(b"ok digest"), \
        (cp, srv.bad)
    first, second = srv.requests
    assert first["method"] == "POST" and first["body"] == b""
    assert first["headers"]["content-length"] == "0"
    assert second["body"] == b"name=value"
    assert second["headers"]["authorization"].startswith("Digest ")


def test_digest_put_upload_is_rewound():
    d = h.tempdir()
    f = d / "up.txt"
    f.write_bytes(b"x" * 5000)
    srv = AuthServer()
    cp = curl("--anyauth", "-u", f"{USER}:{PASSWORD}", "-T", str(f),
              srv.url("/digest"))
    assert cp.returncode == 0 and cp.stdout.startswith(b"ok digest"), \
        (cp, srv.bad)
    assert srv.requests[-1]["body"] == b"x" * 5000


# -- picking ----------------------------------------------------------------

def test_anyauth_prefers_digest_over_basic():
    srv = AuthServer()
    cp = curl("--anyauth", "-u", f"{USER}:{PASSWORD}", srv.url("/any"))
    assert cp.returncode == 0 and cp.stdout.startswith(b"ok digest"), \
        (cp, srv.bad)
    assert auth_headers(srv)[0] is None  # nothing before the 401
    assert auth_headers(srv)[1].startswith("Digest ")


def test_anyauth_takes_basic_when_only_basic_is_offered():
    srv = AuthServer()
    cp = curl("--anyauth", "-u", f"{USER}:{PASSWORD}", srv.url("/basic"))
    assert cp.returncode == 0 and cp.stdout == b"ok basic", cp
    assert auth_headers(srv)[0] is None and len(srv.requests) == 2


# -- Bearer -----------------------------------------------------------------

def test_bearer_token():
    srv = AuthServer()
    cp = curl("--oauth2-bearer", TOKEN, srv.url("/bearer"))
    assert cp.returncode == 0 and cp.stdout == b"ok bearer", cp
    assert auth_headers(srv) == [f"Bearer {TOKEN}"]


# -- AWS SigV4 --------------------------------------------------------------

def test_aws_sigv4_verifies_on_the_server():
    srv = AuthServer()
    cp = curl("--aws-sigv4", "aws:amz:us-east-1:s3", "-u",
              f"{ACCESS_KEY}:{SECRET_KEY}", srv.url("/sigv4?b=2&a=1"))
    assert cp.returncode == 0 and cp.stdout == b"ok sigv4", (cp, srv.bad)
    hd = srv.requests[0]["headers"]
    assert re.fullmatch(r"\d{8}T\d{6}Z", hd["x-amz-date"])
    assert hd["x-amz-content-sha256"] == hashlib.sha256(b"").hexdigest()


# -- .netrc -----------------------------------------------------------------

def test_netrc_file_gives_the_credentials():
    d = h.tempdir()
    netrc = d / "netrc"
    netrc.write_text(f'machine {h.LOOPBACK}\n  login {USER}\n'
                     f'  password "{PASSWORD}"\n')
    srv = AuthServer()
    cp = curl("--netrc-file", str(netrc), srv.url("/basic"))
    assert cp.returncode == 0 and cp.stdout == b"ok basic", cp


def test_netrc_in_home():
    d = h.tempdir()
    (d / ".netrc").write_text(
        f'machine other.example login x password y\n'
        f'machine {h.LOOPBACK} login {USER} password "{PASSWORD}"\n')
    srv = AuthServer()
    cp = curl("--netrc", srv.url("/basic"), env={"HOME": str(d)})
    assert cp.returncode == 0 and cp.stdout == b"ok basic", cp


def test_netrc_required_missing_file_is_read_error():
    srv = AuthServer()
    cp = curl("--netrc-file", "/nonexistent/netrc", srv.url("/open"))
    assert cp.returncode == 26, cp  # CURLE_READ_ERROR
    assert b".netrc error" in cp.stderr or cp.stderr, cp


def test_netrc_optional_url_credentials_win():
    d = h.tempdir()
    netrc = d / "netrc"
    netrc.write_text(f"machine {h.LOOPBACK} login {USER} password nope\n")
    srv = AuthServer()
    quoted = urllib.parse.quote(PASSWORD)
    url = f"http://{USER}:{quoted}@{h.LOOPBACK}:{srv.port}/basic"
    cp = curl("--netrc-optional", "--netrc-file", str(netrc), url)
    assert cp.returncode == 0 and cp.stdout == b"ok basic", cp


# -- redirects --------------------------------------------------------------

def test_credentials_stay_on_the_first_host_unless_trusted():
    a, b = AuthServer(), AuthServer()
    target = urllib.parse.quote(b.url("/open"), safe="")
    cp = curl("-L", "-u", f"{USER}:{PASSWORD}", "-H", "Cookie: c=1",
              a.url(f"/redirect?to={target}"))
    assert cp.returncode == 0 and cp.stdout == b"ok open", cp
    assert auth_headers(a)[0].startswith("Basic ")
    assert auth_headers(b) == [None]
    assert "cookie" not in b.requests[0]["headers"]
    a, b = AuthServer(), AuthServer()
    target = urllib.parse.quote(b.url("/open"), safe="")
    cp = curl("--location-trusted", "-u", f"{USER}:{PASSWORD}",
              a.url(f"/redirect?to={target}"))
    assert cp.returncode == 0, cp
    assert auth_headers(b)[0].startswith("Basic ")


def test_digest_follows_a_redirect_on_the_same_host():
    srv = AuthServer()
    target = urllib.parse.quote("/digest?algo=MD5&qop=auth", safe="")
    cp = curl("-L", "--digest", "-u", f"{USER}:{PASSWORD}",
              srv.url(f"/redirect?to={target}"))
    assert cp.returncode == 0 and cp.stdout.startswith(b"ok digest"), \
        (cp, srv.bad)


# -- getinfo through the API (ctypes) ---------------------------------------

CURLOPT_URL = 10002
CURLOPT_USERPWD = 10005
CURLOPT_HTTPAUTH = 107
CURLOPT_WRITEFUNCTION = 20011
CURLINFO_RESPONSE_CODE = 0x200002
CURLINFO_HTTPAUTH_AVAIL = 0x200017
CURLINFO_HTTPAUTH_USED = 0x200045
CURLAUTH_BASIC, CURLAUTH_DIGEST = 1, 2
CURLAUTH_ANY = ctypes.c_ulong(~16).value
WRITE_CB = ctypes.CFUNCTYPE(ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t,
                            ctypes.c_size_t, ctypes.c_void_p)


def test_httpauth_avail_and_used():
    lib = ctypes.CDLL(str(h.libcurl_path()))
    lib.curl_easy_init.restype = ctypes.c_void_p
    lib.curl_easy_setopt.argtypes = None
    srv = AuthServer()
    e = ctypes.c_void_p(lib.curl_easy_init())
    sink = WRITE_CB(lambda p, s, n, u: s * n)
    lib.curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink)
    lib.curl_easy_setopt(e, CURLOPT_URL, srv.url("/any").encode())
    lib.curl_easy_setopt(e, CURLOPT_USERPWD, f"{USER}:{PASSWORD}".encode())
    lib.curl_easy_setopt(e, CURLOPT_HTTPAUTH, ctypes.c_ulong(CURLAUTH_ANY))
    rc = lib.curl_easy_perform(e)
    code, avail, used = ctypes.c_long(), ctypes.c_long(), ctypes.c_long()
    lib.curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, ctypes.byref(code))
    lib.curl_easy_getinfo(e, CURLINFO_HTTPAUTH_AVAIL, ctypes.byref(avail))
    lib.curl_easy_getinfo(e, CURLINFO_HTTPAUTH_USED, ctypes.byref(used))
    assert rc == 0 and code.value == 200, (rc, code.value, srv.bad)
    assert avail.value == CURLAUTH_BASIC | CURLAUTH_DIGEST, avail.value
    assert used.value == CURLAUTH_DIGEST, used.value
    # the same handle again: Digest at once, with the next nonce count
    srv.requests.clear()
    lib.curl_easy_perform(e)
    lib.curl_easy_cleanup(e)
    assert srv.requests[0]["headers"]["authorization"].startswith("Digest ")

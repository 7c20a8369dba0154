"""IDN host names: what goes on the wire is the ACE ("xn--") form, in the
Host header, the proxy request line and TLS SNI, while the URL the program
sees (CURLINFO_EFFECTIVE_URL) keeps its own spelling; names without an ACE
form fail with CURLE_URL_MALFORMAT before any connection. Each scenario runs
the fetch client against curlium and against the system's libcurl (built
with libidn2) and compares.

No name is ever resolved: CURLOPT_CONNECT_TO "::127.0.0.1:PORT" sends every
connection to the local server, whatever the host."""
import os
import re
import ssl

import harness as h

OK = [h.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
             b"Connection: close\r\n\r\nok")]

# name as the program writes it -> ACE form (what libcurl + libidn2 send)
NAMES = [
    ("www.\u00e5\u00e4\u00f6.se", "www.xn--4cab6c.se"),
    ("WWW.\u00c5\u00c4\u00d6.SE", "www.xn--4cab6c.se"),  # upper case
    ("stra\u00dfe.de", "xn--strae-oqa.de"),  # ß kept (non-transitional)
    ("Stra\u00dfe.DE", "xn--strae-oqa.de"),
    ("\u65e5\u672c\u3002jp", "xn--wgv71a.jp"),  # ideographic full stop
    ("\u03a3\u0391\u03a3.gr", "xn--mxa9ab.gr"),  # final sigma
    ("\ufb01.com", "fi.com"),  # NFKC
    ("a~b.\u00e5\u00e4\u00f6.se", "a~b.xn--4cab6c.se"),  # ASCII label kept
]

# Names libidn2 refuses; the last one is not even UTF-8.
BAD_NAMES = [
    "-\u00e5\u00e4\u00f6.se",
    "ab--\u00e5\u00e4\u00f6.se",
    "-abc.\u00e5\u00e4\u00f6.se",  # hyphen rules hold for ASCII labels
    "xn--zz.\u00e5\u00e4\u00f6.se",
    os.fsdecode(b"invalid-utf8-\xe2\x90.local"),
]

UTF8 = {"LC_ALL": "C.UTF-8"}


def _both(url, *opts, env=UTF8):
    """Runs fetch on |url| with curlium and with the reference libcurl;
    returns the two result objects."""
    h.require_tool(os.environ.get("CC", "cc"))
    ref_env = dict(h.reference_libcurl_env(h.fetch_binary()))
    ref_env.update(env)
    ours, cp = h.fetch(url, *opts, env=env)
    assert len(ours) == 1, cp.stderr[-2000:]
    ref, cp = h.fetch(url, *opts, env=ref_env)
    assert len(ref) == 1, cp.stderr[-2000:]
    return ours[0], ref[0]


def _text(s):
    """fetch's JSON escapes each byte >= 0x80 as \\u00XX: back to text."""
    return s.encode("latin-1").decode("utf-8", "surrogateescape")


def _header(req, name):
    m = re.search(rb"(?im)^" + name.encode() + rb":\s*(.*?)\r$", req)
    return m.group(1).decode() if m else None


def _connect_to(port):
    return ["--opt", "CONNECT_TO", f"::127.0.0.1:{port}"]


@h.timeout(120)
def test_host_header_is_ace_like_libcurl():
    srv = h.ScriptedServer(OK)
    for name, ace in NAMES:
        url = f"http://{name}:{srv.port}/p"
        before = len(srv.requests)
        ours, ref = _both(url, "--setlocale", *_connect_to(srv.port))
        assert ours["curlcode"] == ref["curlcode"] == 0, (name, ours, ref)
        reqs = srv.requests[before:]
        assert len(reqs) == 2, (name, reqs)
        got = [_header(r, "Host") for r in reqs]
        assert got == [f"{ace}:{srv.port}"] * 2, (name, got)
        # The URL keeps the program's spelling, as libcurl's does.
        assert _text(ours["effective_url"]) == url, (name, ours)
        assert ours["effective_url"] == ref["effective_url"], (name, ref)


@h.timeout(60)
def test_redirect_keeps_idn_url_and_sends_ace():
    """A relative Location on an IDN host: both requests carry the ACE
    Host, the effective URL is the UTF-8 one (curl test 2046's case)."""
    def script(n):
        if n % 2 == 1:
            return [h.send(b"HTTP/1.1 302 Found\r\nLocation: ./next\r\n"
                           b"Content-Length: 0\r\nConnection: close\r\n\r\n")]
        return OK
    srv = h.ScriptedServer(script)
    url = f"http://www.\u00e5\u00e4\u00f6.se:{srv.port}/first"
    ours, ref = _both(url, "--setlocale", "--follow", *_connect_to(srv.port))
    assert ours["curlcode"] == ref["curlcode"] == 0, (ours, ref)
    assert ours["redirect_count"] == ref["redirect_count"] == 1
    hosts = [_header(r, "Host") for r in srv.requests]
    assert hosts == [f"www.xn--4cab6c.se:{srv.port}"] * 4, hosts
    lines = [r.split(b"\r\n", 1)[0] for r in srv.requests]
    assert lines == [b"GET /first HTTP/1.1", b"GET /next HTTP/1.1"] * 2
    want = f"http://www.\u00e5\u00e4\u00f6.se:{srv.port}/next"
    assert _text(ours["effective_url"]) == want, ours
    assert ours["effective_url"] == ref["effective_url"], ref


@h.timeout(60)
def test_plain_proxy_gets_ace_target():
    srv = h.ScriptedServer(OK)
    url = "http://Stra\u00dfe.de/page?q=1"
    ours, ref = _both(url, "--setlocale", "--opt", "PROXY",
                      f"http://127.0.0.1:{srv.port}")
    assert ours["curlcode"] == ref["curlcode"] == 0, (ours, ref)
    lines = [r.split(b"\r\n", 1)[0] for r in srv.requests]
    assert lines == [b"GET http://xn--strae-oqa.de/page?q=1 HTTP/1.1"] * 2
    assert [_header(r, "Host") for r in srv.requests] == \
        ["xn--strae-oqa.de"] * 2


class SniServer(h.ScriptedServer):
    """TLS on 127.0.0.1 that records each handshake's server name and
    answers one HTTP/1.1 request with 200 (ScriptedServer's accept loop
    and cleanup, a TLS connection handler)."""

    def __init__(self):
        certs = h.Certs()
        self.names = []
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(str(certs.server_cert),
                                 str(certs.server_key))
        self.ctx.sni_callback = lambda sock, name, ctx: \
            self.names.append(name)
        super().__init__(OK, read_request=False)

    def _serve(self, conn, n):
        try:
            conn.settimeout(10)
            with self.ctx.wrap_socket(conn, server_side=True) as tls:
                if h.recv_head(tls)[0] is None:
                    return
                tls.sendall(OK[0][1])
        except (OSError, ssl.SSLError):
            pass


@h.timeout(60)
def test_sni_is_ace_like_libcurl():
    srv = SniServer()
    url = f"https://WWW.\u00c5\u00c4\u00d6.se:{srv.port}/"
    ours, ref = _both(url, "--setlocale", *_connect_to(srv.port),
                      "--opt", "SSL_VERIFYPEER", "0",
                      "--opt", "SSL_VERIFYHOST", "0")
    assert ours["curlcode"] == ref["curlcode"] == 0, (ours, ref)
    assert srv.names == ["www.xn--4cab6c.se"] * 2, srv.names


@h.timeout(60)
def test_names_without_ace_form_fail_like_libcurl():
    srv = h.ScriptedServer(OK)
    for name in BAD_NAMES:
        ours, ref = _both(f"http://{name}:{srv.port}/", "--setlocale",
                          *_connect_to(srv.port))
        assert ours["curlcode"] == ref["curlcode"] == 3, (name, ours, ref)
        assert ours["error"] == "URL using bad/illegal format or missing URL"
    assert srv.connections == 0


@h.timeout(60)
def test_c_locale_has_no_idn_like_libcurl():
    """libidn2 reads the name in the locale's charset: a program that never
    called setlocale() runs in "C", where the UTF-8 bytes are no text."""
    srv = h.ScriptedServer(OK)
    url = f"http://www.\u00e5\u00e4\u00f6.se:{srv.port}/"
    ours, ref = _both(url, *_connect_to(srv.port))
    assert ours["curlcode"] == ref["curlcode"] == 3, (ours, ref)
    ours, ref = _both(url, *_connect_to(srv.port), env={"LC_ALL": "C"})
    assert ours["curlcode"] == ref["curlcode"] == 3, (ours, ref)
    assert srv.connections == 0


@h.timeout(60)
def test_verbose_names_the_host_as_written_like_libcurl():
    """libcurl logs the connection with the name as given (its dispname)
    while DNS and the request use the ACE form. CURLOPT_RESOLVE names the
    ACE form (as curl test 1448 does); the CONNECT_TO run first makes sure
    that is the name asked for, so nothing is looked up for real."""
    srv = h.ScriptedServer(OK)
    name = "WWW.\u00c5\u00c4\u00d6.se"
    url = f"http://{name}:{srv.port}/"
    ours, ref = _both(url, "--setlocale", *_connect_to(srv.port))
    hosts = [_header(r, "Host") for r in srv.requests]
    assert hosts == [f"www.xn--4cab6c.se:{srv.port}"] * 2, hosts
    ref_env = dict(h.reference_libcurl_env(h.fetch_binary()))
    ref_env.update(UTF8)
    for env in (UTF8, ref_env):
        res, cp = h.fetch(url, "--setlocale", "--verbose", "--opt", "RESOLVE",
                          f"www.xn--4cab6c.se:{srv.port}:127.0.0.1", env=env)
        assert res and res[0]["curlcode"] == 0, (res, cp.stderr[-2000:])
        err = cp.stderr.decode("utf-8", "replace")
        assert f"Connected to {name} (127.0.0.1) port {srv.port}" in err, err

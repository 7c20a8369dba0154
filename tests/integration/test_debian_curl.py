"""Debian's /usr/bin/curl (7.88) running on curlium instead of its libcurl.

Every check runs twice: with LD_LIBRARY_PATH=<build>/compat (the loader
resolves libcurl.so.4 to ours) and with LD_PRELOAD=<build>/compat/
libcurl.so.4 (ours is mapped first and satisfies the DT_NEEDED). Before
anything else each test proves curlium is the libcurl in use: ldd under
the same environment names our file, and `curl -V` (whose "libcurl/..."
part comes from curl_version()) mentions BoringSSL.

Servers: Nginx (static files, redirects, TLS with the test CA, /echo via
the EchoServer backend) and, for POST and connection reuse, an EchoServer
contacted directly so its connection count is the client's.
"""

import re

import harness as h

CURL = "/usr/bin/curl"
MODES = ("ldpath", "preload")


def curl_env(mode):
    """Environment that swaps curlium in, after checking that it does."""
    h.require_build()
    lib = h.libcurl_path()
    if mode == "ldpath":
        env = {"LD_LIBRARY_PATH": str(h.compat_dir())}
    else:
        env = {"LD_PRELOAD": str(lib)}
    h.assert_same_file(h.resolved_lib(CURL, "libcurl.so.4", env), lib,
                       f"libcurl.so.4 for {CURL} ({mode})")
    cp = h.run([CURL, "-V"], env=env)
    first = cp.stdout.decode(errors="replace").splitlines()[:1]
    assert cp.returncode == 0, f"curl -V failed: {cp.stderr!r}"
    if not h.reference_mode():
        assert first and "BoringSSL" in first[0], \
            f"curl -V does not show curlium (BoringSSL): {first}"
    return env


def curl(env, *args, timeout=30):
    """Runs the curl tool (-q: no ~/.curlrc) and returns CompletedProcess."""
    return h.run([CURL, "-q", *[str(a) for a in args]], env=env,
                 timeout=timeout)


def text(b):
    return b.decode(errors="replace")


INFO = "\n@@info@@ "


def split_info(out):
    """Splits curl's stdout into (body, -w text) at the INFO marker."""
    body, sep, info = out.rpartition(INFO.encode())
    assert sep, f"no -w output in {out[-200:]!r}"
    return body, text(info)


def check_loads_curlium(mode):
    env = curl_env(mode)
    # curl -V must still list http and https among the protocols
    cp = h.run([CURL, "-V"], env=env)
    protos = re.search(r"(?m)^Protocols: (.*)$", text(cp.stdout))
    assert protos, text(cp.stdout)
    assert {"http", "https"} <= set(protos.group(1).split()), protos.group(1)


def check_get_page(mode):
    env = curl_env(mode)
    ngx = h.Nginx()
    cp = curl(env, "-sS", ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"], cp.stdout
    # the 1 MiB file, on stdout, byte for byte
    cp = curl(env, "-sS", ngx.url("/1m.bin"))
    assert cp.returncode == 0, text(cp.stderr)
    assert h.sha256(cp.stdout) == h.sha256(ngx.files["1m.bin"]), \
        f"1 MiB body differs: got {len(cp.stdout)} bytes"
    # an empty file is a success with an empty body
    cp = curl(env, "-sS", "-w", "%{http_code} %{size_download}",
              ngx.url("/empty.txt"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"200 0", cp.stdout


def check_https_get(mode):
    env = curl_env(mode)
    ngx = h.Nginx()
    for host in ("localhost", "127.0.0.1"):  # DNS SAN and IP SAN
        cp = curl(env, "-sS", "--cacert", ngx.certs.ca_cert, "-w",
                  INFO + "%{http_code} %{ssl_verify_result} %{http_version}",
                  ngx.url("/index.html", "https", host))
        assert cp.returncode == 0, f"{host}: {text(cp.stderr)}"
        body, info = split_info(cp.stdout)
        assert body == ngx.files["index.html"], cp.stdout
        assert info == "200 0 1.1", f"{host}: {info}"


def check_https_h2(mode):
    env = curl_env(mode)
    # Runs once the library reports HTTP/2; until then `curl --http2` has
    # nothing to negotiate with (the HTTP/2 transport is a later issue).
    features = text(curl(env, "-V").stdout)
    if not re.search(r"(?m)^Features:.*\bHTTP2\b", features):
        raise h.SkipTest("library does not report the HTTP2 feature yet")
    ngx = h.Nginx()
    out = h.tempdir() / "body"
    cp = curl(env, "-sS", "--http2", "--cacert", ngx.certs.ca_cert,
              "-o", out, "-w", "%{http_code} %{http_version}",
              ngx.url("/1m.bin", "h2", "localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"200 2", cp.stdout
    assert out.read_bytes() == ngx.files["1m.bin"]


def check_follow_redirects(mode):
    env = curl_env(mode)
    ngx = h.Nginx()
    cp = curl(env, "-sS", "-L", "-w",
              INFO + "%{num_redirects} %{http_code} %{url_effective}",
              ngx.url("/chain/1"))
    assert cp.returncode == 0, text(cp.stderr)
    body, info = split_info(cp.stdout)
    assert body == ngx.files["index.html"], cp.stdout
    assert info == f"3 200 {ngx.url('/index.html')}", info
    got = [l.split('"')[1] for l in ngx.access_lines(at_least=4)]
    assert got == ["GET /chain/1 HTTP/1.1", "GET /chain/2 HTTP/1.1",
                   "GET /chain/3 HTTP/1.1", "GET /index.html HTTP/1.1"], got
    # without -L the 302 itself is the result
    cp = curl(env, "-sS", "-o", "/dev/null", "-w",
              "%{http_code} %{redirect_url}", ngx.url("/chain/1"))
    assert text(cp.stdout) == f"302 {ngx.url('/chain/2')}", cp.stdout


def check_post(mode):
    env = curl_env(mode)
    echo = h.EchoServer()
    cp = curl(env, "-sS", "-d", "a=1&b=2", echo.url("/echo"))
    assert cp.returncode == 0, text(cp.stderr)
    assert len(echo.requests) == 1, echo.requests
    req = echo.requests[0]
    assert req["method"] == "POST", req
    assert req["body"] == "a=1&b=2", req
    hdrs = {k.lower(): v for k, v in req["headers"]}
    assert hdrs.get("content-type") == "application/x-www-form-urlencoded", hdrs
    assert hdrs.get("content-length") == "7", hdrs
    # what curl printed is what the server sent back
    import json
    assert json.loads(cp.stdout)["body"] == "a=1&b=2"


def check_post_chunked(mode):
    env = curl_env(mode)
    echo = h.EchoServer()
    data = h._pseudo_random(100 * 1024)
    f = h.tempdir() / "upload.bin"
    f.write_bytes(data)
    cp = curl(env, "-sS", "-o", "/dev/null", "-H",
              "Transfer-Encoding: chunked", "--data-binary", f"@{f}",
              echo.url("/echo/chunked-upload"))
    assert cp.returncode == 0, text(cp.stderr)
    req = echo.requests[0]
    assert req["chunked"], "request body was not chunked"
    import base64
    assert base64.b64decode(req["body_b64"]) == data, \
        f"server got {req['body_len']} bytes, sent {len(data)}"


def check_chunked_response(mode):
    env = curl_env(mode)
    ngx = h.Nginx()
    want = h.EchoServer.chunked_body(7, 3000)
    # straight from the Python backend, and re-chunked by nginx
    for url in (ngx.backend.url("/chunked?n=7&size=3000"),
                ngx.url("/chunked?n=7&size=3000")):
        cp = curl(env, "-sS", "-D", "-", url)
        assert cp.returncode == 0, text(cp.stderr)
        head, _, body = cp.stdout.partition(b"\r\n\r\n")
        assert re.search(rb"(?im)^transfer-encoding: chunked", head), head
        assert body == want, f"{url}: {len(body)} bytes, want {len(want)}"


def check_head(mode):
    env = curl_env(mode)
    ngx = h.Nginx()
    cp = curl(env, "-sS", "-I", ngx.url("/1m.bin"))
    assert cp.returncode == 0, text(cp.stderr)
    out = text(cp.stdout)
    assert out.startswith("HTTP/1.1 200 OK\r\n"), out
    assert re.search(r"(?im)^content-length: 1048576\r$", out), out
    assert out.endswith("\r\n\r\n") and len(cp.stdout) < 1000, \
        "HEAD output has a body"
    lines = ngx.access_lines(at_least=1)
    assert any('"HEAD /1m.bin HTTP/1.1" 200' in l for l in lines), lines


def check_verbose(mode):
    env = curl_env(mode)
    ngx = h.Nginx()
    cp = curl(env, "-sS", "-v", ngx.url("/"))
    assert cp.returncode == 0, text(cp.stderr)
    err = text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"]
    for want in ("> GET / HTTP/1.1", "< HTTP/1.1 200 OK",
                 f"* Connected to 127.0.0.1 (127.0.0.1) port {ngx.http_port}",
                 f"> Host: 127.0.0.1:{ngx.http_port}"):
        assert want in err, f"{want!r} not in -v output:\n{err}"


def check_wrong_ca(mode):
    env = curl_env(mode)
    ngx = h.Nginx()
    cp = curl(env, "-sS", "--cacert", ngx.certs.other_ca_cert,
              ngx.url("/index.html", "https", "localhost"))
    assert cp.returncode == 60, (cp.returncode, text(cp.stderr))
    assert "SSL certificate problem" in text(cp.stderr), text(cp.stderr)
    assert cp.stdout == b""
    # nginx saw no request: the handshake failed before any HTTP
    lines = ngx.access_lines(wait_s=0.3)
    assert not lines, lines


def check_output_file(mode):
    env = curl_env(mode)
    ngx = h.Nginx()
    out = h.tempdir() / "downloaded.bin"
    cp = curl(env, "-sS", "-o", out, "-w", "%{size_download}",
              ngx.url("/1m.bin"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"1048576", cp.stdout
    assert out.read_bytes() == ngx.files["1m.bin"], "file differs"


def check_connection_reuse(mode):
    env = curl_env(mode)
    echo = h.EchoServer()
    cp = curl(env, "-sS", "-v", echo.url("/echo/a"), echo.url("/echo/b"))
    assert cp.returncode == 0, text(cp.stderr)
    assert [r["path"] for r in echo.requests] == ["/echo/a", "/echo/b"], \
        echo.requests
    assert echo.connections == 1, \
        f"server saw {echo.connections} connections for 2 requests"
    assert [r["request_on_connection"] for r in echo.requests] == [1, 2]
    err = text(cp.stderr)
    # 8.x: "Re-using existing http: connection with host ..."
    # 7.88: "Re-using existing connection #0 with host ..."
    assert re.search(r"Re-using existing (\w+: )?connection", err), err


def check_refused(mode):
    env = curl_env(mode)
    port = h.refused_port()
    cp = curl(env, "-sS", f"http://127.0.0.1:{port}/")
    assert cp.returncode == 7, (cp.returncode, text(cp.stderr))
    assert f"127.0.0.1 port {port}" in text(cp.stderr), text(cp.stderr)


def check_unresolvable(mode):
    env = curl_env(mode)
    cp = curl(env, "-sS", "http://nonexistent.invalid/", timeout=60)
    assert cp.returncode == 6, (cp.returncode, text(cp.stderr))
    assert "nonexistent.invalid" in text(cp.stderr), text(cp.stderr)


def check_unknown_scheme(mode):
    env = curl_env(mode)
    cp = curl(env, "-sS", "foo://x")
    assert cp.returncode == 1, (cp.returncode, text(cp.stderr))
    assert re.search(r'Protocol "foo" not supported', text(cp.stderr)), \
        text(cp.stderr)


def _make(check, mode):
    def test():
        check(mode)
    test.__name__ = f"test_{check.__name__[len('check_'):]}_{mode}"
    test.__module__ = __name__
    return test


for _mode in MODES:
    for _name, _check in list(globals().items()):
        if _name.startswith("check_"):
            _t = _make(_check, _mode)
            globals()[_t.__name__] = _t

"""HTTP/2 on curlium: ALPN-negotiated h2 against nginx (`http2 on`),
prior-knowledge h2c against Debian's nghttpd (package nghttp2-server),
multiplexing many transfers of one multi handle over one connection
(clients/h2_multi.c; counted with nginx's connection serial numbers, with
the number of nghttpd sessions that saw a request, and with
CURLINFO_NUM_CONNECTS), the stream limit, flow control on big bodies both
ways, and the curl tool's --http2 / --parallel / -I / -d / -v.

Servers: Nginx (static files, /echo through the EchoServer backend, TLS
with the test CA, access log with conn=<serial>), Nghttpd (below)."""

import re
import subprocess

import harness as h

CURL = "/usr/bin/curl"


def lib_env():
    h.require_build()
    return {"LD_LIBRARY_PATH": str(h.compat_dir())}


def curl(*args, timeout=30):
    return h.run([CURL, "-q", *[str(a) for a in args]], env=lib_env(),
                 timeout=timeout)


def text(b):
    return b.decode(errors="replace")


def h2_multi(n, url, *opts, valgrind=False, timeout=120):
    exe = h.client_binary("h2_multi")
    cmd = [str(exe), str(n), url, *[str(o) for o in opts]]
    if valgrind:
        h.require_tool("valgrind")
        cmd = ["valgrind", "--leak-check=full", "--error-exitcode=99",
               "--errors-for-leak-kinds=definite,indirect", "-q", *cmd]
    cp = h.run(cmd, env=lib_env(), timeout=timeout)
    out = text(cp.stdout).strip().splitlines()
    assert cp.returncode == 0, (cp.returncode, out, text(cp.stderr)[-3000:])
    import json
    return json.loads(out[-1])


def body_sum(data):
    """The checksum h2_multi computes: s = s * 31 + byte, mod 2**64."""
    s = 0
    for b in data:
        s = (s * 31 + b) & 0xFFFFFFFFFFFFFFFF
    return s


def nginx_connections(ngx, n):
    lines = ngx.access_lines(at_least=n)
    conns = set()
    for line in lines:
        m = re.search(r"\bconn=(\d+)", line)
        assert m, f"access log line without conn=: {line}"
        conns.add(m.group(1))
    return lines, conns


class Nghttpd:
    """nghttpd --no-tls (HTTP/2 with prior knowledge) on 127.0.0.1 serving
    a temp docroot (`small.txt`, `256k.bin`), verbose frame log in a file.
    |extra| are more nghttpd options. Stopped by pid at cleanup."""

    def __init__(self, extra=()):
        h.require_tool("nghttpd")
        self.dir = h.tempdir("curlium-nghttpd-")
        self.docroot = self.dir / "htdocs"
        self.docroot.mkdir()
        self.files = {
            "small.txt": b"hello from nghttpd\n",
            "256k.bin": bytes((i * 7 + (i >> 8)) & 0xFF
                              for i in range(256 * 1024)),
        }
        for name, data in self.files.items():
            (self.docroot / name).write_bytes(data)
        self.port = h.free_port()
        self.log = self.dir / "nghttpd.log"
        self.proc = subprocess.Popen(
            ["nghttpd", "--no-tls", "-v", "-a", "127.0.0.1", "-d",
             str(self.docroot), *extra, str(self.port)],
            stdin=subprocess.DEVNULL, stdout=open(self.log, "wb"),
            stderr=subprocess.STDOUT)
        h.on_cleanup(self.stop)
        h.wait_port(self.port, proc=self.proc, what="nghttpd")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def sessions_with_requests(self):
        """Ids of the sessions (connections) that received request
        HEADERS."""
        log = self.log.read_text(errors="replace")
        return set(re.findall(r"\[id=(\d+)\] \[[ 0-9.]+\] recv HEADERS",
                              log))

    def stop(self):
        if self.proc.poll() is None:
            h.stop_pid(self.proc.pid)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- the curl tool over h2 (ALPN) --------------------------------------------


def test_curl_http2_verbose_and_http_version():
    ngx = h.Nginx()
    cp = curl("-sv", "--http2", "--cacert", ngx.certs.ca_cert, "-o",
              "/dev/null", "-w", "%{http_version} %{http_code}",
              ngx.url("/index.html", "h2", "localhost"))
    err = text(cp.stderr)
    assert cp.returncode == 0, err
    assert text(cp.stdout) == "2 200", cp.stdout
    for want in ("ALPN: curl offers h2,http/1.1", "ALPN: server accepted h2",
                 "using HTTP/2",
                 "[HTTP/2] [1] OPENED stream for https://localhost:",
                 "[HTTP/2] [1] [:method: GET]",
                 "[HTTP/2] [1] [:scheme: https]",
                 "[HTTP/2] [1] [:path: /index.html]",
                 "> GET /index.html HTTP/2", "< HTTP/2 200",
                 "< content-type: text/html"):
        assert want in err, f"{want!r} not in -v output:\n{err}"
    # pseudo-headers in libcurl's order: method, scheme, authority, path
    order = [m.group(1) for m in
             re.finditer(r"\[HTTP/2\] \[1\] \[(:[a-z]+):", err)]
    assert order == [":method", ":scheme", ":authority", ":path"], order


def test_curl_http11_keeps_h2_out_of_alpn():
    ngx = h.Nginx()
    cp = curl("-sv", "--http1.1", "--cacert", ngx.certs.ca_cert, "-o",
              "/dev/null", "-w", "%{http_version}",
              ngx.url("/index.html", "h2", "localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    assert text(cp.stdout) == "1.1"
    assert "ALPN: curl offers http/1.1" in text(cp.stderr)


def test_curl_head_and_header_lines_over_h2():
    ngx = h.Nginx()
    cp = curl("-sI", "--cacert", ngx.certs.ca_cert,
              ngx.url("/index.html", "h2", "localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    out = text(cp.stdout)
    # libcurl's HTTP/2 header lines: "HTTP/2 200 " and lower-case names
    assert out.startswith("HTTP/2 200 \r\n"), repr(out[:40])
    assert f"\r\ncontent-length: {len(ngx.files['index.html'])}\r\n" in out
    assert out.endswith("\r\n\r\n")
    lines, _ = nginx_connections(ngx, 1)
    assert '"HEAD /index.html HTTP/2.0" 200' in lines[-1], lines


def test_curl_post_over_h2():
    ngx = h.Nginx()
    cp = curl("-s", "--cacert", ngx.certs.ca_cert, "-d", "hello=world",
              ngx.url("/echo", "h2", "localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    import json
    got = json.loads(cp.stdout)
    assert got["body"] == "hello=world", got
    names = [k.lower() for k, _ in got["headers"]]
    assert "content-type" in names and "user-agent" in names, names
    lines, _ = nginx_connections(ngx, 1)
    assert '"POST /echo HTTP/2.0" 200' in lines[-1], lines


def test_curl_parallel_multiplexes():
    ngx = h.Nginx()
    url = ngx.url("/1m.bin", "h2", "localhost")
    args = []
    for _ in range(5):
        args += ["-o", "/dev/null", url]
    cp = curl("-s", "--parallel", "--http2", "--cacert", ngx.certs.ca_cert,
              "-w", "%{http_version} %{size_download} %{num_connects}\n",
              *args, timeout=60)
    assert cp.returncode == 0, text(cp.stderr)
    rows = [l.split() for l in text(cp.stdout).splitlines()]
    assert len(rows) == 5, rows
    assert all(r[0] == "2" and r[1] == str(1 << 20) for r in rows), rows
    assert sum(int(r[2]) for r in rows) == 1, rows
    lines, conns = nginx_connections(ngx, 5)
    assert len(conns) == 1, lines


# --- one multi handle, many transfers ------------------------------------------


def test_multi_many_transfers_one_connection():
    ngx = h.Nginx()
    n = 30
    r = h2_multi(n, ngx.url("/index.html", "h2", "localhost"), "--pipewait",
                 "--cacert", ngx.certs.ca_cert)
    assert r["ok"] == n and r["h2"] == n, r
    assert r["num_connects"] == 1, r
    assert r["bytes"] == [len(ngx.files["index.html"])] * n, r
    lines, conns = nginx_connections(ngx, n)
    assert len(lines) == n and len(conns) == 1, lines
    assert all("HTTP/2.0" in l for l in lines), lines


def test_multi_big_bodies_share_the_connection():
    ngx = h.Nginx()
    n = 6
    r = h2_multi(n, ngx.url("/1m.bin", "h2", "localhost"), "--pipewait",
                 "--cacert", ngx.certs.ca_cert)
    assert r["ok"] == n and r["num_connects"] == 1, r
    want = body_sum(ngx.files["1m.bin"])
    assert r["bytes"] == [1 << 20] * n, r
    assert r["sums"] == [want] * n, r


def test_multi_stream_limit_opens_more_connections():
    ngx = h.Nginx()
    n = 4
    r = h2_multi(n, ngx.url("/1m.bin", "h2", "localhost"), "--pipewait",
                 "--max-streams", 1, "--cacert", ngx.certs.ca_cert)
    assert r["ok"] == n and r["h2"] == n, r
    # at most one stream per connection at a time
    assert r["num_connects"] > 1, r
    _, conns = nginx_connections(ngx, n)
    assert len(conns) == r["num_connects"], (conns, r)


def test_multi_without_multiplexing():
    ngx = h.Nginx()
    n = 3
    r = h2_multi(n, ngx.url("/1m.bin", "h2", "localhost"), "--pipewait",
                 "--no-multiplex", "--cacert", ngx.certs.ca_cert)
    assert r["ok"] == n and r["h2"] == n, r
    assert r["num_connects"] > 1, r


def test_multi_h2_no_leaks_valgrind():
    ngx = h.Nginx()
    r = h2_multi(4, ngx.url("/index.html", "h2", "localhost"), "--pipewait",
                 "--cacert", ngx.certs.ca_cert, valgrind=True, timeout=240)
    assert r["ok"] == 4 and r["num_connects"] == 1, r


# --- prior knowledge (h2c) against nghttpd ---------------------------------------


def test_prior_knowledge_h2c():
    srv = Nghttpd()
    cp = curl("-s", "--http2-prior-knowledge", "-w", "\n%{http_version}",
              srv.url("/small.txt"))
    assert cp.returncode == 0, text(cp.stderr)
    body, _, ver = cp.stdout.rpartition(b"\n")
    assert body == srv.files["small.txt"], body
    assert ver == b"2", ver


def test_prior_knowledge_multiplexing():
    srv = Nghttpd()
    n = 12
    r = h2_multi(n, srv.url("/256k.bin"), "--pk", "--pipewait")
    assert r["ok"] == n and r["h2"] == n, r
    assert r["num_connects"] == 1, r
    assert r["sums"] == [body_sum(srv.files["256k.bin"])] * n, r
    assert len(srv.sessions_with_requests()) == 1, srv.sessions_with_requests()


def test_stream_weight_and_dependency_reach_the_server():
    srv = Nghttpd()
    r = h2_multi(3, srv.url("/256k.bin"), "--pk", "--pipewait",
                 "--weight", "200", "--depends-e")
    assert r["ok"] == 3 and r["h2"] == 3, r
    log = srv.log.read_text(errors="replace")
    heads = re.findall(r"recv HEADERS frame <[^>]*stream_id=(\d+)>\n"
                       r"\s*; END_STREAM \| END_HEADERS \| PRIORITY\n"
                       r"\s*\(padlen=0, dep_stream_id=(\d+), weight=(\d+), "
                       r"exclusive=(\d)\)", log)
    assert len(heads) == 3, log[-3000:]
    first, *rest = sorted(heads, key=lambda x: int(x[0]))
    assert first[2] == "200", first  # CURLOPT_STREAM_WEIGHT
    for sid, dep, weight, excl in rest:
        # CURLOPT_STREAM_DEPENDS_E on the first transfer's stream
        assert (dep, weight, excl) == (first[0], "200", "1"), heads


def test_prior_knowledge_upload_in_a_small_window():
    # -w 12: the server's stream windows are 4096 bytes, so the upload has
    # to wait for WINDOW_UPDATEs all along.
    srv = Nghttpd(["--echo-upload", "-w", "12"])
    data = bytes((i * 13) & 0xFF for i in range(200_000))
    f = srv.dir / "up.bin"
    f.write_bytes(data)
    cp = curl("-s", "--http2-prior-knowledge", "--data-binary", f"@{f}",
              srv.url("/echo"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == data, len(cp.stdout)


# --- servers that misbehave (raw frames after the prior-knowledge preface) ----


def frame(ftype, flags, stream, payload=b""):
    return (len(payload).to_bytes(3, "big") + bytes([ftype, flags]) +
            stream.to_bytes(4, "big") + payload)


SETTINGS = frame(4, 0, 0)
RST_INTERNAL_ERROR_1 = frame(3, 0, 1, (2).to_bytes(4, "big"))


def test_rst_stream_is_curle_http2_stream():
    # (the pause lets the request HEADERS arrive first: a reset of a stream
    # the server has not seen yet would be a connection error)
    srv = h.ScriptedServer([h.pause(0.3),
                            h.send(SETTINGS + RST_INTERNAL_ERROR_1),
                            h.pause(1), h.close()])
    cp = curl("-sS", "--http2-prior-knowledge", srv.url("/"))
    assert cp.returncode == 92, (cp.returncode, text(cp.stderr))
    assert ("HTTP/2 stream 1 was not closed cleanly: INTERNAL_ERROR (err 2)"
            in text(cp.stderr)), text(cp.stderr)


def test_protocol_error_is_curle_http2():
    # DATA on stream 0 is a connection error
    srv = h.ScriptedServer([h.send(SETTINGS + frame(0, 0, 0, b"abcd")),
                            h.pause(1), h.close()])
    cp = curl("-sS", "--http2-prior-knowledge", srv.url("/"))
    assert cp.returncode == 16, (cp.returncode, text(cp.stderr))


def test_http1_answer_to_prior_knowledge_is_curle_http2():
    srv = h.ScriptedServer([h.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2"
                                   b"\r\n\r\nok"), h.pause(1), h.close()])
    cp = curl("-sS", "--http2-prior-knowledge", srv.url("/"))
    assert cp.returncode == 16, (cp.returncode, text(cp.stderr))


def test_connection_closed_mid_stream_is_curle_http2():
    srv = h.ScriptedServer([h.send(SETTINGS), h.pause(0.2), h.close()])
    cp = curl("-sS", "--http2-prior-knowledge", srv.url("/"))
    assert cp.returncode == 16, (cp.returncode, text(cp.stderr))


def test_bad_h2_servers_no_leaks_valgrind():
    for steps, want in (
            ([h.pause(1), h.send(SETTINGS + RST_INTERNAL_ERROR_1),
              h.pause(1)], 92),
            ([h.send(SETTINGS + frame(0, 0, 0, b"abcd")), h.pause(1)], 16)):
        srv = h.ScriptedServer(steps + [h.close()])
        r = h2_multi(1, srv.url("/"), "--pk", valgrind=True, timeout=120)
        assert r["codes"] == [want], r

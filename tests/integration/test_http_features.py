"""HTTP features of libcurl's documentation, through Debian's curl tool on
curlium: Expect: 100-continue (threshold, 100, 417 retry, timeout, an
early error answer stopping the upload), time conditions (-z: the header,
304, the simulated 304, CURLINFO_CONDITION_UNMET) and CURLOPT_FILETIME
(-R), resumed uploads (Content-Range) and downloads (416 on a complete
file), chunked response trailers, and h2c (Upgrade from HTTP/1.1 through
nghttpx, then the HTTP/2 session reused).

Servers: a scripted HTTP/1.1 server per test (Python, below) that records
what arrived; nghttpx (package nghttp2-proxy) in front of it for h2c."""

import email.utils
import os
import socket
import subprocess
import threading
import time

import harness as h

CURL = "/usr/bin/curl"
BIG = 1024 * 1024 + 1  # one byte over libcurl's 100-continue threshold


def curl(*args, timeout=30):
    h.require_build()
    env = {"LD_LIBRARY_PATH": str(h.compat_dir())}
    return h.run([CURL, "-q", *[str(a) for a in args]], env=env,
                 timeout=timeout)


def text(b):
    return b.decode(errors="replace")


class Server:
    """HTTP/1.1 on 127.0.0.1 answering each request with |answer(req)|,
    where req has method, path, headers (dict, lower-case names), body and
    conn (accepted connection number). |answer| returns (head_bytes,
    body_bytes) or None to close. With expect=... the server replies to
    "Expect: 100-continue" itself: "100" sends 100 Continue, "ignore"
    waits for the body silently, "417"/"413" answers at once without
    reading the body (and then reads what arrives for 0.5 s, counted in
    req['late_bytes'])."""

    def __init__(self, answer, expect="100"):
        self.answer = answer
        self.expect = expect
        self.requests = []
        self.conns = 0
        self.sock = socket.socket()
        self.sock.bind((h.LOOPBACK, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()
        h.on_cleanup(self.stop)

    def url(self, path="/"):
        return f"http://{h.LOOPBACK}:{self.port}{path}"

    def stop(self):
        self.stopped = True
        self.sock.close()

    def _accept(self):
        while not self.stopped:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns += 1
            threading.Thread(target=self._serve, args=(c, self.conns),
                             daemon=True).start()

    @staticmethod
    def _read_until(c, buf, marker):
        while marker not in buf:
            d = c.recv(65536)
            if not d:
                return buf, False
            buf += d
        return buf, True

    def _read_body(self, c, buf, req):
        hd = req["headers"]
        if "content-length" in hd:
            n = int(hd["content-length"])
            while len(buf) < n:
                d = c.recv(65536)
                if not d:
                    break
                buf += d
            return buf[:n], buf[n:]
        if "chunked" in hd.get("transfer-encoding", ""):
            body = b""
            while True:
                buf, ok = self._read_until(c, buf, b"\r\n")
                line, _, buf = buf.partition(b"\r\n")
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    buf, ok = self._read_until(c, buf, b"\r\n\r\n") \
                        if not buf.startswith(b"\r\n") else (buf, True)
                    trailer, _, buf = buf.partition(b"\r\n\r\n") \
                        if not buf.startswith(b"\r\n") else (b"", b"", buf[2:])
                    req["trailer"] = trailer
                    return body, buf
                while len(buf) < size + 2:
                    buf += c.recv(65536)
                body += buf[:size]
                buf = buf[size + 2:]
        return b"", buf

    def _serve(self, c, conn):
        buf = b""
        with c:
            while True:
                buf, ok = self._read_until(c, buf, b"\r\n\r\n")
                if not ok:
                    return
                head, _, buf = buf.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                hd = {}
                for line in lines[1:]:
                    k, _, v = line.partition(":")
                    hd[k.strip().lower()] = v.strip()
                req = {"method": method, "path": path, "headers": hd,
                       "conn": conn, "head": head}
                self.requests.append(req)
                expect = "100-continue" in hd.get("expect", "").lower()
                if expect and self.expect in ("417", "413"):
                    reason = {"417": "Expectation Failed",
                              "413": "Too Large"}[self.expect]
                    c.sendall(f"HTTP/1.1 {self.expect} {reason}\r\n"
                              "Content-Length: 0\r\n\r\n".encode())
                    self.expect = "100"  # the next attempt goes through
                    if reason == "Expectation Failed":
                        continue  # the connection stays usable
                    c.settimeout(0.5)
                    late = len(buf)
                    try:
                        while True:
                            d = c.recv(65536)
                            if not d:
                                break
                            late += len(d)
                    except OSError:
                        pass
                    req["late_bytes"] = late
                    return
                if expect and self.expect == "100":
                    c.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                req["body"], buf = self._read_body(c, buf, req)
                out = self.answer(req)
                if out is None:
                    return
                c.sendall(out[0] + out[1])


def ok_answer(req):
    body = b"got %d\n" % len(req.get("body", b""))
    return (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body),
            body)


def upload_file(size):
    d = h.tempdir()
    p = d / "up.bin"
    p.write_bytes(bytes(i % 251 for i in range(size)))
    return p


# --- Expect: 100-continue ---------------------------------------------------


def test_expect_100_continue_above_the_threshold_only():
    srv = Server(ok_answer)
    big = upload_file(BIG)
    cp = curl("-sS", "-T", big, srv.url("/big"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"got %d\n" % BIG, cp.stdout
    assert srv.requests[0]["headers"].get("expect") == "100-continue"
    small = upload_file(BIG - 1)
    cp = curl("-sS", "-T", small, srv.url("/small"))
    assert cp.returncode == 0, text(cp.stderr)
    assert "expect" not in srv.requests[1]["headers"], srv.requests[1]
    # -H "Expect:" turns it off.
    cp = curl("-sS", "-H", "Expect:", "-T", big, srv.url("/off"))
    assert cp.returncode == 0 and "expect" not in srv.requests[2]["headers"]


def test_expect_417_is_retried_without_expect():
    srv = Server(ok_answer, expect="417")
    big = upload_file(BIG)
    cp = curl("-sS", "-T", big, "-w", "%{http_code}", srv.url("/417"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"got %d\n200" % BIG, cp.stdout
    assert len(srv.requests) == 2, srv.requests
    # The body was held back: the next bytes on the connection are the
    # retried request, which does not ask again.
    assert srv.requests[1]["method"] == "PUT", srv.requests[1]
    assert srv.requests[1]["conn"] == srv.requests[0]["conn"]
    assert "expect" not in srv.requests[1]["headers"]


def test_expect_error_answer_stops_the_upload():
    srv = Server(ok_answer, expect="413")
    big = upload_file(4 * BIG)
    cp = curl("-sS", "-T", big, "-w", "%{http_code}", srv.url("/413"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"413", cp.stdout
    assert len(srv.requests) == 1
    # The server counts what arrives for 0.5 s after its answer; the client
    # may exit before that count is written.
    deadline = time.monotonic() + 10
    while "late_bytes" not in srv.requests[0] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.requests[0]["late_bytes"] == 0, srv.requests[0]["late_bytes"]


def test_early_error_answer_stops_the_upload_without_expect():
    """No Expect: the body goes out at once. The server answers 413 after
    the head and never reads the body; the client sees the answer while it
    sends (libcurl reads while it sends), stops, and reports the 413 instead
    of blocking on a full socket until the server gives up."""
    lsock = socket.socket()
    lsock.bind((h.LOOPBACK, 0))
    lsock.listen(1)
    h.on_cleanup(lsock.close)
    served = threading.Event()

    def serve():
        c, _ = lsock.accept()
        with c:
            h.recv_head(c)
            c.sendall(b"HTTP/1.1 413 Too Large\r\nContent-Length: 4\r\n"
                      b"\r\nnope")
            # Hold the connection without reading: a client that only
            # writes stays blocked until this ends.
            served.wait(15)
    threading.Thread(target=serve, daemon=True).start()
    big = upload_file(32 * 1024 * 1024)
    cp = curl("-sS", "-v", "-H", "Expect:", "-T", big, "-w", "%{http_code}",
              f"http://{h.LOOPBACK}:{lsock.getsockname()[1]}/up")
    served.set()
    err = text(cp.stderr)
    assert cp.returncode == 0, err[-2000:]
    assert cp.stdout == b"nope413", cp.stdout
    assert "HTTP error before end of send, stop sending" in err, err[-2000:]


def test_early_success_answer_arrives_while_the_body_goes_on():
    """The server answers 200 as soon as it has the head and only then
    reads the body. libcurl hands the answer out while it keeps sending
    (a program may hold its upload until it saw the answer: curl test
    1533); the transfer ends once both are done, and the connection,
    with the whole body sent, serves the next upload."""
    lsock = socket.socket()
    lsock.bind((h.LOOPBACK, 0))
    lsock.listen(1)
    h.on_cleanup(lsock.close)
    got = []

    def serve():
        c, _ = lsock.accept()
        with c:
            buf = b""
            for n in (1, 2):
                head, buf = h.recv_head(c, buf)
                if head is None:
                    return
                length = h.content_length(head)
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n"
                          b"ok%d" % n)
                buf = h.recv_at_least(c, buf, length)
                got.append(len(buf[:length]))
                buf = buf[length:]
    server = threading.Thread(target=serve, daemon=True)
    server.start()
    big = upload_file(8 * 1024 * 1024)
    url = f"http://{h.LOOPBACK}:{lsock.getsockname()[1]}"
    cp = curl("-sS", "-v", "-H", "Expect:", "-w", " %{num_connects}\n",
              "-T", big, f"{url}/a", "-T", big, f"{url}/b")
    err = text(cp.stderr)
    assert cp.returncode == 0, err[-2000:]
    assert cp.stdout == b"ok1 1\nok2 0\n", cp.stdout
    server.join(10)  # the last bytes may still be in the server's socket
    assert got == [8 * 1024 * 1024] * 2, got
    assert "Response arrived while the body is sent, keep sending" in err, \
        err[-2000:]


def test_small_in_memory_body_goes_out_with_the_head():
    """libcurl sends the head and the start of a POSTFIELDS body from one
    buffer, and Chrome a small body in the head's write: one write
    system call carries both (seen with strace). A read callback's body
    still follows the head (the program may wait for an answer first)."""
    h.require_tool("strace")
    srv = Server(ok_answer)
    d = h.tempdir()
    trace = d / "trace"
    cp = h.run(["strace", "-f", "-qq", "-e", "trace=write,sendto,sendmsg",
                "-s", "4096", "-o", str(trace), CURL, "-q", "-sS",
                "-d", "hello=world", srv.url("/t")],
               env={"LD_LIBRARY_PATH": str(h.compat_dir())})
    assert cp.returncode == 0, text(cp.stderr)
    calls = [l for l in trace.read_text().splitlines() if "POST /t" in l]
    assert len(calls) == 1, calls
    assert "\\r\\n\\r\\nhello=world\"" in calls[0], calls[0]


def test_expect_timeout_sends_the_body():
    srv = Server(ok_answer, expect="ignore")
    big = upload_file(BIG)
    t0 = time.monotonic()
    cp = curl("-sS", "--expect100-timeout", "0.3", "-T", big, srv.url("/t"))
    took = time.monotonic() - t0
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"got %d\n" % BIG, cp.stdout
    assert took >= 0.25, took  # it did wait for the 100 first


# --- time conditions, filetime ---------------------------------------------

OLD = "Sun, 06 Nov 1994 08:49:37 GMT"
OLD_T = 784111777


def modified_answer(req):
    ims = req["headers"].get("if-modified-since")
    if ims and email.utils.parsedate_to_datetime(ims).timestamp() >= OLD_T:
        return (b"HTTP/1.1 304 Not Modified\r\n\r\n", b"")
    body = b"fresh\n"
    return (b"HTTP/1.1 200 OK\r\nLast-Modified: " + OLD.encode() +
            b"\r\nContent-Length: 6\r\n\r\n", body)


def test_time_condition_and_304():
    srv = Server(modified_answer)
    cp = curl("-sS", "-z", "Mon, 01 Jan 2001 00:00:00 GMT",
              "-w", "%{http_code}", srv.url("/doc"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"304", cp.stdout
    assert srv.requests[0]["headers"]["if-modified-since"] == \
        "Mon, 01 Jan 2001 00:00:00 GMT"
    # An older condition gets the document.
    cp = curl("-sS", "-z", "Mon, 01 Jan 1990 00:00:00 GMT", srv.url("/doc"))
    assert cp.stdout == b"fresh\n", cp.stdout


def test_time_condition_simulated_304():
    # The server ignores If-Modified-Since: libcurl looks at Last-Modified
    # itself, drops the body and reports 304.
    def ignoring(req):
        return (b"HTTP/1.1 200 OK\r\nLast-Modified: " + OLD.encode() +
                b"\r\nContent-Length: 6\r\n\r\n", b"fresh\n")
    srv = Server(ignoring)
    cp = curl("-sS", "-z", "Mon, 01 Jan 2001 00:00:00 GMT",
              "-w", "%{http_code}", srv.url("/doc"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"304", cp.stdout
    # If-Unmodified-Since with a later date: the condition holds.
    cp = curl("-sS", "-z", "-Mon, 01 Jan 2001 00:00:00 GMT", srv.url("/doc"))
    assert cp.stdout == b"fresh\n", cp.stdout
    assert "if-unmodified-since" in srv.requests[1]["headers"]


def test_filetime_sets_the_file_time():
    srv = Server(modified_answer)
    out = h.tempdir() / "doc.txt"
    cp = curl("-sS", "-R", "-o", out, srv.url("/doc"))
    assert cp.returncode == 0, text(cp.stderr)
    assert out.read_bytes() == b"fresh\n"
    assert int(os.stat(out).st_mtime) == OLD_T, os.stat(out).st_mtime


# --- resume -----------------------------------------------------------------


def test_resumed_upload_sends_the_rest_with_content_range():
    srv = Server(ok_answer)
    f = upload_file(100)
    cp = curl("-sS", "-T", f, "-C", "40", srv.url("/put"))
    assert cp.returncode == 0, text(cp.stderr)
    req = srv.requests[0]
    assert req["headers"]["content-range"] == "bytes 40-99/100", req
    assert req["body"] == f.read_bytes()[40:], req["body"]


def test_resume_of_a_complete_file_is_success():
    def range_answer(req):
        assert req["headers"]["range"] == "bytes=10-"
        return (b"HTTP/1.1 416 Range Not Satisfiable\r\n"
                b"Content-Length: 5\r\n\r\n", b"oops\n")
    srv = Server(range_answer)
    cp = curl("-sS", "-C", "10", "-w", "%{http_code}", srv.url("/done"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"416", cp.stdout  # the error body is not written


def test_resume_ignored_by_the_server_is_a_range_error():
    srv = Server(lambda req: (b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n"
                              b"\r\n", b"x" * 20))
    cp = curl("-sS", "-C", "10", srv.url("/all"))
    assert cp.returncode == 33, (cp.returncode, text(cp.stderr))


# --- trailers ---------------------------------------------------------------


def test_chunked_trailers_reach_the_header_output():
    srv = Server(lambda req: (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                              b"chunked\r\nTrailer: X-Sum\r\n\r\n",
                              b"5\r\nhello\r\n0\r\nX-Sum: 42\r\n\r\n"))
    cp = curl("-sS", "-D", "-", "-o", "/dev/null", srv.url("/t"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout.endswith(b"\r\n\r\nX-Sum: 42\r\n"), cp.stdout


# --- h2c --------------------------------------------------------------------


def start_nghttpx(back_port):
    """nghttpx speaking h2c (Upgrade or prior knowledge) in front of a
    plain HTTP/1.1 server; returns its port. --conf=/dev/null: Debian's
    /etc/nghttpx/nghttpx.conf adds a frontend on port 3000 (two parallel
    tests would fight over it) and sends errors to syslog."""
    h.require_tool("nghttpx")
    port = h.free_port()
    d = h.tempdir()
    proc = subprocess.Popen(
        ["nghttpx", "--conf=/dev/null", f"-f{h.LOOPBACK},{port};no-tls",
         f"-b{h.LOOPBACK},{back_port}", "--workers=1", "--no-ocsp",
         f"--errorlog-file={d}/err.log", f"--accesslog-file={d}/acc.log"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    h.on_cleanup(h.stop_pid, proc.pid)
    h.wait_port(port, proc=proc, what="nghttpx")
    return port


def test_h2c_upgrade_then_the_session_is_reused():
    back = Server(lambda req: (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                               b"\r\n", b"ok\n"))
    port = start_nghttpx(back.port)
    url = f"http://{h.LOOPBACK}:{port}/x"
    cp = curl("-sS", "--http2", "-i", url)
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout.startswith(b"HTTP/1.1 101 Switching Protocols\r\n"), \
        cp.stdout
    assert b"\r\n\r\nHTTP/2 200" in cp.stdout, cp.stdout
    assert cp.stdout.endswith(b"ok\n")
    # The same easy handle again: the HTTP/2 session made by the upgrade
    # carries the second request (no new connection, no new upgrade).
    import json
    cp = h.run([str(h.client_binary("fetch")), "--http2", "--repeat", "2",
                url], env={"LD_LIBRARY_PATH": str(h.compat_dir())})
    runs = [json.loads(l) for l in text(cp.stdout).splitlines()]
    assert [r["curlcode"] for r in runs] == [0, 0], runs
    assert [r["http_version"] for r in runs] == [3, 3], runs  # 2_0
    assert [r["num_connects"] for r in runs] == [1, 0], runs
    # HTTP/1.1 asked for: no upgrade.
    cp = curl("-sS", "--http1.1", "-w", "%{http_version}", url)
    assert cp.stdout == b"ok\n1.1", cp.stdout


def h2_multi(n, url, *opts):
    import json
    cp = h.run([str(h.client_binary("h2_multi")), str(n), url, *opts],
               env={"LD_LIBRARY_PATH": str(h.compat_dir())})
    assert cp.returncode == 0, text(cp.stderr)[-2000:]
    return json.loads(text(cp.stdout).strip().splitlines()[-1])


def test_h2c_upgrade_pipewait_shares_the_upgraded_connection():
    # libcurl: with CURLOPT_PIPEWAIT a transfer waits for a connection whose
    # h2c upgrade is undecided, then multiplexes on the session the 101
    # made. Curl test 2405 counts the sockets this leaves to wait on.
    back = Server(lambda req: (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                               b"\r\n", b"ok\n"))
    url = f"http://{h.LOOPBACK}:{start_nghttpx(back.port)}/x"
    r = h2_multi(3, url, "--h2c", "--pipewait")
    assert (r["ok"], r["h2"], r["num_connects"]) == (3, 3, 1), r
    # Without PIPEWAIT each transfer connects and upgrades on its own.
    r = h2_multi(3, url, "--h2c")
    assert (r["ok"], r["h2"], r["num_connects"]) == (3, 3, 3), r


def test_h2c_upgrade_refused_releases_the_pipewait_transfers():
    # The server answers the upgrade request with HTTP/1.1: the waiting
    # transfers must not wait for a session that never comes.
    back = Server(lambda req: (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                               b"\r\n", b"ok\n"))
    r = h2_multi(3, back.url("/x"), "--h2c", "--pipewait")
    assert (r["ok"], r["h2"]) == (3, 0), r
    assert r["bytes"] == [3, 3, 3], r


# --- CURLOPT_CERTINFO ----------------------------------------------------------


def test_certinfo_lists_the_server_chain():
    h.require_tool("nginx")
    ngx = h.Nginx(certs=h.Certs())
    cp = curl("-sS", "--cacert", ngx.certs.ca_cert, "-o", "/dev/null",
              "-w", "%{num_certs}\n%{certs}", ngx.url("/", scheme="https"))
    assert cp.returncode == 0, text(cp.stderr)
    out = text(cp.stdout)
    assert out.startswith("1\n"), out
    assert "Subject:CN = localhost\n" in out, out
    assert "Issuer:CN = curlium integration test CA\n" in out, out
    assert "Serial Number:" in out and "Start date:" in out, out
    pem = ngx.certs.server_cert.read_text()
    assert pem.strip() in out, out  # the tool prints "Cert:" bare


# --- HSTS -------------------------------------------------------------------

STS_LOCATION = """
    location = /sts {
      add_header Strict-Transport-Security "max-age=31536000; includeSubDomains";
      return 200 "sts\\n";
    }
"""


def test_hsts_learns_over_https_and_upgrades_http():
    h.require_tool("nginx")
    ngx = h.Nginx(certs=h.Certs(), extra_locations=STS_LOCATION)
    ca = ngx.certs.ca_cert
    cache = h.tempdir() / "hsts.txt"
    # Over plain HTTP the header means nothing.
    cp = curl("-sS", "--hsts", cache, ngx.url("/sts", host="localhost"))
    assert cp.stdout == b"sts\n", cp.stdout
    assert "localhost" not in cache.read_text(), cache.read_text()
    # Over HTTPS it is kept (a leading dot: includeSubDomains).
    cp = curl("-sS", "--cacert", ca, "--hsts", cache,
              ngx.url("/sts", scheme="https", host="localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    saved = cache.read_text()
    assert saved.startswith("# Your HSTS cache."), saved
    assert "\n.localhost \"" in saved, saved
    # Now http:// to that host goes to https:// (same port: not 80).
    http_url = f"http://localhost:{ngx.https_port}/sts"
    cp = curl("-sS", "--cacert", ca, "--hsts", cache, "-w",
              "%{url_effective}", http_url)
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"sts\nhttps://localhost:%d/sts" % ngx.https_port, \
        cp.stdout
    # Without the cache the same URL speaks HTTP to a TLS port.
    cp = curl("-sS", "--cacert", ca, http_url)
    assert cp.stdout != b"sts\n"


def test_hsts_shared_between_the_tools_transfers():
    """The curl tool runs each URL on its own easy handle with one share
    handle that shares CURL_LOCK_DATA_HSTS: what the first transfer learns
    upgrades the second, in the same run. The cache file cannot be
    written (its folder does not exist), so only the share carries it."""
    h.require_tool("nginx")
    ngx = h.Nginx(certs=h.Certs(), extra_locations=STS_LOCATION)
    ca = ngx.certs.ca_cert
    cache = h.tempdir() / "missing" / "hsts.txt"
    http_url = f"http://localhost:{ngx.https_port}/sts"
    cp = curl("-sS", "--cacert", ca, "--hsts", cache, "-w",
              "%{url_effective}\n",
              ngx.url("/sts", scheme="https", host="localhost"), http_url)
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout.splitlines()[-1] == \
        b"https://localhost:%d/sts" % ngx.https_port, cp.stdout
    assert not cache.exists()


# --- alt-svc ------------------------------------------------------------------


def test_altsvc_learns_and_uses_an_alternative():
    h.require_tool("nginx")
    certs = h.Certs()
    # A second nginx's HTTP/2 listener is the advertised alternative.
    alt = h.Nginx(certs=certs)
    ngx = h.Nginx(certs=certs, extra_locations=f"""
    location = /alt {{
      add_header Alt-Svc 'h2=":{alt.h2_port}"; ma=3600';
      return 200 "alt\\n";
    }}
""")
    cache = h.tempdir() / "altsvc.txt"
    url = ngx.url("/alt", scheme="https", host="localhost")
    cp = curl("-sS", "--cacert", certs.ca_cert, "--alt-svc", cache,
              "-w", "%{remote_port}", url)
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"alt\n%d" % ngx.https_port, cp.stdout
    saved = cache.read_text()
    assert saved.startswith("# Your alt-svc cache."), saved
    assert (f"h1 localhost {ngx.https_port} h2 localhost {alt.h2_port} "
            in saved), saved
    # The next transfer goes to the alternative (TLS still for localhost);
    # the alternative has no /alt, which shows who answered.
    cp = curl("-sS", "--cacert", certs.ca_cert, "--alt-svc", cache,
              "-o", "/dev/null", "-w", "%{remote_port} %{http_code}", url)
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"%d 404" % alt.h2_port, cp.stdout


def test_altsvc_file_entry_is_used_and_http_is_left_alone():
    h.require_tool("nginx")
    ngx = h.Nginx(certs=h.Certs())
    cache = h.tempdir() / "altsvc.txt"
    cache.write_text(
        f'h1 localhost {ngx.https_port} h2 localhost {ngx.h2_port} '
        f'"20991231 00:00:00" 0 0\n'
        f'h1 localhost {ngx.http_port} h1 localhost 1 '
        f'"20991231 00:00:00" 0 0\n')
    cp = curl("-sS", "--cacert", ngx.certs.ca_cert, "--alt-svc", cache,
              "-o", "/dev/null", "-w", "%{remote_port} %{http_version}",
              ngx.url("/", scheme="https", host="localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"%d 2" % ngx.h2_port, cp.stdout
    # http:// origins never use alternatives (port 1 would refuse).
    cp = curl("-sS", "--alt-svc", cache, "-o", "/dev/null", "-w",
              "%{remote_port}", ngx.url("/", host="localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"%d" % ngx.http_port, cp.stdout

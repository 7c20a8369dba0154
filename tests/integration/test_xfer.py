"""Transfer control: curl_easy_pause (receive and send, HTTP/1.1 and
HTTP/2), CURLOPT_MAX_RECV/SEND_SPEED_LARGE, the program's socket callbacks
(OPENSOCKET, CLOSESOCKET, SOCKOPT, PREREQ, RESOLVER_START), Unix sockets
and the HAProxy PROXY line. Clients: clients/fetch.c, clients/xfer_pause.c.
Servers: the test nginx, the echo server, a scripted server, a Unix-socket
HTTP server started here."""

import json
import os
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler

import harness as h

def pause_client(mode, *args, timeout=90):
    exe = h.client_binary("xfer_pause")
    cp = h.run([exe, mode, *args], env={"LD_LIBRARY_PATH": str(h.compat_dir())},
               timeout=timeout)
    out = cp.stdout.decode(errors="replace").strip().splitlines()
    assert cp.returncode == 0, (cp.returncode, out, cp.stderr[-3000:])
    return [json.loads(line) for line in out if line.startswith("{")]


def fnv(data):
    v = 1469598103934665603
    for b in data:
        v ^= b
        v = (v * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % v


# --- pausing ----------------------------------------------------------------

def test_pause_recv_from_write_callback_h1():
    ngx = h.Nginx()
    r = pause_client("recv", ngx.url("/1m.bin"))[0]
    data = ngx.files["1m.bin"]
    assert r["curlcode"] == 0, r
    # Held output comes again after the unpause, nothing in between.
    assert r["writes_while_paused"] == 0, r
    assert r["body_len"] == len(data) and r["body_fnv"] == fnv(data), r


def test_pause_recv_unpaused_inside_progress_callback():
    ngx = h.Nginx()
    r = pause_client("recv-cb", ngx.url("/1m.bin"))[0]
    data = ngx.files["1m.bin"]
    assert r["curlcode"] == 0, r
    assert r["body_len"] == len(data) and r["body_fnv"] == fnv(data), r


def test_pause_send_from_read_callback():
    echo = h.EchoServer()
    r = pause_client("send", echo.url("/echo"))[0]
    assert r["curlcode"] == 0 and r["response_code"] == 200, r
    assert echo.requests[0]["body_len"] == 200000, echo.requests[0]["body_len"]
    assert echo.requests[0]["body"] == "p" * 200000
    assert r["upload_bytes"] == 200000, r


def test_pause_h2_holds_one_stream_not_the_other():
    ngx = h.Nginx()
    big = os.urandom(48 << 20)
    (ngx.docroot / "big.bin").write_bytes(big)
    (ngx.docroot / "big.bin").chmod(0o644)
    res = pause_client("h2", "--cacert", str(ngx.certs.ca_cert), "--http2",
                       ngx.url("/big.bin", scheme="h2", host="localhost"),
                       ngx.url("/1m.bin", scheme="h2", host="localhost"))
    first, second, info, _ = res
    assert first["curlcode"] == 0 and second["curlcode"] == 0, res
    # The other stream of the connection finished while the first was
    # paused: no stall.
    assert info["other_done_while_paused"] == 1, info
    assert second["body_fnv"] == fnv(ngx.files["1m.bin"]), second
    # Flow control held the server back: far less than the 48 MiB body
    # arrived while paused (one stream window is 10 MiB).
    assert 0 <= info["rss_growth_kb"] < 24 * 1024, info
    assert first["body_len"] == len(big) and first["body_fnv"] == fnv(big)


def test_pause_send_holds_a_postfields_body():
    echo = h.EchoServer()
    r, t = pause_client("send-post", echo.url("/echo"))
    assert r["curlcode"] == 0 and r["response_code"] == 200, r
    assert echo.requests[0]["body"] == "q" * 200000
    # The body waited for the unpause 300 ms later.
    assert t["elapsed_ms"] >= 280, t


# --- rate limits --------------------------------------------------------------

def test_max_recv_speed_limits_download():
    ngx = h.Nginx()
    # 1 MiB at 512 KiB/s: about 2 s, on the loop's timers.
    res, cp = h.fetch(ngx.url("/1m.bin"), "--max-recv-speed", "524288")
    r = res[0]
    assert r["curlcode"] == 0 and r["body_len"] == 1 << 20, r
    assert r["elapsed_ms"] >= 1500, r
    assert r["elapsed_ms"] < 15000, r


def test_max_send_speed_limits_upload():
    echo = h.EchoServer()
    res, cp = h.fetch(echo.url("/echo"), "--upload-size", "300000",
                      "--max-send-speed", "200000")
    r = res[0]
    assert r["curlcode"] == 0 and r["response_code"] == 200, r
    assert echo.requests[0]["body_len"] == 300000
    assert r["elapsed_ms"] >= 1100, r  # 300 kB at 200 kB/s: ~1.5 s


# --- socket callbacks ---------------------------------------------------------

def test_opensocket_and_closesocket_callbacks():
    echo = h.EchoServer()
    res, cp = h.fetch(echo.url("/echo"), "--socket-callbacks", "--repeat", "2")
    assert [r["curlcode"] for r in res[:2]] == [0, 0], res
    # One connection, reused by the second transfer, made and closed
    # through the program's callbacks.
    assert res[0]["opened"] == 1 and res[1]["opened"] == 1, res
    assert res[0]["sockopt_calls"] == 1, res
    assert res[2] == {"sockets_opened": 1, "sockets_closed": 1}, res
    assert echo.connections == 1


def test_opensocket_bad_is_couldnt_connect():
    echo = h.EchoServer()
    res, _ = h.fetch(echo.url("/echo"), "--opensocket-bad")
    assert res[0]["curlcode"] == 7, res  # CURLE_COULDNT_CONNECT
    assert echo.connections == 0


def test_sockopt_error_aborts():
    echo = h.EchoServer()
    res, _ = h.fetch(echo.url("/echo"), "--sockopt-error")
    assert res[0]["curlcode"] == 42, res  # CURLE_ABORTED_BY_CALLBACK
    assert res[1] == {"sockets_opened": 1, "sockets_closed": 1}, res
    assert echo.connections == 0


def test_sockopt_already_connected():
    echo = h.EchoServer()
    res, _ = h.fetch(echo.url("/echo"), "--sockopt-connected")
    assert res[0]["curlcode"] == 0 and res[0]["response_code"] == 200, res
    assert echo.connections == 1


def test_prereq_callback_sees_connection_and_can_abort():
    echo = h.EchoServer()
    res, _ = h.fetch(echo.url("/echo"), "--prereq", "ok")
    assert res[0]["curlcode"] == 0 and res[0]["prereq_calls"] == 1, res
    assert res[0]["prereq_ip"] == "127.0.0.1", res
    assert res[0]["prereq_port"] == echo.port, res
    res, _ = h.fetch(echo.url("/echo"), "--prereq", "abort")
    assert res[0]["curlcode"] == 42, res
    assert len(echo.requests) == 1  # the aborted request was never sent


def test_resolver_start_callback():
    echo = h.EchoServer()
    url = f"http://localhost:{echo.port}/echo"
    res, _ = h.fetch(url, "--resolver-start", "ok", "--repeat", "2")
    assert [r["curlcode"] for r in res] == [0, 0], res
    # Called when a name is resolved, not on a DNS cache hit.
    assert res[1]["resolver_calls"] == 1, res
    res, _ = h.fetch(url, "--resolver-start", "abort")
    assert res[0]["curlcode"] == 6, res  # CURLE_COULDNT_RESOLVE_HOST


# --- Unix sockets ---------------------------------------------------------------

class _UnixHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def address_string(self):
        return "unix"

    def do_GET(self):
        body = f"unix:{self.path}:{self.headers.get('Host')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def unix_server(path):
    srv = _UnixServer(path, _UnixHandler)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True)
    t.start()

    def stop():
        srv.shutdown()
        srv.server_close()
    h.on_cleanup(stop)
    return srv


def test_unix_socket_path():
    d = h.tempdir()
    path = str(d / "http.sock")
    unix_server(path)
    out = d / "body"
    res, _ = h.fetch("http://example.invalid/over-unix", "--unix-socket", path,
                     "--output", str(out), "--repeat", "2")
    assert [r["curlcode"] for r in res] == [0, 0], res
    assert out.read_bytes() == b"unix:/over-unix:example.invalid"
    assert res[1]["num_connects"] == 0, res  # reused: same path, same key


def test_abstract_unix_socket():
    name = f"curlium-it-{os.getpid()}"
    unix_server("\0" + name)
    d = h.tempdir()
    out = d / "body"
    res, _ = h.fetch("http://abstract.invalid/a", "--abstract-unix", name,
                     "--output", str(out))
    assert res[0]["curlcode"] == 0, res
    assert out.read_bytes() == b"unix:/a:abstract.invalid"


def test_unix_socket_through_opensocket_callback():
    # The program's OPENSOCKETFUNCTION gets the whole sockaddr_un (longer
    # than struct curl_sockaddr's 16-byte addr) and the CLOSESOCKETFUNCTION
    # closes it.
    d = h.tempdir()
    path = str(d / "cb.sock")
    unix_server(path)
    out = d / "body"
    res, _ = h.fetch("http://cb.invalid/cb", "--unix-socket", path,
                     "--socket-callbacks", "--output", str(out))
    assert res[0]["curlcode"] == 0, res
    assert out.read_bytes() == b"unix:/cb:cb.invalid"
    assert res[1] == {"sockets_opened": 1, "sockets_closed": 1}, res


def test_unix_socket_missing_is_couldnt_connect():
    d = h.tempdir()
    res, _ = h.fetch("http://x.invalid/", "--unix-socket",
                     str(d / "nothing.sock"))
    assert res[0]["curlcode"] == 7, res


# --- HAProxy PROXY protocol ---------------------------------------------------

OK_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def test_haproxy_protocol_line_first():
    srv = h.ScriptedServer([h.send(OK_RESPONSE)])
    res, _ = h.fetch(srv.url("/hap"), "--haproxy")
    assert res[0]["curlcode"] == 0, res
    first = srv.requests[0].split(b"\r\n", 1)[0].decode()
    parts = first.split(" ")
    # PROXY TCP4 <client> <server> <client port> <server port>
    assert parts[:4] == ["PROXY", "TCP4", "127.0.0.1", "127.0.0.1"], first
    assert int(parts[5]) == srv.port, first
    assert srv.requests[0].split(b"\r\n", 2)[1].startswith(b"GET /hap "), \
        srv.requests[0]


def test_haproxy_client_ip():
    srv = h.ScriptedServer([h.send(OK_RESPONSE)])
    res, _ = h.fetch(srv.url("/"), "--haproxy", "--haproxy-client-ip",
                     "192.0.2.7")
    assert res[0]["curlcode"] == 0, res
    assert srv.requests[0].startswith(b"PROXY TCP4 192.0.2.7 127.0.0.1 "), \
        srv.requests[0]


# --- the progress callback -------------------------------------------------

def progress_watch(url, *args, env=None, timeout=60):
    exe = h.client_binary("progress_watch")
    env = env or {"LD_LIBRARY_PATH": str(h.compat_dir())}
    cp = h.run([exe, url, *args], env=env, timeout=timeout)
    out = cp.stdout.decode(errors="replace").strip().splitlines()
    assert cp.returncode == 0, (cp.returncode, out, cp.stderr[-3000:])
    return json.loads(out[-1])


def test_progress_callback_aborts_a_transfer_waiting_on_a_silent_server():
    # libcurl's easy loop wakes at least once a second and calls the
    # progress callback, so a program can give up on a server that never
    # answers. Without that heartbeat the transfer would run into its
    # 30 s CURLOPT_TIMEOUT (28) instead.
    srv = h.ScriptedServer([h.silent()])
    r = progress_watch(srv.url("/"), "--abort-after", "3")
    assert r["curlcode"] == 42, r  # CURLE_ABORTED_BY_CALLBACK
    assert r["calls"] == 3, r


def test_chunked_upload_progress_counts_the_wire_like_libcurl():
    # libcurl counts a chunked body as it goes out, framing included, in
    # the progress callback and in CURLINFO_SIZE_UPLOAD: "hello" sent in
    # reads of 3 bytes is "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", 20 bytes.
    echo = h.EchoServer()
    exe = h.client_binary("progress_watch")
    got = progress_watch(echo.url("/echo"), "--chunked", "hello")
    assert got["curlcode"] == 0, got
    assert echo.requests[0]["body"] == "hello", echo.requests[0]
    assert (got["size_upload"], got["last_ulnow"]) == (20, 20), got
    ref = progress_watch(echo.url("/echo"), "--chunked", "hello",
                         env=h.reference_libcurl_env(exe))
    assert ref["curlcode"] == 0, ref
    assert (got["size_upload"], got["last_ulnow"]) == \
        (ref["size_upload"], ref["last_ulnow"]), (got, ref)

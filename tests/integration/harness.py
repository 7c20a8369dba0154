"""harness: servers and helpers shared by curlium's integration tests.

Everything here listens on 127.0.0.1 only, on ports picked at run time, and
registers its own teardown with on_cleanup() so that run.py can stop every
server (by pid for processes) when a test ends, fails or times out.

Servers:
  Certs          a test CA, a server certificate for localhost/127.0.0.1 and
                 a second, unrelated CA; made with the openssl command.
  Nginx          nginx serving a docroot over HTTP, HTTPS (HTTP/1.1 only) and
                 HTTPS with h2, with redirect locations and proxy_pass to an
                 EchoServer for /echo and /chunked.
  EchoServer     Python HTTP/1.1 server answering with the request it got as
                 JSON; keep-alive, chunked request bodies, counts connections.
  ScriptedServer raw TCP server that reads a request then plays a script of
                 bytes, pauses, closes or silence: for malformed responses.

Standard library only.
"""

import base64
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
LOOPBACK = "127.0.0.1"


# ---------------------------------------------------------------------------
# Test plumbing: skip, timeout, cleanup, locations
# ---------------------------------------------------------------------------

class SkipTest(Exception):
    """Raised by a test (or skip()/require_tool()) to report a skip."""


def skip(reason):
    """Decorator: always skip the test with |reason|."""
    def wrap(fn):
        fn._skip_reason = reason
        return fn
    return wrap


def skip_if(cond, reason):
    """Decorator: skip the test with |reason| when |cond| is true."""
    def wrap(fn):
        if cond:
            fn._skip_reason = reason
        return fn
    return wrap


def timeout(seconds):
    """Decorator: give the test |seconds| instead of run.py's default."""
    def wrap(fn):
        fn._timeout = seconds
        return fn
    return wrap


def require_tool(name):
    """Returns the path of |name| on PATH or skips the test."""
    path = shutil.which(name)
    if not path:
        raise SkipTest(f"{name} is not installed")
    return path


_cleanups = []
_cleanup_lock = threading.Lock()


def on_cleanup(fn, *args):
    """Registers fn(*args) to run at cleanup_all(), last registered first."""
    with _cleanup_lock:
        _cleanups.append((fn, args))


def cleanup_all():
    """Runs every registered cleanup; errors are printed, not raised."""
    while True:
        with _cleanup_lock:
            if not _cleanups:
                return
            fn, args = _cleanups.pop()
        try:
            fn(*args)
        except Exception as e:  # a teardown must never mask the test result
            print(f"cleanup {getattr(fn, '__name__', fn)} failed: {e!r}")


def build_dir():
    """The meson build directory under test (run.py sets CURLIUM_BUILD_DIR)."""
    return Path(os.environ.get("CURLIUM_BUILD_DIR", REPO / "build")).resolve()


def compat_dir():
    return build_dir() / "compat"


def libcurl_path():
    """Build's libcurl.so.4 (version node CURL_OPENSSL_4)."""
    return compat_dir() / "libcurl.so.4"


def libcurl_gnutls_path():
    """Build's libcurl-gnutls.so.4 (version node CURL_GNUTLS_3)."""
    return compat_dir() / "libcurl-gnutls.so.4"


def reference_mode():
    """True when CURLIUM_IT_REFERENCE=1: the "build" is a stand-in holding
    another libcurl (e.g. Debian's), used only to validate the tests
    themselves. Only the "is it BoringSSL" identity checks are relaxed."""
    return os.environ.get("CURLIUM_IT_REFERENCE") == "1"


def require_build():
    """Fails the test (not skips) when the build has not produced the
    libraries: a missing library is a broken build."""
    for p in (libcurl_path(), libcurl_gnutls_path()):
        assert p.exists(), f"{p} does not exist: build curlium first"


def tempdir(prefix="curlium-it-"):
    """A fresh directory, removed at cleanup unless CURLIUM_IT_KEEP=1.
    Mode 0755 so nginx workers (which may run as nobody) can read it."""
    d = Path(tempfile.mkdtemp(prefix=prefix))
    d.chmod(0o755)
    if os.environ.get("CURLIUM_IT_KEEP") != "1":
        on_cleanup(shutil.rmtree, d, True)
    else:
        print(f"keeping {d}")
    return d


# ---------------------------------------------------------------------------
# Ports
# ---------------------------------------------------------------------------

_handed_ports = set()


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago. The kernel hands
    out ephemeral ports round-robin, so parallel tests rarely collide; it
    may hand the same one out twice in a row, though, so a port this
    process got before is never returned again (one nginx listening on
    three of them failed with "duplicate listen")."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((LOOPBACK, 0))
            port = s.getsockname()[1]
        if port not in _handed_ports:
            _handed_ports.add(port)
            return port


def refused_port():
    """A port where connecting is refused: a bound socket that never listens
    (so no other test can take the port), kept until cleanup."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((LOOPBACK, 0))
    on_cleanup(s.close)
    return s.getsockname()[1]


def wait_port(port, deadline_s=10.0, proc=None, what="server"):
    """Waits until something accepts on 127.0.0.1:|port|."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port}")


# ---------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------

def run(cmd, env=None, timeout=30, input=None, cwd=None, check=False):
    """Runs |cmd| (a list), capturing stdout and stderr as bytes. |env| is
    merged over os.environ. Raises AssertionError on timeout."""
    full_env = dict(os.environ)
    if env:
        full_env.update({k: str(v) for k, v in env.items()})
    try:
        cp = subprocess.run([str(c) for c in cmd], env=full_env, input=input,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(
            f"command timed out after {timeout}s: {cmd}\n"
            f"stderr: {(e.stderr or b'')[-2000:]!r}") from None
    if check and cp.returncode != 0:
        raise AssertionError(
            f"command failed ({cp.returncode}): {cmd}\n"
            f"stdout: {cp.stdout[-2000:]!r}\nstderr: {cp.stderr[-4000:]!r}")
    return cp


def stop_pid(pid, sig=signal.SIGTERM, grace_s=5.0):
    """Sends |sig| to |pid|, waits up to |grace_s| for it to go, then
    SIGKILLs it. Only ever called with pids this harness started."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    end = time.monotonic() + grace_s
    while time.monotonic() < end:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                return
        except ChildProcessError:  # not our child: poll for existence
            if not Path(f"/proc/{pid}").exists():
                return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def resolved_lib(binary, soname, env):
    """Path the dynamic loader picks for |soname| when running |binary|
    under |env| (merged over os.environ), from `ldd`; None if not listed."""
    cp = run(["ldd", binary], env=env, timeout=20)
    text = cp.stdout.decode(errors="replace")
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"(\S+)\s+=>\s+(\S+)", line)
        if m and m.group(1) == soname:
            return os.path.realpath(m.group(2))
        # a preloaded library is listed by path, without "=>"
        m = re.match(r"(/\S+)\s+\(0x", line)
        if m and os.path.basename(m.group(1)) == soname:
            return os.path.realpath(m.group(1))
    return None


def loaded_libs(cmd, env):
    """Files the loader maps when running |cmd| under |env|, from
    LD_DEBUG=libs ("calling init: <path>" lines)."""
    e = dict(env or {})
    e["LD_DEBUG"] = "libs"
    cp = run(cmd, env=e, timeout=30)
    text = cp.stderr.decode(errors="replace")
    return [os.path.realpath(m) for m in
            re.findall(r"calling init: (\S+)", text)]


def assert_same_file(a, b, what):
    assert a is not None, f"{what}: not found"
    assert os.path.realpath(a) == os.path.realpath(b), \
        f"{what}: {a} is not {b}"


def recv_head(conn, buf=b""):
    """Reads from socket |conn| (plain or TLS) until |buf| plus what came
    holds a whole request or response head. Returns (head, rest): the head
    without its blank line and the bytes after it; (None, all bytes read)
    when the peer closed first."""
    while b"\r\n\r\n" not in buf:
        chunk = conn.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    return head, rest


def recv_at_least(conn, buf, n):
    """Reads from |conn| until |buf| holds |n| bytes or the peer closed;
    returns |buf| with what came."""
    while len(buf) < n:
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf


def content_length(head):
    """The Content-Length of a head (bytes), 0 if it has none."""
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return int(m.group(1)) if m else 0


SYSTEM_LIBCURL = Path("/usr/lib/x86_64-linux-gnu/libcurl.so.4")


def reference_libcurl_env(exe):
    """Environment (LD_LIBRARY_PATH) that makes client |exe| load the
    system's real libcurl instead of curlium, to compare behaviour; skips
    the test where that libcurl is not installed."""
    if not SYSTEM_LIBCURL.exists():
        raise SkipTest(f"{SYSTEM_LIBCURL} is not installed")
    d = tempdir("curlium-reflib-")
    (d / "libcurl.so.4").symlink_to(SYSTEM_LIBCURL.resolve())
    env = {"LD_LIBRARY_PATH": str(d)}
    got = resolved_lib(exe, "libcurl.so.4", env)
    assert_same_file(got, SYSTEM_LIBCURL, "reference libcurl")
    return env


# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------

class Certs:
    """Test PKI under |dir|: ca_cert/ca_key sign server_cert (CN localhost,
    SAN DNS:localhost + IP:127.0.0.1); other_ca_cert is an unrelated CA
    that must not verify server_cert. EC P-256 keys: fast to make."""

    def __init__(self, dir=None):
        self.dir = Path(dir) if dir else tempdir("curlium-certs-")
        d = self.dir
        self.ca_key = d / "ca.key"
        self.ca_cert = d / "ca.pem"
        self.server_key = d / "server.key"
        self.server_cert = d / "server.pem"
        self.other_ca_key = d / "other-ca.key"
        self.other_ca_cert = d / "other-ca.pem"
        self._make()

    def _ca(self, key, cert, cn):
        run(["openssl", "req", "-x509", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", cert, "-days", "3", "-subj", f"/CN={cn}",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            check=True)

    def _make(self):
        d = self.dir
        self._ca(self.ca_key, self.ca_cert, "curlium integration test CA")
        self._ca(self.other_ca_key, self.other_ca_cert, "curlium unrelated CA")
        csr = d / "server.csr"
        run(["openssl", "req", "-new", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", self.server_key, "-out", csr, "-subj", "/CN=localhost"],
            check=True)
        ext = d / "server.ext"
        ext.write_text(
            "basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\n"
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
            "subjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid,issuer\n")
        run(["openssl", "x509", "-req", "-in", csr, "-CA", self.ca_cert,
             "-CAkey", self.ca_key, "-CAcreateserial", "-out",
             self.server_cert, "-days", "2", "-extfile", ext], check=True)
        for p in d.iterdir():
            p.chmod(0o644)


# ---------------------------------------------------------------------------
# Echo server (also the backend nginx proxies /echo and /chunked to)
# ---------------------------------------------------------------------------

def _read_chunked(rfile):
    """Decodes a chunked request body from |rfile|; returns bytes."""
    body = bytearray()
    while True:
        line = rfile.readline(1024)
        if not line:
            raise ValueError("EOF in chunked body")
        size = int(line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while True:  # trailers up to the empty line
                t = rfile.readline(8192)
                if t in (b"\r\n", b"\n", b""):
                    return bytes(body)
        body += rfile.read(size)
        rfile.readline(8)  # CRLF after the chunk data


class _EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client says close
    timeout = 30

    def setup(self):
        super().setup()
        srv = self.server.owner
        with srv.lock:
            srv.connections += 1
            self.conn_id = srv.connections
        self.num_on_conn = 0

    def log_message(self, fmt, *args):
        pass

    def _body(self):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            return _read_chunked(self.rfile), True
        n = int(self.headers.get("Content-Length", "0") or 0)
        return (self.rfile.read(n) if n else b""), False

    def _handle(self):
        self.num_on_conn += 1
        body, chunked = self._body()
        srv = self.server.owner
        record = {
            "method": self.command,
            "path": self.path,
            "request_line": self.requestline,
            "version": self.request_version,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("latin-1"),
            "body_b64": base64.b64encode(body).decode(),
            "body_len": len(body),
            "chunked": chunked,
            "connection": self.conn_id,
            "request_on_connection": self.num_on_conn,
        }
        with srv.lock:
            srv.requests.append(record)
        path = self.path.split("?", 1)[0]
        if path.startswith("/chunked"):
            self._send_chunked()
            return
        status = 200
        m = re.match(r"/status/(\d{3})", path)
        if m:
            status = int(m.group(1))
        out = json.dumps(record, indent=1).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(out)

    def _send_chunked(self):
        # ?n=<chunks>&size=<bytes per chunk>; body is EchoServer.chunked_body
        query = self.path.partition("?")[2]
        q = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        n, size = int(q.get("n", 5)), int(q.get("size", 1000))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for piece in EchoServer.chunk_pieces(n, size):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _handle

    def do_HEAD(self):
        self._handle()


class EchoServer:
    """HTTP/1.1 server on 127.0.0.1:|port| that answers every request with
    JSON describing it: method, path, request_line, version, headers (list
    of [name, value] in arrival order), body (latin-1), body_b64, body_len,
    chunked, connection (1-based id of the TCP connection) and
    request_on_connection. /status/NNN answers with status NNN;
    /chunked?n=N&size=S sends chunk_body(N, S) chunked.
    |connections| counts accepted TCP connections; |requests| holds the
    records. Stopped at cleanup."""

    def __init__(self):
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = []
        self.httpd = ThreadingHTTPServer((LOOPBACK, 0), _EchoHandler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.1},
                                       daemon=True)
        self.thread.start()
        on_cleanup(self.stop)

    @staticmethod
    def chunk_pieces(n, size):
        return [bytes([0x41 + (i % 26)]) * size for i in range(n)]

    @staticmethod
    def chunked_body(n=5, size=1000):
        """The body /chunked?n=&size= sends, once de-chunked."""
        return b"".join(EchoServer.chunk_pieces(n, size))

    def url(self, path="/echo"):
        return f"http://{LOOPBACK}:{self.port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------------------
# nginx
# ---------------------------------------------------------------------------

REDIRECT_CODES = (301, 302, 303, 307, 308)


class Nginx:
    """nginx (daemon off, one worker) under a temp prefix, serving:

      http_port   plain HTTP/1.1
      https_port  TLS, HTTP/1.1 only (no h2 in ALPN)
      h2_port     TLS with http2 on
    Locations (same on all three):
      /index.html (and /), /1m.bin (1 MiB), /empty.txt: static files whose
          bytes are in self.files[name]
      /redirect/<code>          -> <code> to /index.html (301..308)
      /redirect/<code>/echo     -> <code> to /echo (to see the method kept)
      /chain/1 -> /chain/2 -> /chain/3 -> /index.html, each a 302
      /abs/1 -> 302 with an absolute http://localhost:<http_port>/index.html
      /echo*, /chunked*, /status/* -> proxy_pass to |backend| (an EchoServer,
          started here when not given)
    |extra_locations| is nginx text placed inside the server block.
    Stopped by pid at cleanup."""

    def __init__(self, certs=None, backend=None, extra_locations=""):
        require_tool("nginx")
        self.certs = certs or Certs()
        self.backend = backend or EchoServer()
        self.prefix = tempdir("curlium-nginx-")
        self.docroot = self.prefix / "html"
        self.docroot.mkdir()
        self.files = {
            "index.html": b"<html><body>curlium integration test page"
                          b"</body></html>\n",
            "1m.bin": _pseudo_random(1 << 20),
            "empty.txt": b"",
        }
        for name, data in self.files.items():
            (self.docroot / name).write_bytes(data)
            (self.docroot / name).chmod(0o644)
        for sub in ("logs", "tmp"):
            (self.prefix / sub).mkdir(mode=0o777)
            (self.prefix / sub).chmod(0o777)
        self.http_port = free_port()
        self.https_port = free_port()
        self.h2_port = free_port()
        self.error_log = self.prefix / "logs" / "error.log"
        self.access_log = self.prefix / "logs" / "access.log"
        self.pid_file = self.prefix / "logs" / "nginx.pid"
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(self._config(extra_locations))
        self.proc = subprocess.Popen(
            ["nginx", "-c", str(self.conf), "-p", str(self.prefix)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(self.prefix / "logs" / "stderr.log", "wb"))
        on_cleanup(self.stop)
        try:
            for p in (self.http_port, self.https_port, self.h2_port):
                wait_port(p, proc=self.proc, what="nginx")
        except RuntimeError as e:
            raise RuntimeError(f"{e}\n{self.logs()}") from None

    def _config(self, extra_locations):
        p = self.prefix
        user = "user root root;" if os.geteuid() == 0 else ""
        redirects = "\n".join(
            f"    location = /redirect/{c} {{ return {c} /index.html; }}\n"
            f"    location = /redirect/{c}/echo {{ return {c} /echo; }}"
            for c in REDIRECT_CODES)
        return f"""
{user}
daemon off;
master_process on;
worker_processes 1;
pid {self.pid_file};
error_log {self.error_log} info;
worker_rlimit_nofile 8192;
events {{ worker_connections 4096; }}
http {{
  # the request line in quotes (tests split on '"') and the connection
  # serial number, so tests can count connections.
  log_format curlium '$remote_addr "$request" $status conn=$connection';
  access_log {self.access_log} curlium;
  client_body_temp_path {p}/tmp/body;
  proxy_temp_path {p}/tmp/proxy;
  fastcgi_temp_path {p}/tmp/fastcgi;
  uwsgi_temp_path {p}/tmp/uwsgi;
  scgi_temp_path {p}/tmp/scgi;
  types {{ text/html html; text/plain txt; application/octet-stream bin; }}
  default_type application/octet-stream;
  keepalive_requests 1000;
  keepalive_timeout 60s;
  absolute_redirect off;
  server {{
    listen {LOOPBACK}:{self.http_port};
    listen {LOOPBACK}:{self.https_port} ssl;
    listen {LOOPBACK}:{self.h2_port} ssl http2;
    server_name localhost;
    ssl_certificate {self.certs.server_cert};
    ssl_certificate_key {self.certs.server_key};
    root {self.docroot};
    index index.html;
{redirects}
    location = /chain/1 {{ return 302 /chain/2; }}
    location = /chain/2 {{ return 302 /chain/3; }}
    location = /chain/3 {{ return 302 /index.html; }}
    location = /abs/1 {{
      return 302 http://localhost:{self.http_port}/index.html;
    }}
    location ~ ^/(echo|chunked|status/) {{
      proxy_pass http://{LOOPBACK}:{self.backend.port};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_buffering off;
      proxy_request_buffering off;
    }}
{extra_locations}
  }}
}}
"""

    def url(self, path="/", scheme="http", host=LOOPBACK):
        port = {"http": self.http_port, "https": self.https_port,
                "h2": self.h2_port}[scheme]
        real = "https" if scheme == "h2" else scheme
        return f"{real}://{host}:{port}{path}"

    def logs(self):
        out = []
        for f in (self.prefix / "logs" / "stderr.log", self.error_log):
            if f.exists():
                tail = f.read_text(errors="replace")[-3000:]
                out.append(f"--- {f.name}\n{tail}")
        return "\n".join(out)

    def access_lines(self, at_least=0, wait_s=3.0):
        """Access log lines. nginx writes a line after it has sent the
        response, which can be a moment after the client has it: waits up
        to |wait_s| for |at_least| lines."""
        end = time.monotonic() + wait_s
        while True:
            lines = (self.access_log.read_text().splitlines()
                     if self.access_log.exists() else [])
            if len(lines) >= at_least or time.monotonic() > end:
                return lines
            time.sleep(0.05)

    def stop(self):
        pid = None
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            pass
        if pid is not None and pid != self.proc.pid:
            stop_pid(pid)  # should not happen with daemon off
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _pseudo_random(n):
    """|n| deterministic bytes that do not compress (SHA-256 in counter
    mode), so transfers cannot be short-cut by accident."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"curlium-%d" % i).digest()
        i += 1
    return bytes(out[:n])


# ---------------------------------------------------------------------------
# Scripted raw server
# ---------------------------------------------------------------------------

def send(data):
    """Script step: write |data| (bytes) to the client."""
    return ("send", data)


def pause(seconds):
    """Script step: wait |seconds| before the next step."""
    return ("sleep", seconds)


def close():
    """Script step: close the connection (FIN)."""
    return ("close",)


def reset():
    """Script step: abort the connection with a RST."""
    return ("reset",)


def silent():
    """Script step: say nothing more and keep the connection open until
    the client goes away or the server stops."""
    return ("silent",)


class ScriptedServer:
    """Raw TCP server on 127.0.0.1:|port| for malformed-response tests. For
    each connection it reads one request (headers up to CRLFCRLF plus a
    Content-Length body) unless |read_request| is false, then runs the
    script: a list of steps (send/pause/close/reset/silent), or a callable
    taking the 1-based connection number and returning such a list. After
    the last step the connection is closed (unless the script went silent).
    |connections| counts accepted connections; |requests| holds the raw
    request bytes. Stopped at cleanup."""

    def __init__(self, script, read_request=True):
        self.script = script
        self.read_request = read_request
        self.connections = 0
        self.requests = []
        self.errors = []
        self._stop = threading.Event()
        self._socks = []
        self._lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((LOOPBACK, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()
        on_cleanup(self.stop)

    def url(self, path="/"):
        return f"http://{LOOPBACK}:{self.port}{path}"

    def _accept_loop(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                n = self.connections
                self._socks.append(conn)
            threading.Thread(target=self._serve, args=(conn, n),
                             daemon=True).start()

    def _read_request(self, conn):
        conn.settimeout(10)
        head, rest = recv_head(conn)
        if head is None:
            return rest
        rest = recv_at_least(conn, rest, content_length(head))
        return head + b"\r\n\r\n" + rest

    def _serve(self, conn, n):
        graceful = True
        try:
            if self.read_request:
                req = self._read_request(conn)
                with self._lock:
                    self.requests.append(req)
            steps = self.script(n) if callable(self.script) else self.script
            for step in steps:
                kind = step[0]
                if kind == "send":
                    conn.sendall(step[1])
                elif kind == "sleep":
                    self._stop.wait(step[1])
                elif kind == "close":
                    break
                elif kind == "reset":
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    graceful = False
                    break
                elif kind == "silent":
                    conn.settimeout(0.2)
                    while not self._stop.is_set():
                        try:
                            if not conn.recv(65536):
                                break  # client gave up
                        except socket.timeout:
                            continue
                    break
        except OSError as e:  # the client may hang up first: that is fine
            self.errors.append(repr(e))
        finally:
            if graceful:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            conn.close()

    def stop(self):
        self._stop.set()
        self.sock.close()
        with self._lock:
            for s in self._socks:
                try:
                    s.close()
                except OSError:
                    pass
        self._thread.join(2)


# ---------------------------------------------------------------------------
# The C test client (clients/fetch.c)
# ---------------------------------------------------------------------------

_fetch_lock = threading.Lock()


def fetch_binary():
    """The fetch client (clients/fetch.c), built by client_binary()."""
    return client_binary("fetch")


def client_binary(name, extra=()):
    """Builds tests/integration/clients/<name>.c against the build's
    libcurl.so.4 (headers from <repo>/include) and returns its path. The
    binary is cached per build dir and rebuilt when the source, curl.h or the
    library is newer. Extra compiler flags: CURLIUM_IT_CFLAGS; |extra| are
    more arguments for this client (libraries such as -levent)."""
    require_build()
    src = HERE / "clients" / f"{name}.c"
    out_dir = build_dir() / "tests-integration"
    out_dir.mkdir(exist_ok=True)
    exe = out_dir / name
    lib = libcurl_path()
    with _fetch_lock:
        lockf = open(out_dir / ".fetch.lock", "w")
        try:
            import fcntl
            fcntl.flock(lockf, fcntl.LOCK_EX)
            hdr = REPO / "include" / "curl" / "curl.h"
            newest = max(src.stat().st_mtime, lib.stat().st_mtime,
                         hdr.stat().st_mtime if hdr.exists() else 0)
            if exe.exists() and exe.stat().st_mtime >= newest:
                return exe
            tmp = out_dir / f"{name}.{os.getpid()}"
            cmd = [os.environ.get("CC", "cc"), "-std=c11", "-O1", "-g",
                   "-Wall", "-D_POSIX_C_SOURCE=200809L",
                   *os.environ.get("CURLIUM_IT_CFLAGS", "").split(),
                   f"-I{REPO / 'include'}",
                   str(src), "-o", str(tmp), f"-L{compat_dir()}", "-lcurl",
                   f"-Wl,-rpath,{compat_dir()}", *extra]
            cp = run(cmd, timeout=120)
            err = cp.stderr.decode(errors="replace")[-4000:]
            assert cp.returncode == 0, f"building {name}.c failed:\n{err}"
            os.replace(tmp, exe)
            return exe
        finally:
            lockf.close()


def fetch(url, *opts, valgrind=False, timeout=30, env=None):
    """Runs the fetch client on |url| with |opts| (strings, e.g.
    "--timeout-ms", "500"). Returns (results, CompletedProcess) where
    results is the list of JSON objects it printed, one per transfer."""
    exe = fetch_binary()
    cmd = [exe, *opts, url]
    if valgrind:
        cmd = ["valgrind", "--leak-check=full", "--error-exitcode=99",
               "--errors-for-leak-kinds=definite,indirect",
               "--show-leak-kinds=definite,indirect", "--track-fds=no",
               "--num-callers=30", "-q", *cmd]
    e = {"LD_LIBRARY_PATH": str(compat_dir())}
    e.update(env or {})
    cp = run(cmd, env=e, timeout=timeout)
    out = cp.stdout.decode(errors="replace")
    results = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                results.append(json.loads(line))
            except ValueError:
                raise AssertionError(f"fetch printed bad JSON: {line!r}")
    return results, cp


def sha256(data):
    return hashlib.sha256(data).hexdigest()

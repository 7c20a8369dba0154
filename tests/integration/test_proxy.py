"""Proxies: Debian's /usr/bin/curl on curlium through real proxies.

Servers, all on 127.0.0.1 and started here:
  tinyproxy    Debian's tinyproxy: plain HTTP proxying (absolute-form) and
               CONNECT, the reference proxy for reuse across origins;
  PyProxy      a small HTTP proxy of this file: CONNECT and absolute-form,
               optional Basic/Digest/NTLM proxy authentication (or a 407
               that never ends), optionally behind TLS (an HTTPS proxy), or
               answering garbage;
  SocksServer  a small SOCKS4/4a/5/5h server of this file, with optional
               user/password and a mode that refuses every request, on
               TCP or on a Unix socket;
  Nginx        the origin (harness), HTTP and HTTPS with the test CA.
Each check asserts curl's exit code (the CURLcode) and what the proxy saw.
"""

import base64
import hashlib
import os
import re
import select
import socket
import ssl
import struct
import subprocess
import threading

import harness as h

CURL = "/usr/bin/curl"


def text(b):
    return b.decode(errors="replace")


def curl_env(extra=None):
    h.require_build()
    env = {"LD_LIBRARY_PATH": str(h.compat_dir())}
    h.assert_same_file(h.resolved_lib(CURL, "libcurl.so.4", env),
                       h.libcurl_path(), "libcurl.so.4 for curl")
    # No proxy variables from the caller's environment leak in.
    for k in ("http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
              "ALL_PROXY", "no_proxy", "NO_PROXY", "HTTP_PROXY"):
        env[k] = ""
        del env[k]
    if extra:
        env.update(extra)
    return env


def curl(env, *args, timeout=30):
    return h.run([CURL, "-q", "-sS", *[str(a) for a in args]], env=env,
                 timeout=timeout)


# ---------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------

def _relay(a, b):
    socks = [a, b]
    try:
        while True:
            r, _, _ = select.select(socks, [], [], 10)
            if not r:
                return
            for s in r:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        return
    finally:
        for s in socks:
            try:
                s.close()
            except OSError:
                pass


class Tinyproxy:
    def __init__(self):
        h.require_tool("tinyproxy")
        self.dir = h.tempdir("curlium-tinyproxy-")
        self.port = h.free_port()
        self.log = self.dir / "tinyproxy.log"
        conf = self.dir / "tinyproxy.conf"
        user = "User root\nGroup root\n" if os.geteuid() == 0 else ""
        conf.write_text(
            f"{user}Port {self.port}\nListen 127.0.0.1\nTimeout 30\n"
            f"LogFile \"{self.log}\"\nLogLevel Connect\nMaxClients 20\n"
            "Allow 127.0.0.1\nDisableViaHeader Yes\n")
        self.proc = subprocess.Popen(["tinyproxy", "-d", "-c", str(conf)],
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        h.on_cleanup(h.stop_pid, self.proc.pid)
        h.wait_port(self.port, proc=self.proc, what="tinyproxy")

    def url(self):
        return f"http://127.0.0.1:{self.port}"


def _read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(1)
        if not chunk:
            return None
        data += chunk
    return data


class PyProxy:
    """HTTP proxy: CONNECT and absolute-form requests. |auth|: None, "basic",
    "digest" or "ntlm" (user "pu", password "pp"); "forever": 407 to
    everything. NTLM authenticates the connection: a Type-1 gets a Type-2
    challenge, a Type-3 for "pu" on the same connection opens it (the
    responses' hashes are not checked: MD4 may be missing from hashlib).
    |garbage|: answer every request with non-HTTP bytes. |tls_certs|: speak
    TLS to the client (an HTTPS proxy); |client_ca|: the HTTPS proxy
    demands a client certificate issued by it. |heads| holds each request
    head."""

    USER, PASSWORD = "pu", "pp"
    REALM, NONCE = "proxyrealm", "c0ffee"

    def __init__(self, auth=None, garbage=False, tls_certs=None,
                 client_ca=None):
        self.auth = auth
        self.garbage = garbage
        self.heads = []
        self.bodies = []  # each request's body (Content-Length)
        self.conn_of = []  # each request's connection number
        self.connections = 0
        self.ctx = None
        if tls_certs:
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(str(tls_certs.server_cert),
                                     str(tls_certs.server_key))
            if client_ca:
                self.ctx.verify_mode = ssl.CERT_REQUIRED
                self.ctx.load_verify_locations(str(client_ca))
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()
        h.on_cleanup(self.stop)

    def stop(self):
        self._stop = True
        try:
            self.sock.close()
        except OSError:
            pass

    def url(self):
        return f"{'https' if self.ctx else 'http'}://127.0.0.1:{self.port}"

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve,
                             args=(conn, self.connections),
                             daemon=True).start()

    def _authorized(self, head, method, uri):
        m = re.search(rb"(?im)^proxy-authorization:\s*(.*?)\r$", head)
        if self.auth == "forever" or not m:
            return False
        value = text(m.group(1))
        if self.auth == "basic":
            import base64
            want = base64.b64encode(
                f"{self.USER}:{self.PASSWORD}".encode()).decode()
            return value == f"Basic {want}"
        f = dict(re.findall(r'(\w+)="?([^",]*)"?', value))
        ha1 = hashlib.md5(
            f"{self.USER}:{self.REALM}:{self.PASSWORD}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{method}:{f.get('uri')}".encode()).hexdigest()
        if "qop" in f:
            resp = hashlib.md5(
                f"{ha1}:{self.NONCE}:{f['nc']}:{f['cnonce']}:{f['qop']}:"
                f"{ha2}".encode()).hexdigest()
        else:
            resp = hashlib.md5(f"{ha1}:{self.NONCE}:{ha2}".encode()).hexdigest()
        return (value.startswith("Digest ") and f.get("username") == self.USER
                and f.get("uri") == uri and f.get("response") == resp)

    # NTLM Type-2: no target name, no target info; Unicode, NTLM, always
    # sign (so the client answers with NTLMv1 responses).
    NTLM_TYPE2 = (b"NTLMSSP\0" + struct.pack("<I", 2) +
                  struct.pack("<HHI", 0, 0, 48) + struct.pack("<I", 0x8201) +
                  b"\x01\x23\x45\x67\x89\xab\xcd\xef" + b"\0" * 8 +
                  struct.pack("<HHI", 0, 0, 48))

    def _ntlm(self, head, state):
        """One request of an NTLM handshake on a connection: the 407
        challenge header to send, or None once the connection is open."""
        if state.get("open"):
            return None
        m = re.search(rb"(?im)^proxy-authorization:\s*NTLM\s+(\S+)\r$",
                      head)
        msg = base64.b64decode(m.group(1)) if m else b""
        kind = struct.unpack("<I", msg[8:12])[0] if len(msg) >= 12 else 0
        if msg[:8] == b"NTLMSSP\0" and kind == 1:
            state["type1"] = True
            return ("Proxy-Authenticate: NTLM " +
                    base64.b64encode(self.NTLM_TYPE2).decode() + "\r\n")
        if msg[:8] == b"NTLMSSP\0" and kind == 3 and state.get("type1"):
            ulen, _, uoff = struct.unpack("<HHI", msg[36:44])
            if msg[uoff:uoff + ulen].decode("utf-16-le") == self.USER:
                state["open"] = True
                return None
        state.pop("type1", None)
        return "Proxy-Authenticate: NTLM\r\n"

    def _challenge(self):
        if self.auth == "digest":
            return (f'Proxy-Authenticate: Digest realm="{self.REALM}", '
                    f'nonce="{self.NONCE}", qop="auth"\r\n')
        return f'Proxy-Authenticate: Basic realm="{self.REALM}"\r\n'

    def _serve(self, conn, number):
        ntlm = {}
        try:
            if self.ctx:
                conn = self.ctx.wrap_socket(conn, server_side=True)
            while True:
                head = _read_head(conn)
                if not head:
                    return
                self.heads.append(head)
                self.conn_of.append(number)
                m = re.search(rb"(?im)^content-length:\s*(\d+)\r$", head)
                body = b""
                while m and len(body) < int(m.group(1)):
                    data = conn.recv(int(m.group(1)) - len(body))
                    if not data:
                        return
                    body += data
                self.bodies.append(body)
                if self.garbage:
                    conn.sendall(b"SSH-2.0-OpenSSH_9.2 not a web proxy\r\n")
                    return
                line = text(head.split(b"\r\n", 1)[0])
                method, target, _ = line.split(" ", 2)
                uri = target
                if method != "CONNECT":
                    uri = "/" + target.split("/", 3)[3] \
                        if target.count("/") >= 3 else "/"
                challenge = None
                if self.auth == "ntlm":
                    challenge = self._ntlm(head, ntlm)
                elif self.auth and not self._authorized(head, method, uri):
                    challenge = self._challenge()
                if challenge:
                    msg = b"proxy auth needed\n"
                    conn.sendall(
                        b"HTTP/1.1 407 Proxy Authentication Required\r\n" +
                        challenge.encode() +
                        b"Content-Length: %d\r\n\r\n" % len(msg) + msg)
                    continue
                if method == "CONNECT":
                    host, port = target.rsplit(":", 1)
                    up = socket.create_connection((host.strip("[]"),
                                                   int(port)))
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n"
                                 b"X-Proxy: pyproxy\r\n\r\n")
                    _relay(conn, up)
                    return
                # absolute-form: forwarded with Connection: close; the
                # client connection stays open (the origin's answer must
                # carry a Content-Length: nginx's static files do)
                m = re.match(r"http://([^/:]+)(?::(\d+))?(/.*)?", target)
                host, port, path = m.group(1), int(m.group(2) or 80), \
                    m.group(3) or "/"
                rest = b"\r\n".join(
                    l for l in head.split(b"\r\n")[1:]
                    if l and not l.lower().startswith((b"proxy-", b"connection")))
                up = socket.create_connection((host, port))
                up.sendall(f"{method} {path} HTTP/1.1\r\n".encode() + rest +
                           b"\r\nConnection: close\r\n\r\n" + body)
                resp = b""
                while True:
                    data = up.recv(65536)
                    if not data:
                        break
                    resp += data
                up.close()
                rhead, _, body = resp.partition(b"\r\n\r\n")
                rhead = b"\r\n".join(
                    l for l in rhead.split(b"\r\n")
                    if not l.lower().startswith(b"connection"))
                conn.sendall(rhead + b"\r\n\r\n" + body)
        except (OSError, ValueError, AttributeError):
            return
        finally:
            try:
                conn.close()
            except OSError:
                pass


class SocksServer:
    """SOCKS4/4a/5/5h. |user|/|password|: SOCKS5 requires them. |refuse|:
    answer every CONNECT with a failure. |unix_path|: listen on that Unix
    socket instead of TCP. |requests| records (version, host-as-sent, port,
    user)."""

    def __init__(self, user=None, password=None, refuse=False,
                 unix_path=None):
        self.user, self.password, self.refuse = user, password, refuse
        self.requests = []
        if unix_path:
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.bind(str(unix_path))
            self.port = None
        else:
            self.sock = socket.socket()
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        if not unix_path:
            self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        h.on_cleanup(self.sock.close)

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,),
                             daemon=True).start()

    @staticmethod
    def _exact(conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise OSError("closed")
            data += chunk
        return data

    def _until_nul(self, conn):
        data = b""
        while True:
            c = self._exact(conn, 1)
            if c == b"\0":
                return text(data)
            data += c

    def _serve(self, conn):
        try:
            ver = self._exact(conn, 1)[0]
            if ver == 4:
                cmd, port = struct.unpack("!BH", self._exact(conn, 3))
                ip = self._exact(conn, 4)
                user = self._until_nul(conn)
                host = socket.inet_ntoa(ip)
                if ip[:3] == b"\0\0\0" and ip[3]:
                    host = self._until_nul(conn)  # SOCKS4a
                self.requests.append((4, host, port, user))
                if self.refuse:
                    conn.sendall(b"\x00\x5b" + b"\0" * 6)
                    return
                up = socket.create_connection((host, port))
                conn.sendall(b"\x00\x5a" + b"\0" * 6)
                _relay(conn, up)
                return
            n = self._exact(conn, 1)[0]
            methods = self._exact(conn, n)
            user = None
            if self.user:
                if 2 not in methods:
                    conn.sendall(b"\x05\xff")
                    return
                conn.sendall(b"\x05\x02")
                self._exact(conn, 1)
                ulen = self._exact(conn, 1)[0]
                user = text(self._exact(conn, ulen))
                plen = self._exact(conn, 1)[0]
                pw = text(self._exact(conn, plen))
                ok = user == self.user and pw == self.password
                conn.sendall(b"\x01\x00" if ok else b"\x01\x01")
                if not ok:
                    return
            else:
                conn.sendall(b"\x05\x00")
            _, cmd, _, atyp = self._exact(conn, 4)
            if atyp == 1:
                host = socket.inet_ntoa(self._exact(conn, 4))
            elif atyp == 3:
                host = text(self._exact(conn, self._exact(conn, 1)[0]))
            else:
                host = socket.inet_ntop(socket.AF_INET6, self._exact(conn, 16))
            port = struct.unpack("!H", self._exact(conn, 2))[0]
            self.requests.append((5, host, port, user))
            if self.refuse:
                conn.sendall(b"\x05\x05\x00\x01" + b"\0" * 6)
                return
            up = socket.create_connection((host, port))
            conn.sendall(b"\x05\x00\x00\x01" + b"\0" * 6)
            _relay(conn, up)
        except OSError:
            pass
        finally:
            conn.close()


# ---------------------------------------------------------------------------
# HTTP proxy (tinyproxy)
# ---------------------------------------------------------------------------

def test_plain_http_proxy_tinyproxy():
    env = curl_env()
    ngx = h.Nginx()
    tp = Tinyproxy()
    cp = curl(env, "-x", tp.url(), ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"]
    assert f"GET http://127.0.0.1:{ngx.http_port}/index.html HTTP/1.1" in \
        tp.log.read_text(errors="replace"), tp.log.read_text()


def test_plain_http_proxy_reuse_across_origins():
    env = curl_env()
    ngx = h.Nginx()
    px = PyProxy()
    # Two origins (nginx by IP and by name) through one proxy connection.
    cp = curl(env, "-x", px.url(), "-w", "%{num_connects} %{http_code}\\n",
              "-o", "/dev/null", ngx.url("/index.html"),
              "-o", "/dev/null",
              ngx.url("/index.html", host="localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    assert text(cp.stdout).split("\n")[:2] == ["1 200", "0 200"], cp.stdout
    assert px.connections == 1, px.connections
    assert len(px.heads) == 2 and b"GET http://localhost:" in px.heads[1]


def test_plain_http_proxy_sends_absolute_form():
    env = curl_env()
    ngx = h.Nginx()
    px = PyProxy()
    cp = curl(env, "-x", px.url(), "-H", "X-Test: 1",
              ngx.url("/index.html#frag"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"]
    head = px.heads[0]
    assert head.startswith(
        f"GET http://127.0.0.1:{ngx.http_port}/index.html HTTP/1.1\r\n"
        .encode()), head
    assert b"\r\nProxy-Connection: Keep-Alive\r\n" in head, head
    assert b"\r\nX-Test: 1\r\n" in head, head


def test_connect_tunnel_to_https():
    env = curl_env()
    ngx = h.Nginx()
    tp = Tinyproxy()
    cp = curl(env, "-x", tp.url(), "--cacert", ngx.certs.ca_cert,
              "-w", "\\n%{http_connect} %{http_code}",
              ngx.url("/index.html", scheme="https"))
    assert cp.returncode == 0, text(cp.stderr)
    body, _, codes = cp.stdout.rpartition(b"\n")
    assert body == ngx.files["index.html"]
    assert text(codes) == "200 200", codes


def test_proxytunnel_for_http_and_connect_headers():
    env = curl_env()
    ngx = h.Nginx()
    px = PyProxy()
    cp = curl(env, "-p", "-x", px.url(), "-i", "-A", "agent/1",
              "--proxy-header", "X-For-Proxy: yes", "-H", "X-For-Origin: yes",
              ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    out = cp.stdout
    assert out.startswith(b"HTTP/1.1 200 Connection established\r\n"), out
    head = text(px.heads[0])
    assert head.startswith(f"CONNECT 127.0.0.1:{ngx.http_port} HTTP/1.1\r\n"
                           f"Host: 127.0.0.1:{ngx.http_port}\r\n"
                           "User-Agent: agent/1\r\n"
                           "Proxy-Connection: Keep-Alive\r\n"
                           "X-For-Proxy: yes\r\n\r\n"), head
    # --suppress-connect-headers hides the proxy's answer
    cp = curl(env, "-p", "-x", px.url(), "-i", "--suppress-connect-headers",
              ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout.startswith(b"HTTP/1.1 200 OK"), cp.stdout[:80]


# ---------------------------------------------------------------------------
# Proxy authentication, failures
# ---------------------------------------------------------------------------

def test_connect_basic_and_digest_auth():
    env = curl_env()
    ngx = h.Nginx()
    for scheme, opt in (("basic", "--proxy-basic"),
                        ("digest", "--proxy-digest")):
        px = PyProxy(auth=scheme)
        cp = curl(env, "-x", px.url(), opt, "-U", "pu:pp", "--cacert",
                  ngx.certs.ca_cert, "-w", "\\n%{http_connect}",
                  ngx.url("/index.html", scheme="https"))
        assert cp.returncode == 0, (scheme, text(cp.stderr))
        assert cp.stdout.endswith(b"\n200"), cp.stdout[-20:]
        # a Digest CONNECT needs the 407's challenge first
        assert len(px.heads) == (2 if scheme == "digest" else 1), px.heads


def test_plain_proxy_digest_auth():
    env = curl_env()
    ngx = h.Nginx()
    px = PyProxy(auth="digest")
    cp = curl(env, "-x", px.url(), "--proxy-digest", "-U", "pu:pp",
              ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"]
    assert len(px.heads) == 2 and b"Proxy-Authorization: Digest" in \
        px.heads[1], px.heads


def test_proxy_ntlm_plain_and_connect():
    """CURLOPT_PROXYAUTH NTLM: the Type-1 and Type-3 requests share one
    connection; a POST's Type-1 request goes with Content-Length: 0 and the
    body follows with the Type-3; a CONNECT tunnel does the same handshake
    before TLS to the origin."""
    env = curl_env()
    ngx = h.Nginx()
    px = PyProxy(auth="ntlm")
    cp = curl(env, "-x", px.url(), "--proxy-ntlm", "-U", "pu:pp",
              ngx.url("/index.html"), ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"] * 2
    assert b"Proxy-Authorization: NTLM TlRMTVNTUAAB" in px.heads[0]
    assert b"Proxy-Authorization: NTLM TlRMTVNTUAAD" in px.heads[1]
    # the authenticated connection carries the next request, unasked
    assert len(px.heads) == 3 and px.conn_of == [1, 1, 1], px.conn_of
    assert b"Proxy-Authorization" not in px.heads[2]

    px = PyProxy(auth="ntlm")
    cp = curl(env, "-x", px.url(), "--proxy-ntlm", "-U", "pu:pp",
              "-d", "postit", "-o", "/dev/null", ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert px.bodies == [b"", b"postit"], px.bodies
    assert b"Content-Length: 0\r\n" in px.heads[0], px.heads[0]
    assert px.conn_of == [1, 1], px.conn_of

    # another user: the Type-3 is refused, the 407 is the answer
    px = PyProxy(auth="ntlm")
    cp = curl(env, "-x", px.url(), "--proxy-ntlm", "-U", "other:pp",
              "-w", "%{http_code}", "-o", "/dev/null", ngx.url("/index.html"))
    assert cp.returncode == 0 and cp.stdout == b"407", (cp.stdout, cp.stderr)

    px = PyProxy(auth="ntlm")
    cp = curl(env, "-x", px.url(), "--proxy-anyauth", "-U", "pu:pp",
              "--cacert", ngx.certs.ca_cert, "-w", "\n%{http_connect}",
              ngx.url("/index.html", scheme="https"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout.endswith(b"\n200"), cp.stdout[-20:]
    # anyauth: a bare CONNECT, then Type-1 and Type-3, one connection
    assert [hd.split(b" ", 1)[0] for hd in px.heads] == [b"CONNECT"] * 3
    assert b"Proxy-Authorization" not in px.heads[0]
    assert b"NTLM TlRMTVNTUAAB" in px.heads[1]
    assert b"NTLM TlRMTVNTUAAD" in px.heads[2]
    assert px.conn_of == [1, 1, 1], px.conn_of


def test_connect_407_forever():
    env = curl_env()
    px = PyProxy(auth="forever")
    cp = curl(env, "-x", px.url(), "-U", "pu:wrong", "-w", "%{http_connect}",
              "https://127.0.0.1:9/")
    assert cp.returncode == 56, (cp.returncode, text(cp.stderr))
    assert "CONNECT tunnel failed, response 407" in text(cp.stderr)
    assert text(cp.stdout).endswith("407"), cp.stdout
    # Basic goes with the first CONNECT; refused, libcurl gives up.
    assert len(px.heads) == 1, px.heads
    assert b"Proxy-Authorization: Basic cHU6d3Jvbmc=" in px.heads[0]


def test_proxy_refusing_and_unresolvable():
    env = curl_env()
    cp = curl(env, "-x", f"http://127.0.0.1:{h.refused_port()}",
              "http://127.0.0.1:9/")
    assert cp.returncode == 7, (cp.returncode, text(cp.stderr))
    cp = curl(env, "-x", "http://proxy.nonexistent.invalid:3128",
              "http://127.0.0.1:9/", timeout=60)
    assert cp.returncode == 5, (cp.returncode, text(cp.stderr))
    assert "Could not resolve proxy: proxy.nonexistent.invalid" in \
        text(cp.stderr), text(cp.stderr)
    cp = curl(env, "-x", "gopher://127.0.0.1:70", "http://127.0.0.1:9/")
    assert cp.returncode == 7, (cp.returncode, text(cp.stderr))


def test_proxy_answering_garbage():
    env = curl_env()
    px = PyProxy(garbage=True)
    cp = curl(env, "-x", px.url(), "https://127.0.0.1:9/")
    assert cp.returncode == 56, (cp.returncode, text(cp.stderr))


# ---------------------------------------------------------------------------
# HTTPS proxy
# ---------------------------------------------------------------------------

def test_https_proxy():
    env = curl_env()
    ngx = h.Nginx()
    px = PyProxy(tls_certs=ngx.certs)
    # TLS to the proxy, CONNECT, TLS to the origin inside it.
    cp = curl(env, "-x", px.url(), "--proxy-cacert", ngx.certs.ca_cert,
              "--cacert", ngx.certs.ca_cert,
              ngx.url("/index.html", scheme="https"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"]
    assert px.heads[0].startswith(b"CONNECT "), px.heads
    # absolute-form over TLS
    cp = curl(env, "-x", px.url(), "--proxy-cacert", ngx.certs.ca_cert,
              ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"]
    # the proxy's certificate is verified with the proxy's CA options
    cp = curl(env, "-x", px.url(), "--proxy-cacert", ngx.certs.other_ca_cert,
              ngx.url("/index.html"))
    assert cp.returncode == 60, (cp.returncode, text(cp.stderr))
    cp = curl(env, "-x", px.url(), "--proxy-insecure", ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)


def test_https_proxy_verify_result():
    # CURLINFO_PROXY_SSL_VERIFYRESULT: the X509 result of the proxy's TLS,
    # whatever the origin's (plain http:// here, so the origin has none).
    env = curl_env()
    ngx = h.Nginx()
    px = PyProxy(tls_certs=ngx.certs)
    fmt = "%{proxy_ssl_verify_result} %{ssl_verify_result}"
    cp = curl(env, "-x", px.url(), "--proxy-cacert", ngx.certs.ca_cert,
              "-o", "/dev/null", "-w", fmt, ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == b"0 0", cp.stdout
    # an untrusted proxy certificate, not verified: the transfer works and
    # the info says why the chain failed (a non-zero X509_V_ERR_*)
    cp = curl(env, "-x", px.url(), "--proxy-cacert", ngx.certs.other_ca_cert,
              "--proxy-insecure", "-o", "/dev/null", "-w", fmt,
              ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    proxy_result = int(cp.stdout.split()[0])
    assert proxy_result != 0, cp.stdout
    # the handle keeps it for a transfer that reuses the connection, as
    # libcurl does (a new handle on a shared connection would say 0)
    res, cp = h.fetch(ngx.url("/index.html"), "--repeat", "2",
                      "--opt", "PROXY", px.url(),
                      "--opt", "PROXY_CAINFO", str(ngx.certs.other_ca_cert),
                      "--opt", "PROXY_SSL_VERIFYPEER", "0")
    assert len(res) == 2, cp.stderr
    assert [r["num_connects"] for r in res] == [1, 0], res
    assert [r["proxy_ssl_verify_result"] for r in res] == \
        [proxy_result, proxy_result], res
    # verified and failing: CURLE_PEER_FAILED_VERIFICATION, same result
    cp = curl(env, "-x", px.url(), "--proxy-cacert", ngx.certs.other_ca_cert,
              "-o", "/dev/null", "-w", fmt, ngx.url("/index.html"))
    assert cp.returncode == 60, (cp.returncode, text(cp.stderr))
    assert int(cp.stdout.split()[0]) != 0, cp.stdout
    # through a tunnel, the two TLS sessions report separately
    cp = curl(env, "-x", px.url(), "--proxy-cacert", ngx.certs.other_ca_cert,
              "--proxy-insecure", "--cacert", ngx.certs.ca_cert,
              "-o", "/dev/null", "-w", fmt,
              ngx.url("/index.html", scheme="https"))
    assert cp.returncode == 0, text(cp.stderr)
    assert int(cp.stdout.split()[0]) == proxy_result, cp.stdout
    assert cp.stdout.split()[1] == b"0", cp.stdout


def _client_cert(certs):
    """A client certificate (and its key) issued by |certs|' CA."""
    d = certs.dir
    key, csr, pem = d / "client.key", d / "client.csr", d / "client.pem"
    if not pem.exists():
        h.run(["openssl", "req", "-new", "-newkey", "ec",
               "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", key, "-out", csr, "-subj", "/CN=curlium client"],
              check=True)
        h.run(["openssl", "x509", "-req", "-in", csr, "-CA", certs.ca_cert,
               "-CAkey", certs.ca_key, "-CAcreateserial", "-out", pem,
               "-days", "2"], check=True)
    return pem, key


def test_https_proxy_blobs_and_issuer():
    # The CURLOPT_PROXY_* TLS options that take memory or an issuer, through
    # the fetch client (the curl tool sets no blobs).
    ngx = h.Nginx()
    certs = ngx.certs
    px = PyProxy(tls_certs=certs)
    url = ngx.url("/index.html")

    def get(*opts):
        res, cp = h.fetch(url, "--opt", "PROXY", px.url(), *opts)
        assert cp.returncode == 0 and len(res) == 1, cp.stderr
        return res[0]

    # PROXY_CAINFO_BLOB verifies the proxy, and wins over PROXY_CAINFO
    r = get("--opt", "PROXY_CAINFO_BLOB", certs.ca_cert)
    assert r["curlcode"] == 0 and r["body_len"] > 0, r
    r = get("--opt", "PROXY_CAINFO_BLOB", certs.other_ca_cert)
    assert r["curlcode"] == 60, r
    r = get("--opt", "PROXY_CAINFO", certs.other_ca_cert,
            "--opt", "PROXY_CAINFO_BLOB", certs.ca_cert)
    assert r["curlcode"] == 0, r
    # PROXY_ISSUERCERT(_BLOB): the proxy's certificate must be issued by it
    ok = ("--opt", "PROXY_CAINFO", certs.ca_cert)
    for opt in ("PROXY_ISSUERCERT", "PROXY_ISSUERCERT_BLOB"):
        r = get(*ok, "--opt", opt, certs.ca_cert)
        assert r["curlcode"] == 0, (opt, r)
        r = get(*ok, "--opt", opt, certs.other_ca_cert)
        assert r["curlcode"] == 83, (opt, r)  # CURLE_SSL_ISSUER_ERROR
        assert "issuer check failed" in r["error"], r
    r = get(*ok, "--opt", "PROXY_ISSUERCERT", str(certs.dir / "missing.pem"))
    assert r["curlcode"] == 83 and "Unable to open issuer" in r["error"], r
    # the origin's ISSUERCERT(_BLOB) is checked on the origin, not the proxy
    res, cp = h.fetch(ngx.url("/index.html", scheme="https"), "--cacert",
                      certs.ca_cert, "--opt", "ISSUERCERT_BLOB",
                      certs.other_ca_cert)
    assert res and res[0]["curlcode"] == 83, (res, cp.stderr)
    res, cp = h.fetch(ngx.url("/index.html", scheme="https"), "--cacert",
                      certs.ca_cert, "--opt", "ISSUERCERT", certs.ca_cert)
    assert res and res[0]["curlcode"] == 0, (res, cp.stderr)


def test_https_proxy_client_cert_blobs():
    ngx = h.Nginx()
    certs = ngx.certs
    px = PyProxy(tls_certs=certs, client_ca=certs.ca_cert)
    pem, key = _client_cert(certs)
    url = ngx.url("/index.html")
    base = ("--opt", "PROXY", px.url(), "--opt", "PROXY_CAINFO",
            str(certs.ca_cert))
    # without a client certificate the proxy refuses the handshake
    res, cp = h.fetch(url, *base)
    assert res and res[0]["curlcode"] in (35, 56, 58), (res, cp.stderr)
    assert px.heads == [], px.heads
    # certificate and key from memory
    res, cp = h.fetch(url, *base, "--opt", "PROXY_SSLCERT_BLOB", pem,
                      "--opt", "PROXY_SSLKEY_BLOB", key)
    assert res and res[0]["curlcode"] == 0, (res, cp.stderr)
    assert res[0]["body_len"] == len(ngx.files["index.html"]), res
    # one blob holding both: the key is read from the certificate's blob
    both = certs.dir / "client-both.pem"
    both.write_bytes(pem.read_bytes() + key.read_bytes())
    res, cp = h.fetch(url, *base, "--opt", "PROXY_SSLCERT_BLOB", both)
    assert res and res[0]["curlcode"] == 0, (res, cp.stderr)
    # a key that is not a key: CURLE_SSL_CERTPROBLEM-like setup failure
    res, cp = h.fetch(url, *base, "--opt", "PROXY_SSLCERT_BLOB", pem,
                      "--opt", "PROXY_SSLKEY_BLOB", certs.ca_cert)
    assert res and res[0]["curlcode"] != 0, (res, cp.stderr)
    assert "unable to set private key file: '(memory blob)'" in \
        res[0]["error"], res
    # the origin's SSLCERT_BLOB is not sent to the proxy
    res, cp = h.fetch(url, *base, "--opt", "SSLCERT_BLOB", pem,
                      "--opt", "SSLKEY_BLOB", key)
    assert res and res[0]["curlcode"] in (35, 56, 58), (res, cp.stderr)


# ---------------------------------------------------------------------------
# SOCKS
# ---------------------------------------------------------------------------

def test_socks_versions_and_name_resolution():
    env = curl_env()
    ngx = h.Nginx()
    url = ngx.url("/index.html", host="localhost")
    expect = {"socks4": (4, "127.0.0.1"), "socks4a": (4, "localhost"),
              "socks5": (5, "127.0.0.1"), "socks5h": (5, "localhost")}
    for scheme, (ver, host) in expect.items():
        s = SocksServer()
        cp = curl(env, "-4", "-x", f"{scheme}://127.0.0.1:{s.port}", url)
        assert cp.returncode == 0, (scheme, text(cp.stderr))
        assert cp.stdout == ngx.files["index.html"], scheme
        assert s.requests[0][:3] == (ver, host, ngx.http_port), \
            (scheme, s.requests)


def test_socks5_auth_and_failures():
    env = curl_env()
    ngx = h.Nginx()
    s = SocksServer(user="su", password="sp")
    cp = curl(env, "-x", f"socks5h://su:sp@127.0.0.1:{s.port}",
              "--cacert", ngx.certs.ca_cert,
              ngx.url("/index.html", scheme="https", host="localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    assert s.requests[0][3] == "su"
    # wrong password: CURLE_PROXY (97), "User was rejected" (curl 7.88's
    # -w has no %{proxy_error}: CURLINFO_PROXY_ERROR is checked by curl's
    # own tests)
    cp = curl(env, "-x", f"socks5h://su:bad@127.0.0.1:{s.port}",
              ngx.url("/index.html"))
    assert cp.returncode == 97, (cp.returncode, text(cp.stderr))
    assert "User was rejected by the SOCKS5 server (1 1)" in text(cp.stderr)
    # no credentials for a server that wants them
    cp = curl(env, "-x", f"socks5h://127.0.0.1:{s.port}",
              ngx.url("/index.html"))
    assert cp.returncode == 97, (cp.returncode, text(cp.stderr))
    assert "No authentication method was acceptable" in text(cp.stderr)
    # a server refusing the CONNECT
    r = SocksServer(refuse=True)
    cp = curl(env, "-x", f"socks5://127.0.0.1:{r.port}",
              ngx.url("/index.html"))
    assert cp.returncode == 97, (cp.returncode, text(cp.stderr))
    assert "cannot complete SOCKS5 connection to 127.0.0.1. (5)" in \
        text(cp.stderr), text(cp.stderr)
    cp = curl(env, "-x", f"socks4://127.0.0.1:{r.port}",
              ngx.url("/index.html"))
    assert cp.returncode == 97, (cp.returncode, text(cp.stderr))
    assert "request rejected or failed" in text(cp.stderr)


def test_socks_over_unix_socket():
    """socks*://localhost/PATH (and --socks4 localhost/PATH): the SOCKS
    proxy is reached through the Unix socket at PATH (URL-decoded), as in
    libcurl; connections through it are reused."""
    env = curl_env()
    ngx = h.Nginx()
    path = h.tempdir() / "so ck"  # a space: the URL carries %20
    s = SocksServer(unix_path=path)
    url = ngx.url("/index.html", host="localhost")
    enc = str(path).replace(" ", "%20")
    cp = curl(env, "-x", f"socks5h://localhost{enc}", url, url)
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"] * 2
    # one SOCKS connection for both transfers, the name sent to the proxy
    assert s.requests == [(5, "localhost", ngx.http_port, None)], s.requests
    # No scheme: the proxy type option decides; SOCKS4 resolves locally.
    cp = curl(env, "-4", "--socks4", f"localhost{enc}", url)
    assert cp.returncode == 0, text(cp.stderr)
    assert s.requests[1][:3] == (4, "127.0.0.1", ngx.http_port), s.requests
    # TLS to the origin through it.
    cp = curl(env, "-x", f"socks5h://localhost{enc}", "--cacert",
              ngx.certs.ca_cert,
              ngx.url("/index.html", scheme="https", host="localhost"))
    assert cp.returncode == 0, text(cp.stderr)
    assert s.requests[2][:3] == (5, "localhost", ngx.https_port), s.requests
    # As the first of two hops: SOCKS (Unix socket), then an HTTP proxy.
    px = PyProxy()
    cp = curl(env, "--preproxy", f"socks5://localhost{enc}", "-x", px.url(),
              url)
    assert cp.returncode == 0, text(cp.stderr)
    assert s.requests[3][1:3] == ("127.0.0.1", px.port), s.requests
    assert px.heads[0].startswith(b"GET http://"), px.heads
    # A path where nothing listens: CURLE_COULDNT_CONNECT.
    cp = curl(env, "-x", f"socks5h://localhost{path.parent}/none", url)
    assert cp.returncode == 7, (cp.returncode, text(cp.stderr))
    assert len(s.requests) == 4


def test_pre_proxy_socks_then_http_proxy():
    env = curl_env()
    ngx = h.Nginx()
    s = SocksServer()
    px = PyProxy()
    cp = curl(env, "--preproxy", f"socks5://127.0.0.1:{s.port}",
              "-x", px.url(), ngx.url("/index.html"))
    assert cp.returncode == 0, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"]
    assert s.requests[0][1:3] == ("127.0.0.1", px.port), s.requests
    assert px.heads[0].startswith(b"GET http://"), px.heads


# ---------------------------------------------------------------------------
# Environment and NOPROXY
# ---------------------------------------------------------------------------

def test_environment_precedence():
    ngx = h.Nginx()
    px = PyProxy()
    url = ngx.url("/index.html")
    # http_proxy (lower case) is used ...
    cp = curl(curl_env({"http_proxy": px.url()}), url)
    assert cp.returncode == 0 and len(px.heads) == 1, text(cp.stderr)
    # ... HTTP_PROXY (upper case) never
    cp = curl(curl_env({"HTTP_PROXY": px.url()}), url)
    assert cp.returncode == 0 and len(px.heads) == 1, text(cp.stderr)
    # ALL_PROXY when there is no scheme variable
    cp = curl(curl_env({"ALL_PROXY": px.url()}), url)
    assert cp.returncode == 0 and len(px.heads) == 2, text(cp.stderr)
    # HTTPS_PROXY for https://
    cp = curl(curl_env({"HTTPS_PROXY": px.url()}), "--cacert",
              ngx.certs.ca_cert, ngx.url("/index.html", scheme="https"))
    assert cp.returncode == 0 and px.heads[2].startswith(b"CONNECT"), \
        text(cp.stderr)
    # NO_PROXY / --noproxy exclude the host; -x "" disables the variables
    for extra, args in (({"http_proxy": px.url(), "NO_PROXY": "127.0.0.1"},
                         ()),
                        ({"http_proxy": px.url()}, ("--noproxy", "127.0.0.1")),
                        ({"http_proxy": px.url()}, ("-x", ""))):
        cp = curl(curl_env(extra), *args, url)
        assert cp.returncode == 0, text(cp.stderr)
        assert cp.stdout == ngx.files["index.html"]
    assert len(px.heads) == 3, px.heads
    # --noproxy names a domain and its subdomains only
    cp = curl(curl_env(), "-x", px.url(), "--noproxy", "other.example",
              url)
    assert cp.returncode == 0 and len(px.heads) == 4, text(cp.stderr)


def test_environment_only_where_it_can_matter():
    # The variables the transfer reads (only those that can decide, see
    # read_proxy_environment in lib/api/transfer.c) keep libcurl's rules.
    ngx = h.Nginx()
    px = PyProxy()
    dead = f"http://127.0.0.1:{h.refused_port()}"
    url = ngx.url("/index.html")
    https_url = ngx.url("/index.html", scheme="https")
    cacert = ("--cacert", ngx.certs.ca_cert)
    # CURLOPT_PROXY wins over every variable
    cp = curl(curl_env({"http_proxy": dead, "all_proxy": dead}),
              "-x", px.url(), url)
    assert cp.returncode == 0 and len(px.heads) == 1, text(cp.stderr)
    # with http_proxy set, all_proxy still serves https:// ...
    cp = curl(curl_env({"http_proxy": dead, "all_proxy": px.url()}),
              *cacert, https_url)
    assert cp.returncode == 0 and px.heads[1].startswith(b"CONNECT"), \
        text(cp.stderr)
    # ... and ALL_PROXY when all_proxy is not set
    cp = curl(curl_env({"http_proxy": dead, "ALL_PROXY": px.url()}),
              *cacert, https_url)
    assert cp.returncode == 0 and len(px.heads) == 3, text(cp.stderr)
    # a lower-case variable hides its upper-case twin
    cp = curl(curl_env({"https_proxy": px.url(), "HTTPS_PROXY": dead}),
              *cacert, https_url)
    assert cp.returncode == 0 and len(px.heads) == 4, text(cp.stderr)
    # no_proxy set (even empty) hides NO_PROXY; --noproxy hides both
    cp = curl(curl_env({"http_proxy": px.url(), "no_proxy": "",
                        "NO_PROXY": "127.0.0.1"}), url)
    assert cp.returncode == 0 and len(px.heads) == 5, text(cp.stderr)
    cp = curl(curl_env({"http_proxy": px.url(), "no_proxy": "127.0.0.1"}),
              "--noproxy", "other.example", url)
    assert cp.returncode == 0 and len(px.heads) == 6, text(cp.stderr)
    # -x "" turns the proxy variables off, no_proxy or not
    cp = curl(curl_env({"http_proxy": dead, "all_proxy": dead}), "-x", "",
              url)
    assert cp.returncode == 0 and len(px.heads) == 6, text(cp.stderr)
    assert cp.stdout == ngx.files["index.html"]

"""WebSockets (ws://, wss://) and CURLOPT_CONNECT_ONLY (issue 5, items 4
and 9) against a small WebSocket server of our own (RFC 6455, standard
library only) on 127.0.0.1, through clients/ws_client.c.

The server checks what RFC 6455 asks of a client (GET with Upgrade,
Connection, Sec-WebSocket-Version 13 and a 16-byte key; every client frame
masked) and records violations; it echoes TEXT/BINARY messages (fragments
joined), answers PING with PONG and CLOSE with CLOSE, and on "please
<cmd>" sends what a test needs: a PING, a fragmented message with a PING
inside, and broken frames (bad opcode, reserved bits, masked or oversized
frames) which curlium must turn into libcurl's CURLcode without crashing.
A path of /hello sends a TEXT "hello" in the same write as the 101, so it
arrives with the head. /reject answers 200, /badaccept a wrong
Sec-WebSocket-Accept.
"""

import base64
import hashlib
import socket
import ssl
import struct
import threading

import harness as h

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _frame(first, payload, mask=None, length=None):
    n = len(payload) if length is None else length
    b1 = 0x80 if mask else 0
    if n < 126:
        head = bytes([first, b1 | n])
    elif n < 65536:
        head = bytes([first, b1 | 126]) + struct.pack("!H", n)
    else:
        head = bytes([first, b1 | 127]) + struct.pack("!Q", n)
    if mask:
        payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        head += mask
    return head + payload


class WsServer:
    """The WebSocket server (plain or TLS with |certs|)."""

    def __init__(self, certs=None):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((h.LOOPBACK, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.ctx = None
        if certs:
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(str(certs.server_cert),
                                     str(certs.server_key))
        self.violations = []
        self.requests = []
        self.frames = []  # (opcode, fin, payload) from clients
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()
        h.on_cleanup(self.stop)

    def stop(self):
        self.stopped = True
        try:
            self.sock.close()
        except OSError:
            pass

    def _accept(self):
        while not self.stopped:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,),
                             daemon=True).start()

    def _recv_exact(self, c, n, buf):
        while len(buf) < n:
            d = c.recv(65536)
            if not d:
                raise EOFError
            buf += d
        return buf[:n], buf[n:]

    def _serve(self, c):
        try:
            c.settimeout(10)
            if self.ctx:
                c = self.ctx.wrap_socket(c, server_side=True)
            self._session(c)
        except (EOFError, OSError, ssl.SSLError):
            pass
        finally:
            try:
                c.close()
            except OSError:
                pass

    def _session(self, c):
        head, buf = h.recv_head(c)
        if head is None:
            return
        lines = head.decode("latin-1").split("\r\n")
        self.requests.append(lines)
        fields = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            fields[k.strip().lower()] = v.strip()
        path = lines[0].split(" ")[1]
        key = fields.get("sec-websocket-key", "")
        if (not lines[0].startswith("GET ") or
                fields.get("upgrade", "").lower() != "websocket" or
                "upgrade" not in fields.get("connection", "").lower() or
                fields.get("sec-websocket-version") != "13" or
                len(base64.b64decode(key + "==")[:16]) != 16):
            self.violations.append(("bad handshake", lines))
        if path.startswith("/reject"):
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno")
            return
        accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest())
        if path.startswith("/badaccept"):
            accept = b"AAAAAAAAAAAAAAAAAAAAAAAAAAA="
        resp = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept +
                b"\r\n\r\n")
        if path.startswith("/hello"):
            resp += _frame(0x81, b"hello")
        c.sendall(resp)
        msg, msg_op = b"", 0
        while True:
            hdr, buf = self._recv_exact(c, 2, buf)
            fin, op = hdr[0] & 0x80, hdr[0] & 0x0F
            masked, n = hdr[1] & 0x80, hdr[1] & 0x7F
            if n == 126:
                ext, buf = self._recv_exact(c, 2, buf)
                n = struct.unpack("!H", ext)[0]
            elif n == 127:
                ext, buf = self._recv_exact(c, 8, buf)
                n = struct.unpack("!Q", ext)[0]
            if not masked:
                self.violations.append(("unmasked client frame", op))
                mask = b"\0\0\0\0"
            else:
                mask, buf = self._recv_exact(c, 4, buf)
            payload, buf = self._recv_exact(c, n, buf)
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            self.frames.append((op, bool(fin), payload))
            if op == 0x8:
                c.sendall(_frame(0x88, payload))
                return
            if op == 0x9:
                c.sendall(_frame(0x8A, payload))
                continue
            if op == 0xA:
                c.sendall(_frame(0x81, b"got-pong:" + payload))
                continue
            if op in (1, 2):
                msg, msg_op = payload, op
            else:
                msg += payload
            if not fin:
                continue
            if msg.startswith(b"please "):
                if self._command(c, msg[7:]):
                    return
            else:
                c.sendall(_frame(0x80 | msg_op, msg))

    def _command(self, c, cmd):
        """Sends what |cmd| asks for; True: the connection ends."""
        if cmd == b"ping":
            c.sendall(_frame(0x89, b"srv"))
        elif cmd == b"bye":
            c.sendall(_frame(0x81, b"bye"))
        elif cmd == b"frag":
            c.sendall(_frame(0x01, b"ab") + _frame(0x89, b"p") +
                      _frame(0x80, b"cd"))
        elif cmd == b"empty":
            c.sendall(_frame(0x81, b""))
        elif cmd == b"close":
            c.sendall(_frame(0x88, b"\x03\xe9away"))
            return True
        elif cmd == b"badop":
            c.sendall(_frame(0x83, b"x"))
        elif cmd == b"rsv":
            c.sendall(_frame(0xC1, b"x"))
        elif cmd == b"masked":
            c.sendall(_frame(0x81, b"x", mask=b"abcd"))
        elif cmd == b"bigping":
            c.sendall(_frame(0x89, b"p" * 126))
        elif cmd == b"huge":
            c.sendall(bytes([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0]))
        elif cmd == b"cont":
            c.sendall(_frame(0x80, b"x"))
        elif cmd == b"cut":
            c.sendall(bytes([0x81, 10]) + b"abc")
            return True
        return False


def _run(mode, url, *opts, timeout=30):
    exe = h.client_binary("ws_client")
    cp = h.run([exe, mode, url, *opts],
               env={"LD_LIBRARY_PATH": str(h.compat_dir())}, timeout=timeout)
    out = cp.stdout.decode(errors="replace")
    assert cp.returncode == 0, (cp.returncode, out,
                                cp.stderr.decode(errors="replace"))
    return out.splitlines()


@h.timeout(60)
def test_connect_only_frames_over_ws():
    srv = WsServer()
    out = _run("frames", f"ws://{h.LOOPBACK}:{srv.port}/chat")
    assert out[0] == "perform -> 0 ", out
    text = "\n".join(out)
    # echoes: text, binary, a message from two fragments, an OFFSET frame
    assert "recv rc=0 flags=1 offset=0 bytesleft=0 len=5 data=hello" in text
    assert "recv rc=0 flags=2 offset=0 bytesleft=0 len=3" in text
    assert "recv rc=0 flags=1 offset=0 bytesleft=0 len=8 data=fragment" \
        in text
    assert "recv rc=0 flags=2 offset=0 bytesleft=0 len=10 data=0123456789" \
        in text
    # a 4-byte buffer gets the 10-byte echo in pieces with offsets
    assert "recv rc=0 flags=1 offset=0 bytesleft=6 len=4 data=abcd" in text
    assert "recv rc=0 flags=1 offset=4 bytesleft=2 len=4 data=efgh" in text
    assert "recv rc=0 flags=1 offset=8 bytesleft=0 len=2 data=ij" in text
    # our PING got the server's PONG
    assert "recv rc=0 flags=64 offset=0 bytesleft=0 len=2 data=pp" in text
    # CLOSE|CONT: CURLE_BAD_FUNCTION_ARGUMENT; a 200-byte PING: TOO_LARGE
    assert f"send flags={0x8 | 0x4} len=1 -> 43 sent=0" in text
    assert "send flags=16 len=200 -> 100 sent=0" in text
    # the CLOSE echo, then the server closed: CURLE_GOT_NOTHING
    assert "recv rc=0 flags=8 offset=0 bytesleft=0 len=6" in text
    assert out[-2] == "recv rc=52", out
    # what the server saw: masked frames, the handshake, fragments
    assert not srv.violations, srv.violations
    assert srv.frames[2][:2] == (1, False) and srv.frames[3][:2] == (0, True)
    assert srv.frames[4] == (2, True, b"0123456789")  # one frame
    assert srv.frames[-1] == (8, True, b"\x03\xe8done")
    req = srv.requests[0]
    assert req[0] == "GET /chat HTTP/1.1"
    assert req[-4:-1] == ["Upgrade: websocket", "Connection: Upgrade",
                          "Sec-WebSocket-Version: 13"], req


@h.timeout(60)
def test_connect_only_over_wss():
    certs = h.Certs()
    srv = WsServer(certs)
    out = _run("frames", f"wss://localhost:{srv.port}/tls", "insecure")
    text = "\n".join(out)
    assert out[0] == "perform -> 0 ", out
    assert "data=hello" in text and "data=fragment" in text
    assert not srv.violations


@h.timeout(60)
def test_server_ping_is_answered_unless_raw_or_nopong():
    srv = WsServer()
    url = f"ws://{h.LOOPBACK}:{srv.port}/p"
    text = "\n".join(_run("recv", url, "ping"))
    # the PING is answered (not shown), the server reports our PONG
    assert "data=got-pong:srv" in text, text
    assert "flags=16" not in text
    text = "\n".join(_run("recv", url, "ping", "nopong"))
    assert "recv rc=0 flags=16 offset=0 bytesleft=0 len=3 data=srv" in text
    # a fragmented message with a PING between its fragments
    text = "\n".join(_run("recv", url, "frag"))
    assert "flags=5 offset=0 bytesleft=0 len=2 data=ab" in text, text
    assert "flags=1 offset=0 bytesleft=0 len=2 data=cd" in text, text
    assert "got-pong:p" in text
    text = "\n".join(_run("recv", url, "empty"))
    assert "recv rc=0 flags=1 offset=0 bytesleft=0 len=0 data=" in text
    text = "\n".join(_run("recv", url, "close"))
    assert "recv rc=0 flags=8 offset=0 bytesleft=0 len=6" in text


@h.timeout(90)
def test_bad_frames_from_the_server_are_recv_errors():
    srv = WsServer()
    url = f"ws://{h.LOOPBACK}:{srv.port}/bad"
    for cmd, why in [("badop", "invalid opcode"),
                     ("rsv", "invalid reserved bits"),
                     ("masked", "masked input frame"),
                     ("bigping", "PING frame is too big"),
                     ("huge", "longer than 64 signed"),
                     ("cont", "no ongoing fragmented message")]:
        out = _run("recv", url, cmd)
        text = "\n".join(out)
        assert "recv rc=56" in text, (cmd, text)  # CURLE_RECV_ERROR
        assert why in out[-1], (cmd, out)


@h.timeout(60)
def test_write_callback_mode():
    srv = WsServer()
    out = _run("callback", f"ws://{h.LOOPBACK}:{srv.port}/hello")
    text = "\n".join(out)
    # "hello" came with the 101; curl_ws_meta works inside the callback,
    # curl_easy_recv there is CURLE_RECURSIVE_API_CALL (93)
    assert ("cb flags=1 offset=0 bytesleft=0 len=5 data=hello easy_recv=93"
            in text), text
    assert "cb send -> 0" in text and "cb close -> 0" in text
    assert "cb flags=8 offset=0 bytesleft=0 len=2" in text
    # the server closed after our CLOSE: the transfer ends well
    assert "perform -> 0 " in text, text
    assert srv.frames[-1] == (8, True, b"\x03\xe8")
    assert not srv.violations
    # raw mode: the bytes as they came
    out = _run("callback", f"ws://{h.LOOPBACK}:{srv.port}/hello", "rawmode")
    text = "\n".join(out)
    assert "cb nometa len=7 data=" in text and "hello" in text, text


@h.timeout(60)
def test_upgrade_refused_and_bad_accept():
    srv = WsServer()
    out = _run("frames", f"ws://{h.LOOPBACK}:{srv.port}/reject")
    assert out[0] == "perform -> 22 Refused WebSockets upgrade: 200", out
    out = _run("frames", f"ws://{h.LOOPBACK}:{srv.port}/badaccept")
    assert out[0].startswith("perform -> 22 "), out
    assert "Sec-WebSocket-Accept" in out[0]


@h.timeout(60)
def test_connect_only_raw_http_and_https():
    srv = h.EchoServer()
    out = _run("raw", f"http://{h.LOOPBACK}:{srv.port}/raw-path")
    text = "\n".join(out)
    assert "perform -> 0 " in text and "activesocket valid" in text, text
    assert "early recv -> 81" in text  # nothing there yet: CURLE_AGAIN
    assert "send -> 0" in text
    assert " 200 " in text and "/raw-path" in text, text
    # TLS: the transfer did the handshake, send/recv go through it
    certs = h.Certs()
    ws = WsServer(certs)
    out = _run("raw", f"https://localhost:{ws.port}/reject", "insecure")
    text = "\n".join(out)
    assert "perform -> 0 " in text, text
    assert "HTTP/1.1 200 OK" in text and "\nno\n" in text, text
    assert ws.requests[0][0] == "GET /reject HTTP/1.1"


@h.timeout(60)
def test_debian_curl_tool_speaks_ws():
    h.require_tool("curl")
    srv = WsServer()
    cp = h.run(["curl", "-s", "--max-time", "5",
                f"ws://{h.LOOPBACK}:{srv.port}/hello"],
               env={"LD_LIBRARY_PATH": str(h.compat_dir())}, timeout=30)
    # curl 7.88's tool takes ws:// when the library lists it; frames go to
    # stdout until the server closes (it does not here: timeout, 28)
    assert b"hello" in cp.stdout, (cp.returncode, cp.stdout, cp.stderr)


@h.timeout(60)
def test_ws_httpheader_options_shape_the_upgrade_request():
    srv = WsServer()
    url = f"ws://{h.LOOPBACK}:{srv.port}/hdr"
    # Without the WS options the upgrade takes HTTPHEADER and its order.
    out = _run("recv", url, "bye", "httpheaders")
    assert out[0] == "perform -> 0 ", out
    req = srv.requests[-1]
    assert req[0] == "GET /hdr HTTP/1.1"
    assert req[1:3] == ["X-Http: yes", f"Host: {h.LOOPBACK}:{srv.port}"], req
    # With them, WS_HTTPHEADER replaces HTTPHEADER and WS_HTTPHEADER_ORDER
    # replaces HTTPHEADER_ORDER for the upgrade request.
    out = _run("recv", url, "bye", "httpheaders", "wsheaders")
    assert out[0] == "ws header options -> 0 0", out
    assert out[1] == "perform -> 0 ", out
    assert "data=bye" in "\n".join(out)
    req = srv.requests[-1]
    assert req[1:4] == ["X-Ws: yes", "User-Agent: ws-agent",
                        f"Host: {h.LOOPBACK}:{srv.port}"], req
    assert not any(ln.lower().startswith("x-http") for ln in req), req
    assert req[-4:-1] == ["Upgrade: websocket", "Connection: Upgrade",
                          "Sec-WebSocket-Version: 13"], req
    assert not srv.violations, srv.violations

"""fpserver.py: a fingerprinting TLS server for loopback tests.

Each connection: the ClientHello is read from the plain TCP socket and parsed
field by field (clienthello.py), then the handshake is completed with
Python's ssl module over memory BIOs fed with the same bytes, and the first
request is recorded: for http/1.1 the request line and the header lines in
order and casing; for h2 the SETTINGS entries in order, the connection
WINDOW_UPDATE, PRIORITY frames, the first HEADERS frame's priority and its
header list (HPACK decoded with libnghttp2 through ctypes), the Akamai
string, and the sequence of frames up to that HEADERS (h2_frames); also the
TLS record version the ClientHello came in (record_version). The record has the shape of ../shared/reference/*.json and is also
the response body (application/json).

Python 3 standard library only (plus libnghttp2.so, which curlium links
anyway, for h2).

Use from a test:
    srv = FingerprintServer(certfile, keyfile, alpn=("http/1.1",))
    ... connect to 127.0.0.1:srv.port ...
    rec = srv.wait_record()
    srv.stop()

Or standalone: python3 fpserver.py --cert C --key K [--port N]
[--alpn h2,http/1.1]; prints "PORT n" and one JSON record per line.
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clienthello  # noqa: E402

H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


class _TlsConn:
    """Server side of TLS over a socket whose first bytes were already read,
    through ssl.MemoryBIO."""

    def __init__(self, sock, ctx, already_read):
        self.sock = sock
        self.inc = ssl.MemoryBIO()
        self.out = ssl.MemoryBIO()
        self.inc.write(already_read)
        self.obj = ctx.wrap_bio(self.inc, self.out, server_side=True)

    def _flush(self):
        data = self.out.read()
        if data:
            self.sock.sendall(data)

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            self.inc.write_eof()
        else:
            self.inc.write(data)

    def handshake(self):
        while True:
            try:
                self.obj.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                self._fill()

    def read(self, n=65536):
        while True:
            try:
                return self.obj.read(n)
            except ssl.SSLWantReadError:
                self._flush()
                self._fill()
            except ssl.SSLZeroReturnError:
                return b""

    def write(self, data):
        self.obj.write(data)
        self._flush()

    def close(self):
        try:
            self.obj.unwrap()
        except (ssl.SSLError, OSError):
            pass
        try:
            self._flush()
        except OSError:
            pass


# --- HPACK through libnghttp2 -------------------------------------------------

class _NV(ctypes.Structure):
    _fields_ = [("name", ctypes.POINTER(ctypes.c_uint8)),
                ("value", ctypes.POINTER(ctypes.c_uint8)),
                ("namelen", ctypes.c_size_t),
                ("valuelen", ctypes.c_size_t),
                ("flags", ctypes.c_uint8)]


_nghttp2 = None


def _libnghttp2():
    global _nghttp2
    if _nghttp2 is None:
        name = ctypes.util.find_library("nghttp2") or "libnghttp2.so.14"
        lib = ctypes.CDLL(name)
        lib.nghttp2_hd_inflate_new.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
        lib.nghttp2_hd_inflate_del.argtypes = [ctypes.c_void_p]
        lib.nghttp2_hd_inflate_hd2.restype = ctypes.c_ssize_t
        lib.nghttp2_hd_inflate_hd2.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(_NV), ctypes.POINTER(ctypes.c_int),
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
        lib.nghttp2_hd_inflate_end_headers.argtypes = [ctypes.c_void_p]
        _nghttp2 = lib
    return _nghttp2


class HpackDecoder:
    def __init__(self):
        self.lib = _libnghttp2()
        self.ptr = ctypes.c_void_p()
        if self.lib.nghttp2_hd_inflate_new(ctypes.byref(self.ptr)) != 0:
            raise MemoryError("nghttp2_hd_inflate_new")

    def decode(self, block):
        out = []
        nv = _NV()
        flags = ctypes.c_int()
        buf = ctypes.create_string_buffer(block, len(block))
        base = ctypes.addressof(buf)
        off = 0
        while True:
            flags.value = 0
            rv = self.lib.nghttp2_hd_inflate_hd2(
                self.ptr, ctypes.byref(nv), ctypes.byref(flags),
                ctypes.cast(base + off, ctypes.c_char_p), len(block) - off, 1)
            if rv < 0:
                raise ValueError(f"HPACK error {rv}")
            off += rv
            if flags.value & 0x02:  # EMIT
                out.append([ctypes.string_at(nv.name, nv.namelen).decode("latin-1"),
                            ctypes.string_at(nv.value, nv.valuelen).decode("latin-1")])
            if flags.value & 0x01:  # FINAL
                self.lib.nghttp2_hd_inflate_end_headers(self.ptr)
                break
            if rv == 0 and not flags.value & 0x02:
                break
        return out

    def close(self):
        if self.ptr:
            self.lib.nghttp2_hd_inflate_del(self.ptr)
            self.ptr = None


# --- HTTP readers -------------------------------------------------------------

def _read_h1(tls, rec):
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = tls.read()
        if not chunk:
            raise ValueError("connection closed before the request head")
        buf += chunk
        if len(buf) > 256 * 1024:
            raise ValueError("request head too large")
    head = buf.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    rec["http"] = "http/1.1"
    rec["request_line"] = lines[0]
    hdrs = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        hdrs.append([name, value.strip()])
    rec["headers"] = hdrs
    # Read the request body too: closing with unread bytes would make the
    # kernel answer with a reset that can reach the client before our reply.
    length = 0
    for name, value in hdrs:
        if name.strip().lower() == "content-length" and value.isdigit():
            length = int(value)
    have = len(buf.split(b"\r\n\r\n", 1)[1])
    while have < length:
        chunk = tls.read()
        if not chunk:
            break
        have += len(chunk)


def _read_exact_tls(tls, state, n):
    while len(state["buf"]) < n:
        chunk = tls.read()
        if not chunk:
            raise ValueError("connection closed inside an HTTP/2 frame")
        state["buf"] += chunk
    out, state["buf"] = state["buf"][:n], state["buf"][n:]
    return out


def _read_h2(tls, rec):
    state = {"buf": b""}
    if _read_exact_tls(tls, state, len(H2_PREFACE)) != H2_PREFACE:
        raise ValueError("bad HTTP/2 preface")
    rec["http"] = "h2"
    settings, window_update, prio_frames, streams = [], None, [], []
    frames = []  # "type:flags:stream" of each frame up to the first HEADERS
    dec = HpackDecoder()
    block, cur = None, None
    try:
        while True:
            hdr = _read_exact_tls(tls, state, 9)
            length = int.from_bytes(hdr[:3], "big")
            ftype, flags = hdr[3], hdr[4]
            sid = int.from_bytes(hdr[5:9], "big") & 0x7fffffff
            payload = _read_exact_tls(tls, state, length)
            frames.append(f"{ftype}:{flags:#x}:{sid}")
            if ftype == 0x4 and not flags & 0x1:  # SETTINGS
                for i in range(0, len(payload) - 5, 6):
                    k, v = struct.unpack(">HI", payload[i:i + 6])
                    settings.append(f"{k}:{v}")
            elif ftype == 0x8 and sid == 0 and window_update is None:
                window_update = int.from_bytes(payload[:4], "big") & 0x7fffffff
            elif ftype == 0x2:  # PRIORITY
                dep = int.from_bytes(payload[:4], "big")
                prio_frames.append({"stream_id": sid,
                                    "exclusive": dep >> 31,
                                    "depends_on": dep & 0x7fffffff,
                                    "weight": payload[4] + 1})
            elif ftype == 0x1:  # HEADERS
                p = payload
                if flags & 0x8:  # PADDED
                    pad = p[0]
                    p = p[1:len(p) - pad]
                prio = None
                if flags & 0x20:  # PRIORITY
                    dep = int.from_bytes(p[:4], "big")
                    prio = {"exclusive": dep >> 31,
                            "depends_on": dep & 0x7fffffff,
                            "weight": p[4] + 1}
                    p = p[5:]
                cur = {"stream_id": sid, "priority": prio,
                       "end_stream": bool(flags & 0x1)}
                block = p
                if flags & 0x4:  # END_HEADERS
                    break
            elif ftype == 0x9 and cur is not None:  # CONTINUATION
                block += payload
                if flags & 0x4:
                    break
        cur["headers"] = dec.decode(block)
        streams.append(cur)
    finally:
        dec.close()
    rec["h2_settings"] = settings
    rec["h2_window_update"] = window_update or 0
    rec["h2_priority_frames"] = prio_frames
    rec["h2_frames"] = frames
    rec["h2_streams"] = streams
    pseudo = ",".join(n[1] for n, _ in cur["headers"] if n.startswith(":"))
    prio_txt = ",".join(
        f"{f['stream_id']}:{f['exclusive']}:{f['depends_on']}:{f['weight']}"
        for f in prio_frames) or "0"
    rec["akamai"] = (";".join(settings) + "|" + str(window_update or 0) + "|" +
                     prio_txt + "|" + pseudo)


def _h2_response(tls, sid, body):
    def frame(ftype, flags, stream, payload):
        return (len(payload).to_bytes(3, "big") + bytes([ftype, flags]) +
                stream.to_bytes(4, "big") + payload)
    out = frame(0x4, 0, 0, b"")            # our SETTINGS
    out += frame(0x4, 0x1, 0, b"")          # ACK theirs
    out += frame(0x1, 0x4, sid, b"\x88")    # HEADERS :status 200 (static 8)
    out += frame(0x0, 0x1, sid, body)       # DATA, END_STREAM
    out += frame(0x7, 0, 0, sid.to_bytes(4, "big") + b"\0\0\0\0")  # GOAWAY
    tls.write(out)


# --- server -------------------------------------------------------------------

class FingerprintServer:
    """Listens on 127.0.0.1 (a free port unless |port|); records one dict per
    connection in |records| (errors as {"error": ...})."""

    def __init__(self, certfile, keyfile, alpn=("h2", "http/1.1"),
                 host="127.0.0.1", port=0, on_record=None):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(certfile, keyfile)
        if alpn:
            self.ctx.set_alpn_protocols(list(alpn))
        self.records = []
        self.on_record = on_record
        self._cond = threading.Condition()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stopped = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def _accept_loop(self):
        while not self._stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,),
                             daemon=True).start()

    def _serve(self, conn):
        rec = {}
        try:
            conn.settimeout(15)
            raw, body = clienthello.read_client_hello_record(conn.recv)
            rec.update(clienthello.parse_client_hello(body))
            rec["record_version"] = int.from_bytes(raw[1:3], "big")
            tls = _TlsConn(conn, self.ctx, raw)
            tls.handshake()
            proto = tls.obj.selected_alpn_protocol()
            rec["negotiated_alpn"] = proto
            if proto == "h2":
                _read_h2(tls, rec)
                _h2_response(tls, rec["h2_streams"][0]["stream_id"],
                             json.dumps(rec).encode())
            else:
                _read_h1(tls, rec)
                body = json.dumps(rec).encode()
                tls.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json"
                          b"\r\nConnection: close\r\nContent-Length: " +
                          str(len(body)).encode() + b"\r\n\r\n" + body)
            tls.close()
        except Exception as e:  # recorded for the test to see
            rec.setdefault("error", f"{type(e).__name__}: {e}")
        finally:
            try:
                conn.close()
            except OSError:
                pass
            with self._cond:
                self.records.append(rec)
                self._cond.notify_all()
            if self.on_record:
                self.on_record(rec)

    def wait_record(self, index=0, timeout=15.0):
        """Returns the |index|th record, waiting up to |timeout| seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.records) <= index:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no ClientHello recorded")
                self._cond.wait(left)
            return self.records[index]

    def stop(self):
        self._stopped = True
        try:
            self.sock.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--alpn", default="h2,http/1.1")
    args = ap.parse_args()
    out_lock = threading.Lock()

    def emit(rec):
        with out_lock:
            print(json.dumps(rec), flush=True)

    srv = FingerprintServer(args.cert, args.key,
                            alpn=[a for a in args.alpn.split(",") if a],
                            port=args.port, on_record=emit)
    print(f"PORT {srv.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()


if __name__ == "__main__":
    main()

"""clienthello.py: parses a TLS ClientHello field by field into the JSON
shape of ../shared/reference/*.json, and computes JA3, JA3n, JA4 and JA4_r.

Python 3 standard library only. GREASE values are kept as sent (0x?a?a);
JA3 drops them, JA4 drops them everywhere, signature algorithms included.
"""
import hashlib
import struct


def is_grease(v):
    return (v & 0x0f0f) == 0x0a0a and (v >> 8) == (v & 0xff)


class ParseError(ValueError):
    pass


class _Reader:
    def __init__(self, data):
        self.data = bytes(data)
        self.pos = 0

    def left(self):
        return len(self.data) - self.pos

    def take(self, n):
        if n > self.left():
            raise ParseError("truncated ClientHello")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u24(self):
        b = self.take(3)
        return b[0] << 16 | b[1] << 8 | b[2]

    def vec8(self):
        return self.take(self.u8())

    def vec16(self):
        return self.take(self.u16())


def _u16_list(b):
    if len(b) % 2:
        raise ParseError("odd length u16 list")
    return [struct.unpack(">H", b[i:i + 2])[0] for i in range(0, len(b), 2)]


def _str_list8(b):
    """A list of 8-bit length-prefixed strings (ALPN, ALPS)."""
    r = _Reader(b)
    out = []
    while r.left():
        out.append(r.vec8().decode("latin-1"))
    return out


def read_client_hello_record(recv):
    """Reads TLS records with |recv(n)| (returns b"" at EOF) until a whole
    ClientHello handshake message is in. Returns (raw_bytes_read,
    handshake_message_body)."""
    raw = bytearray()
    hs = bytearray()
    need = None
    while need is None or len(hs) < need:
        hdr = _recv_exact(recv, 5)
        raw += hdr
        ctype, _ver, length = struct.unpack(">BHH", hdr)
        if ctype != 22:
            raise ParseError(f"not a handshake record (type {ctype})")
        body = _recv_exact(recv, length)
        raw += body
        hs += body
        if need is None and len(hs) >= 4:
            if hs[0] != 1:
                raise ParseError(f"not a ClientHello (type {hs[0]})")
            need = 4 + (hs[1] << 16 | hs[2] << 8 | hs[3])
    return bytes(raw), bytes(hs[4:need])


def _recv_exact(recv, n):
    out = bytearray()
    while len(out) < n:
        b = recv(n - len(out))
        if not b:
            raise ParseError("connection closed inside the ClientHello")
        out += b
    return bytes(out)


def parse_client_hello(body):
    """|body|: the ClientHello handshake body (after the 4-byte header).
    Returns a dict in the reference JSON shape (TLS part)."""
    r = _Reader(body)
    fp = {}
    fp["tls_legacy_version"] = r.u16()
    r.take(32)  # random
    fp["session_id_len"] = len(r.vec8())  # legacy_session_id: random bytes
    ciphers = _u16_list(r.vec16())
    fp["ciphers"] = ciphers
    fp["grease_ciphers"] = any(is_grease(c) for c in ciphers)
    fp["compression_methods"] = list(r.vec8())
    exts = []
    ext_data = []
    if r.left():
        er = _Reader(r.vec16())
        while er.left():
            t = er.u16()
            d = er.vec16()
            exts.append(t)
            ext_data.append([t, d.hex()])
            _parse_extension(fp, t, d)
    fp["extensions"] = exts
    fp["ext_data"] = ext_data
    fp["client_hello_len"] = len(body) + 4
    fp.update(fingerprints(fp))
    return fp


def _parse_extension(fp, t, d):
    r = _Reader(d)
    if t == 0:  # server_name
        lr = _Reader(r.vec16())
        while lr.left():
            kind = lr.u8()
            name = lr.vec16()
            if kind == 0:
                fp["sni"] = name.decode("latin-1")
    elif t == 10:
        fp["groups"] = _u16_list(r.vec16())
    elif t == 11:
        fp["ec_point_formats"] = list(r.vec8())
    elif t == 13:
        fp["sigalgs"] = _u16_list(r.vec16())
    elif t == 16:
        fp["alpn"] = _str_list8(r.vec16())
    elif t in (17513, 17613):  # ALPS, old and new code point
        fp["alps"] = _str_list8(r.vec16())
    elif t == 27:
        fp["cert_compression"] = _u16_list(r.vec8())
    elif t == 28:
        fp["record_size_limit"] = r.u16()
    elif t == 34:
        fp["delegated_credentials"] = _u16_list(r.vec16())
    elif t == 43:
        fp["supported_versions"] = _u16_list(r.vec8())
    elif t == 45:
        fp["psk_modes"] = list(r.vec8())
    elif t == 51:
        kr = _Reader(r.vec16())
        shares = []
        while kr.left():
            g = kr.u16()
            shares.append([g, len(kr.vec16())])
        fp["key_share"] = shares
    elif t == 65037:
        fp["ech_len"] = len(d)


def _ja4_part(v):
    return f"{v:04x}"


def fingerprints(fp):
    """JA3 (as sent), JA3n (extensions sorted), their MD5, JA4, JA4_r."""
    ciphers = [c for c in fp["ciphers"] if not is_grease(c)]
    exts = [e for e in fp["extensions"] if not is_grease(e)]
    groups = [g for g in fp.get("groups", []) if not is_grease(g)]
    pf = fp.get("ec_point_formats", [])

    def ja3_of(ext_list):
        return ",".join([
            str(fp["tls_legacy_version"]),
            "-".join(map(str, ciphers)),
            "-".join(map(str, ext_list)),
            "-".join(map(str, groups)),
            "-".join(map(str, pf)),
        ])

    out = {}
    out["ja3"] = ja3_of(exts)
    out["ja3_md5"] = hashlib.md5(out["ja3"].encode()).hexdigest()
    out["ja3n"] = ja3_of(sorted(exts))

    versions = [v for v in fp.get("supported_versions", []) if not is_grease(v)]
    top = max(versions) if versions else fp["tls_legacy_version"]
    ver = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10"}.get(top, "00")
    sni = "d" if 0 in exts else "i"
    alpn = fp.get("alpn", [])
    if alpn and alpn[0]:
        first = alpn[0]
        a = first[0] + first[-1]
    else:
        a = "00"
    head = f"t{ver}{sni}{min(len(ciphers), 99):02d}{min(len(exts), 99):02d}{a}"
    sorted_ciphers = ",".join(_ja4_part(c) for c in sorted(ciphers))
    sorted_exts = ",".join(_ja4_part(e) for e in sorted(exts)
                           if e not in (0, 16))
    sigalgs = ",".join(_ja4_part(s) for s in fp.get("sigalgs", [])
                       if not is_grease(s))
    ext_part = sorted_exts + ("_" + sigalgs if sigalgs else "")

    def h(s):
        return hashlib.sha256(s.encode()).hexdigest()[:12] if s else "0" * 12

    out["ja4"] = f"{head}_{h(sorted_ciphers)}_{h(ext_part)}"
    out["ja4_r"] = f"{head}_{sorted_ciphers}_{ext_part}"
    return out

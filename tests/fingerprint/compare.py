"""compare.py: diffs a capture (fpserver.py's record) against a reference
capture of a real browser (../shared/reference/*.json), field by field, with
the rules of ../shared/README.md:

- GREASE values vary per connection: every 0x?a?a value compares as
  "GREASE" (its position still counts).
- Chromium permutes its extensions on every connection: the extension *set*
  is compared (GREASE ones first and last, as BoringSSL places them), not
  the order, and JA3 (order-dependent) is skipped; JA3n and JA4 are compared.
  Firefox's order is fixed and compared exactly.
- Key-share bytes, randoms and the ECH GREASE payload vary: key shares are
  compared as [group, length]; Chromium's ECH length as a shape (a 32-byte
  step payload plus AES-GCM's tag, 144..240 bytes), and the ClientHello
  length net of the ECH extension exactly. Firefox's ECH length is fixed;
  its ECH AEAD is AES-128-GCM or ChaCha20-Poly1305 per connection (NSS
  flips a coin), Chromium's is fixed on a machine. The ECH KDF, config_id
  and enc lengths are compared exactly.
- Extension payloads are compared byte for byte except those that carry
  per-connection values (server_name, key_share, pre_shared_key, ECH) or
  GREASE values (supported_groups, signature_algorithms,
  supported_versions: compared through their parsed, normalized fields).

Usage: python3 compare.py CAPTURE.json REFERENCE.json [--browser
chromium|firefox] [--tls-only]. Exit status 1 when a field differs.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clienthello import is_grease  # noqa: E402

# Fields compared as normalized lists or scalars, missing == missing.
EXACT_FIELDS = ["tls_legacy_version", "ciphers", "groups", "sigalgs",
                "supported_versions", "psk_modes", "ec_point_formats",
                "cert_compression", "alpn", "alps", "record_size_limit",
                "delegated_credentials", "key_share", "grease_ciphers"]

# Compared only when the reference has them (../shared/reference predates
# them; a capture made by recapture.py has them).
OPTIONAL_FIELDS = ["record_version", "session_id_len", "compression_methods"]

# Payloads that vary per connection or embed GREASE values.
VARIABLE_PAYLOADS = {0, 10, 13, 41, 43, 51, 65037}


def norm(v):
    """GREASE values (also inside lists / pairs) become the string GREASE."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return "GREASE" if is_grease(v) else v
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v


# HPKE AEADs a browser's ECH GREASE picks among per connection. Chromium
# (BoringSSL) uses one, by AES hardware, so the capture's is exact; NSS
# flips a coin between AES-128-GCM and ChaCha20-Poly1305.
ECH_AEADS = {"firefox": (1, 3)}


def ech_shape(rec):
    """The GREASE encrypted_client_hello's fixed-size fields: (outer type,
    KDF, AEAD, config_id length, enc length); None when not sent."""
    for t, payload in rec.get("ext_data", []):
        if t != 65037:
            continue
        b = bytes.fromhex(payload)
        if len(b) < 8:
            return ("short", len(b))
        return (b[0], int.from_bytes(b[1:3], "big"),
                int.from_bytes(b[3:5], "big"), 1,
                int.from_bytes(b[6:8], "big"))
    return None


def browser_of(reference):
    text = (reference.get("captured", "") + " " +
            reference.get("name", "")).lower()
    if "firefox" in text:
        return "firefox"
    return "chromium"


def _ext_payloads(rec):
    out = []
    for t, payload in rec.get("ext_data", []):
        out.append((norm(t), payload))
    return out


def tls_rows(capture, reference, browser=None):
    """Every ClientHello field compared under the rules above, in order, as
    (field, expected, got, same) rows."""
    browser = browser or browser_of(reference)
    rows = []

    def row(field, exp, got, same=None):
        rows.append((field, exp, got, exp == got if same is None else same))

    for f in EXACT_FIELDS:
        row(f, norm(reference.get(f)), norm(capture.get(f)))
    for f in OPTIONAL_FIELDS:
        if f in reference:
            row(f, reference.get(f), capture.get(f))
    if reference.get("sni") is not None:
        row("sni", "present",
            "present" if capture.get("sni") is not None else None)

    ref_ext, cap_ext = norm(reference["extensions"]), norm(capture["extensions"])
    if browser == "chromium":
        row("extensions (set)", sorted(map(str, ref_ext)),
            sorted(map(str, cap_ext)))
        for pos in (0, -1):
            if ref_ext:
                row(f"extensions[{pos}] is GREASE", ref_ext[pos] == "GREASE",
                    bool(cap_ext) and cap_ext[pos] == "GREASE")
    else:
        row("extensions (order)", ref_ext, cap_ext)

    # Payloads, by extension type (GREASE ones by position among GREASE).
    ref_p, cap_p = _ext_payloads(reference), _ext_payloads(capture)
    row("GREASE extension payload lengths",
        [len(p) // 2 for t, p in ref_p if t == "GREASE"],
        [len(p) // 2 for t, p in cap_p if t == "GREASE"])
    cap_by_type = {t: p for t, p in cap_p if t != "GREASE"}
    for t, p in ref_p:
        if t == "GREASE" or t in VARIABLE_PAYLOADS:
            continue
        if t in cap_by_type:  # a missing one is an extension set difference
            row(f"ext {t} payload", p, cap_by_type[t])

    # ECH GREASE: its shape, its length and the length of everything else.
    r_shape, c_shape = ech_shape(reference), ech_shape(capture)
    if r_shape is not None or c_shape is not None:
        aeads = ECH_AEADS.get(browser)
        if aeads and r_shape and c_shape and len(c_shape) == 5:
            row(f"ech shape (type, kdf, aead in {list(aeads)}, config_id "
                "len, enc len)", r_shape, c_shape,
                r_shape[:2] + r_shape[3:] == c_shape[:2] + c_shape[3:] and
                c_shape[2] in aeads)
        else:
            row("ech shape (type, kdf, aead, config_id len, enc len)",
                r_shape, c_shape)
    r_ech, c_ech = reference.get("ech_len"), capture.get("ech_len")
    if browser == "chromium" and r_ech is not None:
        ok = (c_ech is not None and (c_ech - 42 - 16) % 32 == 0 and
              128 <= c_ech - 42 - 16 <= 224)
        row("ech_len (shape: 42 + 32k + 16, k 4..7)", r_ech, c_ech, ok)
    else:
        row("ech_len", r_ech, c_ech)
    row("client_hello_len without ECH",
        reference["client_hello_len"] - (r_ech or 0),
        capture["client_hello_len"] - (c_ech or 0))

    for f in ("ja3n", "ja4", "ja4_r") + (("ja3",) if browser != "chromium"
                                          else ()):
        row(f, reference.get(f), capture.get(f))
    return rows


def diffs_of(rows):
    return [(f, e, g) for f, e, g, same in rows if not same]


def compare_tls(capture, reference, browser=None):
    """Returns a list of (field, expected, got) differences in the TLS
    ClientHello; empty when everything matches under the rules above."""
    return diffs_of(tls_rows(capture, reference, browser))


def google_chrome_headers(headers, major):
    """The reference's headers as Google Chrome sends them: the headless
    build says HeadlessChrome/ and lacks the "Google Chrome" brand (a third
    brand, ordered by user_agent_utils.cc's seeded permutation: for seed %
    6 == 0 it goes last)."""
    out = []
    for name, value in headers:
        low = name.lower()
        if low == "user-agent":
            value = value.replace("HeadlessChrome/", "Chrome/")
        elif low == "sec-ch-ua" and "Google Chrome" not in value:
            value = value + f', "Google Chrome";v="{major}"'
        out.append([name, value])
    return out


def _header_rows(prefix, exp_list, got_list, ignore):
    """Names in order (and casing) as one row, then each compared value."""
    exp = [(n, None if n.lower() in ignore else v) for n, v in exp_list]
    got = [(n, None if n.lower() in ignore else v) for n, v in got_list]
    names_e, names_g = [n for n, _ in exp], [n for n, _ in got]
    rows = [(f"{prefix}names/order", names_e, names_g, names_e == names_g)]
    for (n, v), (_, w) in zip(exp, got):
        if v is not None:
            rows.append((f"{prefix}{n}", v, w, v == w))
    return rows


def h1_rows(capture, reference, ignore_values=("host",)):
    """The request line's method and version; header names, order and
    casing exactly; values except |ignore_values| (lower-case names).
    (field, expected, got, same) rows."""
    def method_version(rec):
        parts = rec.get("request_line", "").split(" ")
        return [parts[0], parts[-1]] if len(parts) == 3 else parts
    rows = []
    if "request_line" in reference:
        exp, got = method_version(reference), method_version(capture)
        rows.append(("request line (method, version)", exp, got, exp == got))
    return rows + _header_rows("header ", reference.get("headers", []),
                               capture.get("headers", []), ignore_values)


def as_google_chrome(rec, major):
    """|rec| (a capture) with headless Chromium's UA and brands turned into
    Google Chrome's, in its HTTP/1.1 header list and its HTTP/2 streams."""
    out = dict(rec)
    if "headers" in out:
        out["headers"] = google_chrome_headers(out["headers"], major)
    if "h2_streams" in out:
        out["h2_streams"] = [dict(s, headers=google_chrome_headers(
            s.get("headers", []), major)) for s in out["h2_streams"]]
    return out


def request_headers(rec, pseudo=False):
    """The request's header list as (name, value) pairs: the first HTTP/2
    stream's (its pseudo-headers only with |pseudo|), else the HTTP/1.1
    lines."""
    streams = rec.get("h2_streams") or []
    if streams:
        return [tuple(x) for x in streams[0]["headers"]
                if pseudo or not x[0].startswith(":")]
    return [tuple(x) for x in rec.get("headers", [])]


def compare_h1_headers(capture, reference, ignore_values=("host",)):
    return diffs_of(h1_rows(capture, reference, ignore_values))


def h2_rows(capture, reference, ignore_values=(":authority", ":path")):
    """The connection's shape and the first HEADERS frame, as (field,
    expected, got, same) rows."""
    rows = []
    for f in ("h2_settings", "h2_window_update", "h2_priority_frames"):
        rows.append((f, reference.get(f), capture.get(f),
                     reference.get(f) == capture.get(f)))
    if "h2_frames" in reference:  # newer than ../shared/reference
        rows.append(("h2_frames (type:flags:stream up to HEADERS)",
                     reference["h2_frames"], capture.get("h2_frames"),
                     reference["h2_frames"] == capture.get("h2_frames")))
    rs = (reference.get("h2_streams") or [{}])[0]
    cs = (capture.get("h2_streams") or [{}])[0]
    for f in ("stream_id", "priority", "end_stream"):
        rows.append((f"HEADERS {f}", rs.get(f), cs.get(f),
                     rs.get(f) == cs.get(f)))
    rows += _header_rows("header ", rs.get("headers", []),
                         cs.get("headers", []), ignore_values)
    ra, ca = reference.get("akamai", ""), capture.get("akamai", "")
    rows.append(("akamai", ra, ca, ra == ca))
    return rows


def compare_h2(capture, reference, ignore_values=(":authority", ":path")):
    return diffs_of(h2_rows(capture, reference, ignore_values))


def format_diffs(diffs):
    return "\n".join(f"  {f}: expected {e!r}, got {g!r}" for f, e, g in diffs)


def main():
    ap = argparse.ArgumentParser(description="diff a capture against a "
                                 "reference browser capture")
    ap.add_argument("capture")
    ap.add_argument("reference")
    ap.add_argument("--browser", choices=("chromium", "firefox"))
    ap.add_argument("--tls-only", action="store_true")
    args = ap.parse_args()
    with open(args.capture) as f:
        cap = json.load(f)
    with open(args.reference) as f:
        ref = json.load(f)
    diffs = compare_tls(cap, ref, args.browser)
    if not args.tls_only:
        if ref.get("http") == "h2":
            diffs += compare_h2(cap, ref)
        else:
            diffs += compare_h1_headers(cap, ref)
    if diffs:
        print(f"{len(diffs)} field(s) differ:")
        print(format_diffs(diffs))
        return 1
    print("all compared fields match")
    return 0


if __name__ == "__main__":
    sys.exit(main())

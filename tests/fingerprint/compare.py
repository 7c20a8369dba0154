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
  length net of the ECH extension exactly. Firefox's ECH length is fixed.
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


def compare_tls(capture, reference, browser=None):
    """Returns a list of (field, expected, got) differences in the TLS
    ClientHello; empty when everything matches under the rules above."""
    browser = browser or browser_of(reference)
    diffs = []

    def diff(field, exp, got):
        diffs.append((field, exp, got))

    for f in EXACT_FIELDS:
        exp, got = norm(reference.get(f)), norm(capture.get(f))
        if exp != got:
            diff(f, exp, got)
    if reference.get("sni") is not None and capture.get("sni") is None:
        diff("sni", "present", None)

    ref_ext, cap_ext = norm(reference["extensions"]), norm(capture["extensions"])
    if browser == "chromium":
        if sorted(map(str, ref_ext)) != sorted(map(str, cap_ext)):
            diff("extensions (set)", sorted(map(str, ref_ext)),
                 sorted(map(str, cap_ext)))
        for pos in (0, -1):
            if ref_ext and (ref_ext[pos] == "GREASE") != (
                    bool(cap_ext) and cap_ext[pos] == "GREASE"):
                diff(f"extensions[{pos}] is GREASE", ref_ext[pos],
                     cap_ext[pos] if cap_ext else None)
    else:
        if ref_ext != cap_ext:
            diff("extensions (order)", ref_ext, cap_ext)

    # Payloads, by extension type (GREASE ones by position among GREASE).
    ref_p, cap_p = _ext_payloads(reference), _ext_payloads(capture)
    ref_g = [p for t, p in ref_p if t == "GREASE"]
    cap_g = [p for t, p in cap_p if t == "GREASE"]
    if [len(p) for p in ref_g] != [len(p) for p in cap_g]:
        diff("GREASE extension payload lengths", [len(p) // 2 for p in ref_g],
             [len(p) // 2 for p in cap_g])
    cap_by_type = {t: p for t, p in cap_p if t != "GREASE"}
    for t, p in ref_p:
        if t == "GREASE" or t in VARIABLE_PAYLOADS:
            continue
        if t in cap_by_type and cap_by_type[t] != p:
            diff(f"ext {t} payload", p, cap_by_type[t])

    # ECH GREASE and the length of everything else.
    r_ech, c_ech = reference.get("ech_len"), capture.get("ech_len")
    if browser == "chromium" and r_ech is not None:
        ok = (c_ech is not None and (c_ech - 42 - 16) % 32 == 0 and
              128 <= c_ech - 42 - 16 <= 224)
        if not ok:
            diff("ech_len (shape: 42 + 32k + 16, k 4..7)", r_ech, c_ech)
    elif r_ech != c_ech:
        diff("ech_len", r_ech, c_ech)
    r_len = reference["client_hello_len"] - (r_ech or 0)
    c_len = capture["client_hello_len"] - (c_ech or 0)
    if r_len != c_len:
        diff("client_hello_len without ECH", r_len, c_len)

    for f in ("ja3n", "ja4", "ja4_r") + (("ja3",) if browser != "chromium"
                                          else ()):
        if reference.get(f) != capture.get(f):
            diff(f, reference.get(f), capture.get(f))
    return diffs


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


def compare_h1_headers(capture, reference, ignore_values=("host",)):
    """Header names, order and casing exactly; values except |ignore_values|
    (lower-case names)."""
    diffs = []
    exp = [(n, None if n.lower() in ignore_values else v)
           for n, v in reference.get("headers", [])]
    got = [(n, None if n.lower() in ignore_values else v)
           for n, v in capture.get("headers", [])]
    if [n for n, _ in exp] != [n for n, _ in got]:
        diffs.append(("header names/order", [n for n, _ in exp],
                      [n for n, _ in got]))
    for (n, v), (_, w) in zip(exp, got):
        if v != w:
            diffs.append((f"header {n}", v, w))
    return diffs


def compare_h2(capture, reference, ignore_values=(":authority", ":path")):
    diffs = []
    for f in ("h2_settings", "h2_window_update", "h2_priority_frames"):
        if reference.get(f) != capture.get(f):
            diffs.append((f, reference.get(f), capture.get(f)))
    rs = (reference.get("h2_streams") or [{}])[0]
    cs = (capture.get("h2_streams") or [{}])[0]
    for f in ("stream_id", "priority", "end_stream"):
        if rs.get(f) != cs.get(f):
            diffs.append((f"HEADERS {f}", rs.get(f), cs.get(f)))
    exp = [(n, None if n in ignore_values else v)
           for n, v in rs.get("headers", [])]
    got = [(n, None if n in ignore_values else v)
           for n, v in cs.get("headers", [])]
    if exp != got:
        diffs.append(("HEADERS header list", exp, got))
    ra, ca = reference.get("akamai", ""), capture.get("akamai", "")
    if ra != ca:
        diffs.append(("akamai", ra, ca))
    return diffs


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

#!/usr/bin/env python3
"""demo_fingerprint.py: the main job's fingerprint part. Debian's unmodified
/usr/bin/curl fetches from the project's fingerprint server
(tests/fingerprint/fpserver.py, on 127.0.0.1) twice: once as itself (Debian's
libcurl on OpenSSL) and once with curlium swapped in by LD_LIBRARY_PATH and
CURL_IMPERSONATE=chrome. What the server saw is printed field by field next
to the real Chromium 156 capture (../shared/reference/chromium-156-linux-h2.json),
with, for each field, whether curlium's matches the browser's under the
comparison rules of tests/fingerprint/compare.py (GREASE as a shape,
Chromium's permuted extensions as a set, the headless markers replaced by
Google Chrome's as the profile does).

  scripts/demo_fingerprint.py [--build-dir build] [--target chrome]

Exit status 0 when every compared field matches, 1 when some differ, 2 when
a run could not be made.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fingerprint"))
import compare  # noqa: E402
import fpcert  # noqa: E402
import fpserver  # noqa: E402

CURL = "/usr/bin/curl"
CHROME_MAJOR = 156
REFERENCE = "chromium-156-linux-h2.json"
COLUMNS = ("curl, itself", "curl + curlium", f"Chromium {CHROME_MAJOR}")

# Rows: title, how to show a record's value, compare.py's diff keys that
# decide whether curlium's value is the browser's.
ROWS = [
    ("JA4", lambda r: r.get("ja4"), {"ja4"}),
    ("JA4_r", lambda r: r.get("ja4_r"), {"ja4_r"}),
    ("JA3n (JA3 with the extensions sorted)", lambda r: r.get("ja3n"),
     {"ja3n"}),
    ("cipher suites", lambda r: hexlist(r.get("ciphers")),
     {"ciphers", "grease_ciphers"}),
    ("extensions (Chrome permutes them: compared as a set)",
     lambda r: hexlist(sorted(compare.norm(r.get("extensions") or []),
                              key=str)),
     {"extensions (set)", "extensions[0] is GREASE",
      "extensions[-1] is GREASE"}),
    ("supported groups", lambda r: hexlist(r.get("groups")), {"groups"}),
    ("key shares [group, length]", lambda r: str(compare.norm(
        r.get("key_share"))), {"key_share"}),
    ("signature algorithms", lambda r: hexlist(r.get("sigalgs")),
     {"sigalgs"}),
    ("ALPN", lambda r: ",".join(r.get("alpn") or []), {"alpn"}),
    ("ALPS", lambda r: ",".join(r.get("alps") or []) or "-", {"alps"}),
    ("certificate compression", lambda r: hexlist(r.get("cert_compression")),
     {"cert_compression"}),
    ("ECH GREASE length (varies per connection: 42 + 32k + 16)", lambda r: str(r.get("ech_len", "-")),
     {"ech_len", "ech_len (shape: 42 + 32k + 16, k 4..7)"}),
    ("ClientHello length without ECH", lambda r: str(
        r.get("client_hello_len", 0) - (r.get("ech_len") or 0)),
     {"client_hello_len without ECH"}),
    ("HTTP/2 Akamai string", lambda r: r.get("akamai") or "-", {"akamai"}),
]


def hexlist(values):
    if not values:
        return "-"
    return ",".join(v if isinstance(v, str) else
                    ("GREASE" if compare.is_grease(v) else f"{v:04x}")
                    for v in values)


def reference_path():
    for d in (REPO.parent / "shared" / "reference",
              Path("/work/shared/reference")):
        if (d / REFERENCE).exists():
            return d / REFERENCE
    return None


def fetch(env, ca, port):
    """Runs the curl tool against the fingerprint server; returns the
    server's record (the response body) or raises RuntimeError."""
    cp = subprocess.run(
        [CURL, "-q", "-sS", "--cacert", str(ca), "--resolve",
         f"fp.test:{port}:127.0.0.1", f"https://fp.test:{port}/"],
        capture_output=True, timeout=60, env=env)
    if cp.returncode != 0:
        raise RuntimeError(f"curl exited {cp.returncode}: "
                           f"{cp.stderr.decode(errors='replace').strip()}")
    rec = json.loads(cp.stdout)
    if "error" in rec:
        raise RuntimeError(f"fingerprint server: {rec['error']}")
    return rec


def show_row(title, values, verdict):
    print(f"{title}{verdict:>{max(1, 78 - len(title))}}")
    for label, value in zip(COLUMNS, values):
        lines = textwrap.wrap(value or "-", 76, break_on_hyphens=False) or ["-"]
        print(f"  {label:<18}{lines[0]}")
        for more in lines[1:]:
            print(f"  {'':<18}{more}")


def same_entry(mine, browser):
    """One header of the list equal to the browser's in that position;
    :authority and :path carry the test server's address, so only their
    names count."""
    if mine[0] != browser[0]:
        return False
    return mine[0] in (":authority", ":path") or mine[1] == browser[1]


def show_headers(recs):
    """The request's header list, names side by side; '=' marks a curlium
    entry (name and value) identical to the browser's in that position."""
    lists = [compare.request_headers(r, pseudo=True) for r in recs]
    mine, browser = lists[1], lists[2]
    width = 26
    print("HTTP/2 request header list, in order")
    print("  " + "".join(f"{c:<{width}}" for c in COLUMNS) +
          "curlium = Chromium")
    for i in range(max(len(x) for x in lists)):
        cells = [x[i][0] if i < len(x) else "" for x in lists]
        same = (i < len(mine) and i < len(browser) and
                same_entry(mine[i], browser[i]))
        print("  " + "".join(f"{c[:width - 2]:<{width}}" for c in cells) +
              ("yes" if same else "DIFFERS"))
    for name in ("user-agent", "sec-ch-ua"):
        print(f"  {name}:")
        for label, pairs in zip(COLUMNS, lists):
            print(f"    {label:<16}{dict(pairs).get(name, '-')}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=str(REPO / "build"))
    ap.add_argument("--target", default="chrome")
    args = ap.parse_args()
    compat = Path(args.build_dir).resolve() / "compat"
    ref_path = reference_path()
    if ref_path is None:
        print(f"demo: no reference capture {REFERENCE} (../shared/reference)")
        return 2
    reference = compare.as_google_chrome(json.loads(ref_path.read_text()),
                                         CHROME_MAJOR)

    work = Path(tempfile.mkdtemp(prefix="curlium-demo-"))
    ca, cert, key = fpcert.make_cert(work)
    plain = {k: v for k, v in os.environ.items()
             if k not in ("LD_PRELOAD", "LD_LIBRARY_PATH", "CURL_IMPERSONATE",
                          "CURL_IMPERSONATE_HEADERS")}
    curlium = dict(plain, LD_LIBRARY_PATH=str(compat),
                   CURL_IMPERSONATE=args.target)
    recs = []
    for env in (plain, curlium):
        srv = fpserver.FingerprintServer(str(cert), str(key))
        try:
            recs.append(fetch(env, ca, srv.port))
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
            print(f"demo: {e}")
            return 2
        finally:
            srv.stop()
    recs.append(reference)

    print(f"== What a server sees: {CURL} as itself, {CURL} with curlium and "
          f"CURL_IMPERSONATE={args.target},")
    print(f"   and the real Chromium {CHROME_MAJOR} ({ref_path.name}; "
          "headless markers replaced by Google Chrome's, as the profile does)")
    print()
    diffs = compare.compare_tls(recs[1], reference) + \
        compare.compare_h2(recs[1], reference)
    diff_keys = {d[0] for d in diffs}
    for title, value_of, keys in ROWS:
        verdict = ("curlium = Chromium" if not keys & diff_keys
                   else "curlium DIFFERS")
        show_row(title, [value_of(r) for r in recs], verdict)
    print()
    show_headers(recs)
    print()
    stock_diffs = compare.compare_tls(recs[0], reference) + \
        compare.compare_h2(recs[0], reference)
    print(f"curl as itself: {len(stock_diffs)} of the compared fields "
          "differ from Chromium's.")
    if diffs:
        print(f"curl + curlium ({args.target}): {len(diffs)} field(s) differ "
              "from Chromium's:")
        print(compare.format_diffs(diffs))
        return 1
    print(f"curl + curlium ({args.target}): every compared field matches "
          f"Chromium {CHROME_MAJOR} (TLS ClientHello, HTTP/2 frames, header "
          "list and values).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

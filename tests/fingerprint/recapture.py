#!/usr/bin/env python3
"""recapture.py: capture the Debian chromium and firefox-esr installed on
this machine against fpserver.py (headless, HTTP/2 and HTTP/1.1) and diff
them against the curlium profiles chrome156 / firefox153, so that a browser
update that changes the wire is noticed. Not part of CI.

Needs: openssl, certutil (libnss3-tools, for Firefox's profile), and the
browsers: `apt-get install chromium firefox-esr` (the script says which one
is missing and skips it). Also a build of curlium (--build-dir, default
./build) for the profile side, captured with tests/fingerprint/imp_client
through the same server.

Usage: python3 tests/fingerprint/recapture.py [--build-dir build]
       [--out DIR] [--only chromium|firefox]
Writes the captures as DIR/<browser>-<version>-linux-h{1,2}.json (the
../shared/reference naming) and prints compare.py's differences; exit
status 1 when a browser differs from its profile in a compared field.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import compare  # noqa: E402
import fpserver  # noqa: E402

REPO = HERE.parent.parent


def need(tool, package):
    if not shutil.which(tool):
        print(f"recapture: {tool} not found (apt-get install {package})")
        return False
    return True


def make_cert(d):
    def ossl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)
    ossl("req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(d / "ca.key"),
         "-out", str(d / "ca.pem"), "-days", "2", "-subj", "/CN=recapture CA")
    ossl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", str(d / "fp.key"), "-out", str(d / "fp.csr"),
         "-subj", "/CN=fp.test")
    (d / "ext.cnf").write_text("subjectAltName=DNS:fp.test\n")
    ossl("x509", "-req", "-in", str(d / "fp.csr"), "-CA", str(d / "ca.pem"),
         "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-out",
         str(d / "fp.pem"), "-days", "2", "-extfile", str(d / "ext.cnf"))
    return d / "ca.pem", d / "fp.pem", d / "fp.key"


def version(cmd):
    out = subprocess.run([cmd, "--version"], capture_output=True, text=True)
    m = re.search(r"(\d+(\.\d+)+)", out.stdout)
    return m.group(1) if m else "unknown"


def wait(srv, n, timeout=60):
    deadline = time.monotonic() + timeout
    while len(srv.records) <= n and time.monotonic() < deadline:
        time.sleep(0.2)
    return srv.records[n] if len(srv.records) > n else None


def chromium(srv, d, h2):
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={d / 'chromium-profile'}",
           "--ignore-certificate-errors",
           "--host-resolver-rules=MAP fp.test 127.0.0.1",
           "--dump-dom", f"https://fp.test:{srv.port}/"]
    if not h2:
        cmd.insert(1, "--disable-http2")
    n = len(srv.records)
    subprocess.run(cmd, capture_output=True, timeout=120)
    return wait(srv, n)


def firefox(srv, d, ca, h2):
    prof = d / ("ff-h2" if h2 else "ff-h1")
    prof.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{prof}", "--empty-password"],
                   check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-n", "ca", "-t", "CT,,", "-i", str(ca),
                    "-d", f"sql:{prof}"], check=True, capture_output=True)
    prefs = ['user_pref("network.dns.localDomains", "fp.test");']
    if not h2:
        prefs.append('user_pref("network.http.http2.enabled", false);')
    (prof / "user.js").write_text("\n".join(prefs) + "\n")
    n = len(srv.records)
    subprocess.run(["firefox-esr", "--headless", "--profile", str(prof),
                    "--screenshot", str(d / "shot.png"),
                    f"https://fp.test:{srv.port}/"],
                   capture_output=True, timeout=120)
    return wait(srv, n)


def profile_capture(srv, ca, build, target, h2):
    exe = build / "tests-integration" / "imp_client"
    if not exe.exists():
        print(f"recapture: {exe} missing (run the impersonation integration "
              "tests once to build it)")
        return None
    n = len(srv.records)
    args = [str(exe), "--resolve", f"fp.test:{srv.port}:127.0.0.1",
            "--cacert", str(ca), "--impersonate", target]
    if not h2:
        args.append("--http1.1")
    subprocess.run(args + [f"https://fp.test:{srv.port}/"],
                   capture_output=True, timeout=60,
                   env=dict(os.environ, CURL_IMPERSONATE=""))
    return wait(srv, n, 15)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=str(REPO / "build"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", choices=("chromium", "firefox"))
    args = ap.parse_args()
    if not need("openssl", "openssl"):
        return 2
    d = Path(tempfile.mkdtemp(prefix="recapture-"))
    out = Path(args.out) if args.out else d
    out.mkdir(parents=True, exist_ok=True)
    ca, cert, key = make_cert(d)
    srv = fpserver.FingerprintServer(str(cert), str(key))
    build = Path(args.build_dir)
    browsers = []
    if args.only in (None, "chromium") and need("chromium", "chromium"):
        browsers.append(("chromium", "chrome156",
                         lambda h2: chromium(srv, d, h2)))
    if args.only in (None, "firefox") and need("firefox-esr", "firefox-esr") \
            and need("certutil", "libnss3-tools"):
        browsers.append(("firefox-esr", "firefox153",
                         lambda h2: firefox(srv, d, ca, h2)))
    differs = False
    for name, target, run in browsers:
        ver = version(name)
        major = ver.split(".")[0]
        for h2 in (True, False):
            label = f"{name}-{major}-linux-{'h2' if h2 else 'h1'}"
            rec = run(h2)
            if not rec or "error" in rec:
                print(f"{label}: no capture ({rec and rec.get('error')})")
                differs = True
                continue
            rec["captured"] = f"{name} {ver} (recapture.py)"
            (out / f"{label}.json").write_text(json.dumps(rec, indent=1))
            mine = profile_capture(srv, ca, build, target, h2)
            if not mine:
                continue
            ref = dict(rec)
            if name == "chromium":  # the profile is Google Chrome's
                if "headers" in ref:
                    ref["headers"] = compare.google_chrome_headers(
                        ref["headers"], int(major))
                for s in ref.get("h2_streams", []):
                    s["headers"] = compare.google_chrome_headers(
                        s["headers"], int(major))
            diffs = compare.compare_tls(mine, ref)
            diffs += (compare.compare_h2(mine, ref) if h2 else
                      compare.compare_h1_headers(mine, ref))
            print(f"== {label} ({ver}) vs {target}: "
                  f"{'same' if not diffs else f'{len(diffs)} differences'}")
            if diffs:
                differs = True
                print(compare.format_diffs(diffs))
    srv.stop()
    print(f"captures in {out}")
    if not browsers:
        return 2
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())

"""Debian's stock /usr/bin/curl with curlium swapped in (LD_LIBRARY_PATH)
and CURL_IMPERSONATE set, against the fingerprint server: the tool's own
defaults (CURLOPT_USERAGENT "curl/7.88.1", libcurl's "Accept: */*") must
not leak into the browser's request, while the user's explicit -A / -H
still win in the browser's position. An unknown target in the environment
is reported on stderr once and the transfer fails (docs/COMPAT.md).
"""
import json

import harness as h
import test_debian_curl as dc
import test_impersonate_tls as tls

fpserver = tls.fpserver


def run_curl(args, target="chrome", http="--http2", mode="ldpath"):
    env = dc.curl_env(mode)
    env["CURL_IMPERSONATE"] = target
    d = h.tempdir()
    ca, cert, key = tls.make_cert(d)
    srv = fpserver.FingerprintServer(str(cert), str(key))
    h.on_cleanup(srv.stop)
    cp = dc.curl(env, "-sS", http, "--cacert", ca, "--resolve",
                 f"fp.test:{srv.port}:127.0.0.1", *args,
                 f"https://fp.test:{srv.port}/page")
    return cp, srv


def request_headers(cp):
    assert cp.returncode == 0, dc.text(cp.stderr)
    return tls.compare.request_headers(json.loads(cp.stdout))


def names(hdrs):
    return [n.lower() for n, _ in hdrs]


def test_tool_default_user_agent_does_not_leak():
    cp, _ = run_curl([])
    hdrs = request_headers(cp)
    ua = dict(hdrs)["user-agent"]
    assert "Chrome/156.0.0.0" in ua and "curl/" not in ua, ua
    assert dict(hdrs)["accept"] != "*/*", hdrs
    assert names(hdrs)[:5] == ["sec-ch-ua", "sec-ch-ua-mobile",
                               "sec-ch-ua-platform",
                               "upgrade-insecure-requests", "user-agent"]


def test_explicit_user_agent_wins_in_place():
    for args in (["-A", "probe/1"], ["-H", "User-Agent: probe/1"]):
        cp, _ = run_curl(args)
        hdrs = request_headers(cp)
        assert dict(hdrs)["user-agent"] == "probe/1", (args, hdrs)
        assert names(hdrs).index("user-agent") == 4, (args, hdrs)


def test_http1_default_user_agent_does_not_leak():
    cp, _ = run_curl([], target="firefox", http="--http1.1")
    hdrs = request_headers(cp)
    assert names(hdrs)[:2] == ["host", "user-agent"], hdrs
    assert "Firefox/153.0" in dict(hdrs)["User-Agent"], hdrs


def test_unknown_target_in_environment():
    env = dc.curl_env("ldpath")
    env["CURL_IMPERSONATE"] = "netscape4"
    # Two URLs: two easy handles' worth of work, one warning.
    cp = dc.curl(env, "-sS", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b")
    err = dc.text(cp.stderr)
    assert cp.returncode == 43, err  # CURLE_BAD_FUNCTION_ARGUMENT
    assert err.count("unknown impersonation target 'netscape4' in "
                     "CURL_IMPERSONATE") == 1, err


def test_stock_curl_matches_the_browsers_by_both_swaps():
    """Stock curl, CURL_IMPERSONATE, library swap and LD_PRELOAD: the
    ClientHello and the HTTP/2 frames and header list are the captured
    browsers' (chrome156 by LD_PRELOAD, firefox153 by library path)."""
    import test_impersonate_http as http
    for target, mode, profile, ref in (
            ("chrome", "preload", "chrome156",
             http.chrome_reference("chromium-156-linux-h2")),
            ("firefox", "ldpath", "firefox153",
             tls.reference("firefox-esr-153-linux-h2"))):
        missing = tls.missing_patches(profile)
        if missing:
            raise h.SkipTest("needs BoringSSL patches: " + ", ".join(missing))
        cp, _ = run_curl([], target=target, mode=mode)
        assert cp.returncode == 0, dc.text(cp.stderr)
        rec = json.loads(cp.stdout)
        diffs = (tls.compare.compare_tls(rec, ref) +
                 tls.compare.compare_h2(rec, ref))
        assert not diffs, (target, mode, tls.compare.format_diffs(diffs))


def test_multipart_boundary_in_the_browser_style():
    import re
    styles = {"chrome": r"----WebKitFormBoundary[A-Za-z0-9]{16}",
              "safari": r"----WebKitFormBoundary[A-Za-z0-9]{16}",
              "firefox": r"----geckoformboundary[0-9a-f]{32}"}
    for target, pattern in styles.items():
        cp, _ = run_curl(["-F", "field=value"], target=target,
                         http="--http1.1")
        ct = dict((n.lower(), v) for n, v in request_headers(cp))[
            "content-type"]
        assert re.fullmatch("multipart/form-data; boundary=" + pattern,
                            ct), (target, ct)


def test_main_job_fingerprint_demo():
    """README's first command ends with scripts/demo_fingerprint.py: stock
    curl as itself and with CURL_IMPERSONATE=chrome, next to the Chromium
    156 capture. It must run and find every compared field matching."""
    missing = tls.missing_patches("chrome156")
    if missing:
        raise h.SkipTest("needs BoringSSL patches: " + ", ".join(missing))
    tls.reference("chromium-156-linux-h2")  # skips without ../shared
    dc.curl_env("ldpath")  # checks that the swap really loads curlium
    cp = h.run(["python3", h.REPO / "scripts" / "demo_fingerprint.py",
                "--build-dir", h.build_dir()], timeout=120)
    out = dc.text(cp.stdout) + dc.text(cp.stderr)
    assert cp.returncode == 0, out[-3000:]
    assert "curlium DIFFERS" not in out, out
    for row in ("JA4 ", "HTTP/2 Akamai string", "request header list"):
        assert row in out, (row, out[-3000:])
    assert "every compared field matches Chromium 156" in out, out[-2000:]

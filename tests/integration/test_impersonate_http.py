"""Impersonation, HTTP part: the request a browser profile sends, against
the fingerprint server, compared with the real browsers' captures in
../shared/reference: HTTP/1.1 header names, order, casing and values; HTTP/2
SETTINGS, connection WINDOW_UPDATE, PRIORITY frames, the HEADERS frame's
priority and its field list with the pseudo-header order; and the TLS
ClientHello of the h2 connection (ALPN h2 + ALPS). Firefox's capture sent
its first request on stream 3, and so does the firefox153 profile."""

import harness as h
import test_impersonate_tls as tls

compare = tls.compare

# The captures come from headless Chromium; the profile is Google Chrome's
# (UA without "Headless", the "Google Chrome" brand).
CHROME_MAJOR = 156


def chrome_reference(name):
    return compare.as_google_chrome(tls.reference(name), CHROME_MAJOR)


def test_chrome156_h1_headers():
    rec, _ = tls.capture(["--impersonate", "chrome156", "--http1.1"])
    diffs = compare.compare_h1_headers(rec, chrome_reference(
        "chromium-156-linux-h1"))
    assert not diffs, compare.format_diffs(diffs)


def test_firefox153_h1_headers():
    rec, _ = tls.capture(["--impersonate", "firefox153", "--http1.1"])
    diffs = compare.compare_h1_headers(rec, tls.reference(
        "firefox-esr-153-linux-h1"))
    assert not diffs, compare.format_diffs(diffs)


def check_h2(target, ref, ignore=()):
    rec, _ = tls.capture(["--impersonate", target])
    diffs = [d for d in compare.compare_h2(rec, ref) if d[0] not in ignore]
    assert not diffs, compare.format_diffs(diffs)
    return rec


def test_chrome156_h2_frames_and_headers():
    check_h2("chrome156", chrome_reference("chromium-156-linux-h2"))


def test_firefox153_h2_frames_and_headers():
    rec = check_h2("firefox153", tls.reference("firefox-esr-153-linux-h2"))
    assert rec["h2_streams"][0]["stream_id"] == 3


def test_chrome156_h2_tls():
    missing = tls.missing_patches("chrome156")
    if missing:
        raise h.SkipTest("needs BoringSSL patches: " + ", ".join(missing))
    rec, _ = tls.capture(["--impersonate", "chrome156"])
    diffs = compare.compare_tls(rec, tls.reference("chromium-156-linux-h2"))
    assert not diffs, compare.format_diffs(diffs)


def test_firefox153_h2_tls():
    missing = tls.missing_patches("firefox153")
    if missing:
        raise h.SkipTest("needs BoringSSL patches: " + ", ".join(missing))
    rec, _ = tls.capture(["--impersonate", "firefox153"])
    diffs = compare.compare_tls(rec, tls.reference("firefox-esr-153-linux-h2"))
    assert not diffs, compare.format_diffs(diffs)

"""Debian's python3-pycurl (built for libcurl-gnutls.so.4) with curlium
swapped in, by library path and by LD_PRELOAD, impersonating through
CURL_IMPERSONATE against the fingerprint server. The ClientHello, the
HTTP/2 frames and the header list are compared with the real browsers'
captures, as for the C client (test_impersonate_tls/http).

pycurl's own default User-Agent ("PycURL/7.45.2 libcurl/...") must not
leak into an impersonated request, like the curl tool's "curl/x.y.z".

CURLOPT_IMPERSONATE cannot be reached through pycurl: pycurl accepts only
the option numbers its own table knows, and rejects 10999 before libcurl
sees it, so pycurl programs choose the target through the environment
(docs/COMPAT.md, "Impersonation")."""
import json

import harness as h
import test_impersonate_http as http
import test_impersonate_tls as tls

PYTHON = "/usr/bin/python3"  # Debian's, where python3-pycurl lives
CLIENT = h.REPO / "tests" / "integration" / "clients" / "pycurl_fetch.py"


def pycurl_env(mode):
    """Environment that makes Debian's pycurl load curlium's
    libcurl-gnutls.so.4, after checking that it does."""
    h.require_build()
    import os
    if not os.path.exists(PYTHON):
        raise h.SkipTest(f"{PYTHON} is not installed")
    found = h.run([PYTHON, "-c", "import pycurl; print(pycurl.__file__)"])
    if found.returncode != 0:
        raise h.SkipTest("python3-pycurl is not installed")
    module = found.stdout.decode().strip()
    lib = h.libcurl_gnutls_path()
    env = ({"LD_LIBRARY_PATH": str(h.compat_dir())} if mode == "ldpath"
           else {"LD_PRELOAD": str(lib)})
    if mode == "ldpath":
        h.assert_same_file(h.resolved_lib(module, "libcurl-gnutls.so.4", env),
                           lib, f"libcurl-gnutls.so.4 for {module}")
    return env


def fetch(mode, target="chrome", http_version="2", args=(), env_var=True):
    env = pycurl_env(mode)
    if env_var:
        env["CURL_IMPERSONATE"] = target
    d = h.tempdir()
    ca, cert, key = tls.make_cert(d)
    srv = tls.fpserver.FingerprintServer(str(cert), str(key))
    h.on_cleanup(srv.stop)
    cp = h.run([PYTHON, str(CLIENT), f"https://fp.test:{srv.port}/page",
                "--cacert", str(ca), "--resolve",
                f"fp.test:{srv.port}:127.0.0.1", "--http", http_version,
                *args], env=env)
    err = cp.stderr.decode(errors="replace")
    assert cp.returncode == 0, f"pycurl client failed: {err}"
    if not h.reference_mode():
        assert "BoringSSL" in err, f"pycurl did not load curlium: {err}"
    rec = json.loads(cp.stdout)
    assert "error" not in rec, rec["error"]
    return rec


def assert_matches(diffs):
    assert not diffs, tls.compare.format_diffs(diffs)


def require_patches(target):
    missing = tls.missing_patches(target)
    if missing:
        raise h.SkipTest("needs BoringSSL patches: " + ", ".join(missing))


def test_pycurl_imports_with_curlium_swapped_in():
    env = pycurl_env("ldpath")
    cp = h.run([PYTHON, "-c", "import pycurl; print(pycurl.version)"],
               env=env)
    out = cp.stdout.decode(errors="replace") + cp.stderr.decode(
        errors="replace")
    assert cp.returncode == 0, out
    # Everything that names the TLS library still says BoringSSL.
    assert "libcurl/8.14.1 BoringSSL" in out, out


def test_only_the_gnutls_flavour_answers_to_gnutls():
    """curl_global_sslset(-1, "gnutls"): OK from libcurl-gnutls.so.4 (what
    pycurl's import checks), unknown from libcurl.so.4; both hand back the
    one real backend, "openssl" (BoringSSL)."""
    import ctypes
    h.require_build()
    CURLSSLSET_OK, CURLSSLSET_UNKNOWN_BACKEND = 0, 1
    for path, want in ((h.libcurl_gnutls_path(), CURLSSLSET_OK),
                       (h.libcurl_path(), CURLSSLSET_UNKNOWN_BACKEND)):
        lib = ctypes.CDLL(str(path), mode=ctypes.RTLD_LOCAL)
        lib.curl_global_sslset.restype = ctypes.c_int
        lib.curl_global_sslset.argtypes = [
            ctypes.c_int, ctypes.c_char_p,
            ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p))]
        avail = ctypes.POINTER(ctypes.c_void_p)()
        got = lib.curl_global_sslset(-1, b"gnutls", ctypes.byref(avail))
        assert got == want, (path, got)
        # avail[0] -> struct { int id; const char *name; }
        first = ctypes.cast(avail[0], ctypes.POINTER(ctypes.c_int * 4))
        name = ctypes.cast(ctypes.c_void_p(avail[0] + 8), ctypes.POINTER(
            ctypes.c_char_p))[0]
        assert first[0][0] == 1 and name == b"openssl", (path, name)
        assert not avail[1], path


def check_h2(mode, target, profile, tls_name, h2_reference):
    """TLS hello and HTTP/2 frames of a pycurl fetch against the captures."""
    require_patches(profile)
    rec = fetch(mode, target)
    assert_matches(tls.compare.compare_tls(rec, tls.reference(tls_name)))
    assert_matches(tls.compare.compare_h2(rec, h2_reference))


def test_chrome_h2_by_library_path():
    check_h2("ldpath", "chrome", "chrome156", "chromium-156-linux-h2",
             http.chrome_reference("chromium-156-linux-h2"))


def test_firefox_h2_by_preload():
    check_h2("preload", "firefox", "firefox153", "firefox-esr-153-linux-h2",
             tls.reference("firefox-esr-153-linux-h2"))


def test_chrome_h1_headers_by_preload():
    rec = fetch("preload", "chrome", http_version="1.1")
    assert_matches(tls.compare.compare_h1_headers(
        rec, http.chrome_reference("chromium-156-linux-h1")))


def test_pycurl_default_user_agent_does_not_leak():
    rec = fetch("ldpath", "firefox", http_version="1.1")
    ua = dict(tls.compare.request_headers(rec))["User-Agent"]
    assert "Firefox/153.0" in ua and "PycURL" not in ua, ua


def test_explicit_user_agent_wins_in_place():
    rec = fetch("ldpath", "chrome", args=["--useragent", "probe/1"])
    hdrs = tls.compare.request_headers(rec)
    assert dict(hdrs)["user-agent"] == "probe/1", hdrs
    assert [n for n, _ in hdrs].index("user-agent") == 4, hdrs


def test_environment_set_inside_python_and_kept_by_reset():
    """os.environ set before the handle exists, then Curl.reset(): the
    handle curl_easy_reset made impersonates too."""
    rec = fetch("ldpath", env_var=False,
                args=["--set-env", "chrome156", "--reset"])
    assert_matches(tls.compare.compare_h2(
        rec, http.chrome_reference("chromium-156-linux-h2")))


def test_without_impersonation_pycurl_is_itself():
    """Control: without CURL_IMPERSONATE the request is pycurl's own."""
    rec = fetch("ldpath", env_var=False, http_version="1.1")
    ua = dict(tls.compare.request_headers(rec))["User-Agent"]
    assert ua.startswith("PycURL/"), ua

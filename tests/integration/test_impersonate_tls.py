"""Impersonation, TLS part: a libcurl program (tests/fingerprint/
imp_client.c) impersonating chrome156 / firefox153 against the fingerprint
server (tests/fingerprint/fpserver.py), its ClientHello compared field by
field with the real browsers' captures in ../shared/reference (rules in
tests/fingerprint/compare.py).

The captures used are the HTTP/1.1 ones, and the client asks for HTTP/1.1
(CURLOPT_HTTP_VERSION), so it offers ALPN http/1.1 only and, like Chrome
with --disable-http2, no ALPS. Only TLS fields are compared here; the h2
captures and the header lists come with the HTTP/2 and header work.

Some fields need our BoringSSL patches (packaging/boringssl-patches). The
test reads which ones the build's BoringSSL headers have: the *_base tests
compare every field the available switches produce and must pass; the
*_all_fields tests compare everything and are skipped, naming the missing
patches, when a patch is not built in.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import harness as h

FP_DIR = h.REPO / "tests" / "fingerprint"
sys.path.insert(0, str(FP_DIR))
import compare  # noqa: E402
import fpcert  # noqa: E402
import fpserver  # noqa: E402

REFERENCE_DIR = h.REPO.parent / "shared" / "reference"
if not REFERENCE_DIR.exists():
    REFERENCE_DIR = Path("/work/shared/reference")

# Patch macro -> fields of compare.compare_tls() it changes.
PATCH_FIELDS = {
    "BORINGSSL_CURLIUM_GREASE_SIGALG": {
        "sigalgs", "client_hello_len without ECH"},
    "BORINGSSL_CURLIUM_TLS13_CIPHER_ORDER": {"ciphers", "ja3", "ja3n"},
    "BORINGSSL_CURLIUM_EXTENSION_ORDER": {"extensions (order)", "ja3"},
    "BORINGSSL_CURLIUM_RECORD_SIZE_LIMIT": {
        "record_size_limit", "extensions (order)", "extensions (set)",
        "client_hello_len without ECH", "ja3", "ja3n", "ja4", "ja4_r"},
    "BORINGSSL_CURLIUM_DELEGATED_CREDENTIAL_SIGALGS": {
        "delegated_credentials", "extensions (order)", "extensions (set)",
        "client_hello_len without ECH", "ja3", "ja3n", "ja4", "ja4_r"},
    "BORINGSSL_CURLIUM_ADVERTISED_EXTRA_GROUPS": {
        "groups", "client_hello_len without ECH", "ja3", "ja3n"},
    "BORINGSSL_CURLIUM_ECH_GREASE_SHAPE": {"ech_len"},
}

# Which patches each target needs (from its profile data).
NEEDS = {
    "chrome156": ["BORINGSSL_CURLIUM_GREASE_SIGALG"],
    "firefox153": ["BORINGSSL_CURLIUM_TLS13_CIPHER_ORDER",
                   "BORINGSSL_CURLIUM_EXTENSION_ORDER",
                   "BORINGSSL_CURLIUM_RECORD_SIZE_LIMIT",
                   "BORINGSSL_CURLIUM_DELEGATED_CREDENTIAL_SIGALGS",
                   "BORINGSSL_CURLIUM_ADVERTISED_EXTRA_GROUPS",
                   "BORINGSSL_CURLIUM_ECH_GREASE_SHAPE"],
}


def boringssl_prefix():
    """The BoringSSL prefix the build under test was configured with."""
    info = h.build_dir() / "meson-info" / "intro-buildoptions.json"
    try:
        for opt in json.loads(info.read_text()):
            if opt.get("name") == "boringssl_dir" and opt.get("value"):
                return Path(opt["value"])
    except (OSError, ValueError):
        pass
    cache = Path(os.environ.get("CURLIUM_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "curlium")
    cur = cache / "boringssl-current"
    return Path(cur.read_text().strip()) if cur.exists() else None


def built_patches():
    prefix = boringssl_prefix()
    hdr = prefix / "include" / "openssl" / "ssl.h" if prefix else None
    if not hdr or not hdr.exists():
        return set()
    text = hdr.read_text(errors="replace")
    return {m for m in PATCH_FIELDS if f"#define {m} " in text}


def missing_patches(target):
    have = built_patches()
    return [m for m in NEEDS[target] if m not in have]


def make_cert(d):
    """A CA and a certificate for fp.test (the captures' SNI)."""
    h.require_tool("openssl")
    return fpcert.make_cert(d, "curlium fingerprint test CA")


def client_binary():
    """Builds tests/fingerprint/imp_client.c against the build's libcurl
    (like harness.fetch_binary)."""
    h.require_build()
    src = FP_DIR / "imp_client.c"
    out_dir = h.build_dir() / "tests-integration"
    out_dir.mkdir(exist_ok=True)
    exe = out_dir / "imp_client"
    newest = max(src.stat().st_mtime, h.libcurl_path().stat().st_mtime)
    if exe.exists() and exe.stat().st_mtime >= newest:
        return exe
    tmp = out_dir / f"imp_client.{os.getpid()}"
    cmd = [os.environ.get("CC", "cc"), "-std=c11", "-O1", "-g", "-Wall",
           f"-I{h.REPO / 'include'}", str(src), "-o", str(tmp),
           f"-L{h.compat_dir()}", "-lcurl", f"-Wl,-rpath,{h.compat_dir()}"]
    cp = h.run(cmd, timeout=120)
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")[-4000:]
    os.replace(tmp, exe)
    return exe


def capture(args, env=None, alpn=("h2", "http/1.1")):
    """Runs imp_client with |args| against a fresh fingerprint server and
    returns (record, CompletedProcess)."""
    h.require_tool("openssl")
    d = h.tempdir()
    ca, cert, key = make_cert(d)
    srv = fpserver.FingerprintServer(str(cert), str(key), alpn=alpn)
    h.on_cleanup(srv.stop)
    url = f"https://fp.test:{srv.port}/page?q=1"
    cmd = [str(client_binary()), "--resolve", f"fp.test:{srv.port}:127.0.0.1",
           "--cacert", str(ca), *args, url]
    e = dict(os.environ)
    e.update(env or {})
    cp = subprocess.run(cmd, capture_output=True, timeout=30, env=e)
    err = cp.stderr.decode(errors="replace")
    assert cp.returncode == 0, f"imp_client failed ({cp.returncode}): {err}"
    rec = srv.wait_record()
    assert "error" not in rec, f"fingerprint server: {rec['error']} ({err})"
    return rec, cp


def reference(name):
    p = REFERENCE_DIR / f"{name}.json"
    if not p.exists():
        raise h.SkipTest(f"no reference capture {p}")
    return json.loads(p.read_text())


def check(target, ref_name, args, all_fields, env=None):
    # HTTP/1.1 only, as the h1 captures (chromium --disable-http2): the
    # offer stays "http/1.1" (no ALPS) once HTTP/2 is wired in too.
    rec, _ = capture(args + ["--http1.1"], env=env)
    ref = reference(ref_name)
    diffs = compare.compare_tls(rec, ref)
    missing = missing_patches(target)
    if all_fields and missing:
        raise h.SkipTest("needs BoringSSL patches not built in: " +
                         ", ".join(missing) +
                         " (run scripts/bootstrap-boringssl.sh)")
    if not all_fields:
        ignored = set().union(*(PATCH_FIELDS[m] for m in NEEDS[target]))
        diffs = [d for d in diffs if d[0] not in ignored]
    assert not diffs, (f"{target} differs from {ref_name}:\n" +
                       compare.format_diffs(diffs) + "\nJA4 " + rec["ja4"])
    return rec


# --- chrome156 -----------------------------------------------------------

def test_chrome156_tls_base():
    """Every field BoringSSL's own switches make (patched fields aside)."""
    check("chrome156", "chromium-156-linux-h1", ["--impersonate", "chrome156"],
          all_fields=False)


def test_chrome156_tls_all_fields():
    rec = check("chrome156", "chromium-156-linux-h1",
                ["--impersonate", "chrome156"], all_fields=True)
    assert rec["ja4"] == reference("chromium-156-linux-h1")["ja4"]


def test_chrome_alias_through_setopt():
    """CURLOPT_IMPERSONATE "chrome" (the alias) shapes the same hello."""
    check("chrome156", "chromium-156-linux-h1", ["--setopt", "chrome"],
          all_fields=False)


def test_chrome156_permutes_extensions_per_connection():
    a, _ = capture(["--impersonate", "chrome156"])
    b, _ = capture(["--impersonate", "chrome156"])
    c, _ = capture(["--impersonate", "chrome156"])
    orders = {tuple(x["extensions"][1:-1]) for x in (a, b, c)}
    assert len(orders) > 1, "three connections, one extension order"
    assert len({x["ja4"] for x in (a, b, c)}) == 1


# --- firefox153 ----------------------------------------------------------

def test_firefox153_tls_base():
    check("firefox153", "firefox-esr-153-linux-h1",
          ["--impersonate", "firefox153"], all_fields=False)


def test_firefox153_tls_all_fields():
    rec = check("firefox153", "firefox-esr-153-linux-h1",
                ["--impersonate", "firefox153"], all_fields=True)
    ref = reference("firefox-esr-153-linux-h1")
    # Fixed order: the whole JA3 string is the browser's.
    assert rec["ja3"] == ref["ja3"] and rec["ja4"] == ref["ja4"]


def test_firefox153_ech_grease_aead_per_connection():
    """NSS picks the GREASE ECH AEAD on a random bit per connection
    (AES-128-GCM or ChaCha20-Poly1305; the two reference captures show one
    each); firefox153 does too, with the rest of the shape fixed."""
    missing = missing_patches("firefox153")
    if "BORINGSSL_CURLIUM_ECH_GREASE_SHAPE" in missing:
        raise h.SkipTest("needs BORINGSSL_CURLIUM_ECH_GREASE_SHAPE")
    h.require_tool("openssl")
    d = h.tempdir()
    ca, cert, key = make_cert(d)
    srv = fpserver.FingerprintServer(str(cert), str(key))
    h.on_cleanup(srv.stop)
    n = 24  # both AEADs unless 24 coin flips agree (p = 2^-23)
    cp = subprocess.run(
        [str(client_binary()), "--resolve", f"fp.test:{srv.port}:127.0.0.1",
         "--cacert", str(ca), "--impersonate", "firefox153", "--http1.1",
         "--repeat", str(n), f"https://fp.test:{srv.port}/"],
        capture_output=True, timeout=60)
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")
    recs = [srv.wait_record(i) for i in range(n)]
    shapes = [compare.ech_shape(r) for r in recs]
    assert {s[2] for s in shapes} == {1, 3}, shapes
    assert {s[:2] + s[3:] for s in shapes} == {(0, 1, 1, 32)}, shapes
    assert {r["ech_len"] for r in recs} == {281}


# --- environment and errors -----------------------------------------------

def test_env_curl_impersonate():
    """CURL_IMPERSONATE=firefox on a program that never asks for it."""
    check("firefox153", "firefox-esr-153-linux-h1", [], all_fields=False,
          env={"CURL_IMPERSONATE": "firefox"})


def test_without_impersonation_hello_is_plain():
    """Control: the same client without a target looks like libcurl on
    BoringSSL, not like a browser (no GREASE, no ECH, no ALPS)."""
    rec, _ = capture([], env={"CURL_IMPERSONATE": ""})
    assert not rec["grease_ciphers"]
    assert "ech_len" not in rec
    ref = reference("chromium-156-linux-h1")
    assert rec["ja4"] != ref["ja4"]


def test_recapture_without_browsers_says_so():
    """tests/fingerprint/recapture.py (not in CI) on a machine without the
    browsers: one verdict line each naming the install script, exit 2."""
    d = h.tempdir()
    bin_dir = d / "bin"
    bin_dir.mkdir()
    for tool in ("openssl", "cc"):
        path = shutil.which(tool)
        if path:
            (bin_dir / tool).symlink_to(path)
    cp = subprocess.run(
        [sys.executable, str(FP_DIR / "recapture.py"), "--build-dir",
         str(h.build_dir())], capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PATH=str(bin_dir)))
    assert cp.returncode == 2, cp.stdout + cp.stderr
    lines = cp.stdout.splitlines()
    for label in ("chromium h2", "chromium h1", "firefox-esr h2",
                  "firefox-esr h1"):
        assert any(line.startswith(f"verdict {label}: COULD NOT CAPTURE") and
                   "scripts/install-browsers.sh" in line for line in lines), \
            cp.stdout
    assert lines[-1].startswith("verdict: COULD NOT CAPTURE"), cp.stdout


def test_unknown_target_is_bad_function_argument():
    exe = client_binary()
    for args in (["--impersonate", "netscape4"], ["--setopt", "chrome:maybe"]):
        cp = subprocess.run([str(exe), *args, "https://127.0.0.1:1/"],
                            capture_output=True, timeout=30)
        err = cp.stderr.decode(errors="replace")
        assert cp.returncode == 2, err
        assert "=43 " in err, err  # CURLE_BAD_FUNCTION_ARGUMENT
        assert "unknown impersonation target" in err, err

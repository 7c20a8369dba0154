"""PHP's curl extension (php-curl, linked to libcurl.so.4) on curlium.

php runs with LD_LIBRARY_PATH=<build>/compat so the loader resolves the
extension's libcurl.so.4 to ours; each test first checks that
curl_version()['ssl_version'] mentions BoringSSL (and, through LD_DEBUG,
that our file is the one mapped). Servers: Nginx (static page, HTTPS with
the test CA, /echo proxied to an EchoServer).
"""

import json
import shutil

import harness as h

SCRIPT = r"""
$out = ['version' => curl_version()];
$url = $argv[1];
$ch = curl_init($url);
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
if (($argv[2] ?? '') !== '')
  curl_setopt($ch, CURLOPT_CAINFO, $argv[2]);
if (($argv[3] ?? '') !== '')
  curl_setopt($ch, CURLOPT_POSTFIELDS, $argv[3]);
$body = curl_exec($ch);
$out['errno'] = curl_errno($ch);
$out['error'] = curl_error($ch);
$out['code'] = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
$out['effective_url'] = curl_getinfo($ch, CURLINFO_EFFECTIVE_URL);
$out['body_b64'] = $body === false ? null : base64_encode($body);
curl_close($ch);
echo json_encode($out), "\n";
"""


def php_env():
    if not shutil.which("php"):
        raise h.SkipTest("php is not installed")
    h.require_build()
    env = {"LD_LIBRARY_PATH": str(h.compat_dir())}
    cp = h.run(["php", "-r", "echo json_encode(curl_version());"], env=env)
    assert cp.returncode == 0, \
        f"php curl_version failed: {cp.stdout!r} {cp.stderr!r}"
    ver = json.loads(cp.stdout)
    if not h.reference_mode():
        assert "BoringSSL" in (ver.get("ssl_version") or ""), \
            f"php's libcurl is not curlium: {ver.get('ssl_version')!r}"
    mapped = h.loaded_libs(["php", "-r", "curl_version();"], env)
    ours = str(h.libcurl_path().resolve())
    assert ours in mapped, f"{ours} not mapped by php: {mapped}"
    return env


def php_fetch(env, url, cainfo="", post=""):
    cp = h.run(["php", "-r", SCRIPT, "--", url, str(cainfo), post], env=env)
    assert cp.returncode == 0, f"php failed: {cp.stdout!r} {cp.stderr!r}"
    return json.loads(cp.stdout)


def body(r):
    import base64
    return None if r["body_b64"] is None else base64.b64decode(r["body_b64"])


def test_php_get():
    env = php_env()
    ngx = h.Nginx()
    r = php_fetch(env, ngx.url("/index.html"))
    assert r["errno"] == 0, r
    assert r["code"] == 200, r
    assert body(r) == ngx.files["index.html"], r
    r = php_fetch(env, ngx.url("/1m.bin"))
    assert r["errno"] == 0, r
    assert h.sha256(body(r)) == h.sha256(ngx.files["1m.bin"]), "1 MiB differs"


def test_php_https():
    env = php_env()
    ngx = h.Nginx()
    r = php_fetch(env, ngx.url("/index.html", "https", "localhost"),
                  cainfo=ngx.certs.ca_cert)
    assert r["errno"] == 0, r
    assert body(r) == ngx.files["index.html"], r
    r = php_fetch(env, ngx.url("/index.html", "https", "localhost"),
                  cainfo=ngx.certs.other_ca_cert)
    assert r["errno"] == 60, r  # CURLE_PEER_FAILED_VERIFICATION
    assert "certificate" in r["error"].lower(), r
    assert body(r) is None, r


def test_php_post():
    env = php_env()
    ngx = h.Nginx()
    r = php_fetch(env, ngx.url("/echo"), post="x=1&y=two")
    assert r["errno"] == 0, r
    echoed = json.loads(body(r))
    assert echoed["method"] == "POST" and echoed["body"] == "x=1&y=two", echoed
    assert ngx.backend.requests[0]["body"] == "x=1&y=two"


def test_php_refused():
    env = php_env()
    port = h.refused_port()
    r = php_fetch(env, f"http://127.0.0.1:{port}/")
    assert r["errno"] == 7, r
    assert r["error"], r

"""test_mime: MIME posts (curl_mime_*, CURLOPT_MIMEPOST) and the form API
(curl_formadd, CURLOPT_HTTPPOST, curl_formget) send what libcurl sends.

clients/mime_post.c builds one scenario's tree, posts it to an EchoServer
and prints the request the server got plus curl_formget's output. It runs
twice: on curlium, and on the system's libcurl (Debian 12: 7.88.1) through
LD_LIBRARY_PATH. After the random boundaries are numbered in order of
appearance, the bytes must be the same: body, Content-Type, framing
(Content-Length, which must also match the body, or chunked), method, the
return codes of every API call and of curl_easy_perform, and curl_formget's
output.

Not compared, because 7.88 and 8.14 (which curlium follows) differ there:
- the boundary itself: 7.88 uses 24 dashes + 16 hex digits, 8.14 24 dashes
  + 22 letters/digits (normalised away; the unit test checks 8.14's form);
- error-buffer texts of failed MIME reads: 7.88 says "read function
  returned funny value" for all of them, 8.14 "read error getting mime
  data" / "operation aborted by callback" (test_mime_error_texts checks
  8.14's);
- Expect: 100-continue (libcurl sends it for bodies over 1 MiB or of
  unknown size): checked on its own, skipped until curlium sends it.
"""

import base64
import json
import os
import re

import harness

# Every scenario of clients/mime_post.c.
SCENARIOS = [
    "basic", "files", "escape", "escape_formescape", "base64", "qp",
    "other_encoders", "seven_bit_fail", "nested", "headers",
    "user_content_type", "callbacks", "callback_known", "callback_abort",
    "missing_file", "empty_mime", "big", "formadd", "formadd_missing",
    "twice", "duphandle", "freed",
]

_BOUNDARY = re.compile(rb"-{24}[0-9A-Za-z]{16,22}(?![0-9A-Za-z])")
_B64_BLOCK = re.compile(
    rb"(Content-Transfer-Encoding: base64\r\n\r\n)([A-Za-z0-9+/=\r\n]*?)"
    rb"(\r\n--BOUNDARY)")


def _inputs():
    d = harness.tempdir("curlium-mime-")
    (d / "hello.txt").write_bytes(b"Hello, world!\r\nsecond line\n")
    (d / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (d / "data.bin").write_bytes(bytes((i * 7 + 3) % 256 for i in range(300)))
    (d / "empty.xml").write_bytes(b"")
    return d


def _curlium_env():
    return {"LD_LIBRARY_PATH": str(harness.compat_dir())}


def _run(exe, url, scenario, inputs, env, valgrind=False):
    cmd = [exe, url, scenario, str(inputs)]
    if valgrind:
        cmd = ["valgrind", "--leak-check=full", "--error-exitcode=99",
               "--errors-for-leak-kinds=definite,indirect",
               "--show-leak-kinds=definite,indirect", "-q", *cmd]
    cp = harness.run(cmd, env=env, timeout=120 if valgrind else 60)
    assert cp.returncode == 0, \
        f"{scenario}: exit {cp.returncode}: {cp.stderr[-3000:]!r}"
    results = []
    for line in cp.stdout.decode(errors="replace").splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            r["response"] = base64.b64decode(r.pop("response_b64"))
            r["formget"] = base64.b64decode(r.pop("formget_b64"))
            results.append(r)
    assert results, f"{scenario}: no output; stderr {cp.stderr[-2000:]!r}"
    return results


class _Numbering:
    """Replaces each distinct boundary by BOUNDARY<n>, n counting from 0 in
    order of first appearance, across everything one run produced."""

    def __init__(self):
        self.seen = {}

    def __call__(self, data):
        def sub(m):
            b = m.group(0)
            if b not in self.seen:
                self.seen[b] = b"BOUNDARY%d" % len(self.seen)
            return self.seen[b]
        data = _BOUNDARY.sub(sub, data)

        # A base64-encoded multipart hides its boundary: decode those.
        def decode(m):
            raw = base64.b64decode(m.group(2).replace(b"\r\n", b""))
            if not _BOUNDARY.search(raw):
                return m.group(0)
            return m.group(1) + b"<base64 of:" + self(raw) + b">" + m.group(3)
        return _B64_BLOCK.sub(decode, data)


def _digest(result):
    """What must be equal between the two libraries for one perform."""
    norm = _Numbering()
    d = {
        "codes": result["codes"],
        "perform": result["perform"],
        "formget_rc": result["formget_rc"],
        "formget": norm(result["formget"]),
    }
    resp = result["response"]
    if resp.startswith(b"{"):
        rec = json.loads(resp)
        body = base64.b64decode(rec["body_b64"])
        headers = {k.lower(): v for k, v in rec["headers"]}
        if "content-length" in headers:
            assert int(headers["content-length"]) == len(body), \
                f"Content-Length {headers['content-length']} for " \
                f"{len(body)} bytes"
        d.update({
            "method": rec["method"],
            "chunked": rec["chunked"],
            "has_content_length": "content-length" in headers,
            "transfer_encoding": headers.get("transfer-encoding"),
            "content_type": norm(headers.get("content-type", "").encode()),
            "body": norm(body),
        })
    else:
        d["response"] = resp  # no answer (the transfer failed early)
    return d


def _compare(scenario, ours, ref):
    assert len(ours) == len(ref), \
        f"{scenario}: {len(ours)} transfers, libcurl {len(ref)}"
    for i, (a, b) in enumerate(zip(ours, ref)):
        da, db = _digest(a), _digest(b)
        for key in sorted(set(da) | set(db)):
            va, vb = da.get(key), db.get(key)
            if va == vb:
                continue
            if isinstance(va, bytes) and isinstance(vb, bytes):
                at = next((k for k in range(min(len(va), len(vb)))
                           if va[k] != vb[k]), min(len(va), len(vb)))
                va = va[max(0, at - 200):at + 200]
                vb = vb[max(0, at - 200):at + 200]
                key = f"{key} (from byte {at}; excerpts)"
            raise AssertionError(
                f"{scenario} (perform {i + 1}) {key} differs:\n"
                f"  curlium: {va!r}\n  libcurl: {vb!r}")


def _setup():
    harness.require_tool(os.environ.get("CC", "cc"))
    exe = harness.client_binary("mime_post")
    ref_env = harness.reference_libcurl_env(exe)
    return exe, ref_env, _inputs(), harness.EchoServer()


@harness.timeout(240)
def test_mime_posts_match_libcurl():
    exe, ref_env, inputs, srv = _setup()
    url = srv.url("/echo")
    for scenario in SCENARIOS:
        ours = _run(exe, url, scenario, inputs, _curlium_env())
        ref = _run(exe, url, scenario, inputs, ref_env)
        _compare(scenario, ours, ref)


@harness.timeout(120)
def test_mime_post_through_redirects_like_libcurl():
    """A MIME post followed through nginx's redirects: 301/302/303 turn
    it into a GET without body, 307/308 send it again (the tree and its
    callback and file parts are rewound)."""
    harness.require_tool("nginx")
    exe, ref_env, inputs, srv = _setup()
    ngx = harness.Nginx(backend=srv)
    for code in (301, 302, 303, 307, 308):
        url = f"http://127.0.0.1:{ngx.http_port}/redirect/{code}/echo"
        ours = _run(exe, url, "follow", inputs, _curlium_env())
        ref = _run(exe, url, "follow", inputs, ref_env)
        _compare(f"follow {code}", ours, ref)
        rec = json.loads(ours[0]["response"])
        assert rec["method"] == ("POST" if code >= 307 else "GET"), rec


def test_mime_post_basics_without_reference():
    """Facts that hold whatever the reference: curlium's boundary format,
    a multipart/form-data POST with Content-Length, sizes that add up."""
    harness.require_tool(os.environ.get("CC", "cc"))
    exe = harness.client_binary("mime_post")
    inputs = _inputs()
    srv = harness.EchoServer()
    [r] = _run(exe, srv.url("/echo"), "basic", inputs, _curlium_env())
    assert r["perform"] == 0, r
    rec = json.loads(r["response"])
    headers = {k.lower(): v for k, v in rec["headers"]}
    assert rec["method"] == "POST"
    m = re.fullmatch(r"multipart/form-data; boundary=(-{24}[0-9A-Za-z]{22})",
                     headers["content-type"])
    if not harness.reference_mode():
        assert m, headers["content-type"]  # 8.14's 22 random characters
    body = base64.b64decode(rec["body_b64"])
    assert int(headers["content-length"]) == len(body)
    b = _BOUNDARY.search(body).group(0)
    assert body.startswith(b"--" + b + b"\r\n")
    assert body.endswith(b"\r\n--" + b + b"--\r\n")
    assert (b'Content-Disposition: form-data; name="withfile"; '
            b'filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n'
            b"file contents\n\r\n") in body


def test_mime_error_texts():
    """libcurl 8.14's error-buffer texts for failing MIME reads."""
    harness.require_tool(os.environ.get("CC", "cc"))
    if harness.reference_mode():
        raise harness.SkipTest("8.14 texts; the reference may be older")
    exe = harness.client_binary("mime_post")
    inputs = _inputs()
    srv = harness.EchoServer()
    url = srv.url("/echo")
    for scenario, code, text in [
            ("callback_abort", 42, "operation aborted by callback"),
            ("seven_bit_fail", 26, "read error getting mime data"),
            ("missing_file", 26, "read error getting mime data")]:
        [r] = _run(exe, url, scenario, inputs, _curlium_env())
        assert r["perform"] == code, (scenario, r)
        assert r["error"] == text, (scenario, r["error"])


@harness.timeout(240)
def test_mime_no_leaks_under_valgrind():
    harness.require_tool("valgrind")
    harness.require_tool(os.environ.get("CC", "cc"))
    exe = harness.client_binary("mime_post")
    inputs = _inputs()
    srv = harness.EchoServer()
    for scenario in ["nested", "formadd", "callback_abort", "twice",
                     "duphandle", "missing_file"]:
        _run(exe, srv.url("/echo"), scenario, inputs, _curlium_env(),
             valgrind=True)


def test_expect_100_continue_like_libcurl():
    """libcurl adds "Expect: 100-continue" to a MIME post over HTTP/1.1
    when the body is larger than 1 MiB or of unknown size (chunked)."""
    exe, ref_env, inputs, srv = _setup()
    url = srv.url("/echo")
    for scenario, want in [("basic", False), ("big", True), ("qp", True),
                           ("callbacks", True)]:
        for env in (_curlium_env(), ref_env):
            [r] = _run(exe, url, scenario, inputs, env)
            rec = json.loads(r["response"])
            headers = {k.lower(): v for k, v in rec["headers"]}
            assert (headers.get("expect") == "100-continue") == want, \
                (scenario, env, headers)

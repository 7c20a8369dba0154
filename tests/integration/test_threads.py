"""Thread safety: 8 threads x 200 transfers, each on its own easy handle
(clients/thread_stress.c), then the same with one share handle shared by
all threads (cookies, DNS, TLS sessions, connections incl. HTTP/2 ones, HSTS) and
pthread mutexes as its lock callbacks. Server: the test nginx.

With CURLIUM_TSAN=1 (scripts/tsan-stress.sh, against a build made with
-Db_sanitize=thread) the client is built with -fsanitize=thread too and any
ThreadSanitizer report fails the test. tests/tsan.supp lists what is not
ours to instrument (BoringSSL's static library, see there)."""

import json
import os

import harness as h

THREADS = 8
PER_THREAD = 200

TSAN = os.environ.get("CURLIUM_TSAN") == "1"
SUPP = h.REPO / "tests" / "tsan.supp"


def stress(extra_args, ngx):
    flags = ["-pthread"] + (["-fsanitize=thread"] if TSAN else [])
    exe = h.client_binary("thread_stress", extra=flags)
    env = {"LD_LIBRARY_PATH": str(h.compat_dir())}
    if TSAN:
        env["TSAN_OPTIONS"] = (f"suppressions={SUPP} halt_on_error=0 "
                               "exitcode=66 second_deadlock_stack=1")
    cp = h.run([exe, THREADS, PER_THREAD, ngx.url("/cookie"), *extra_args],
               env=env, timeout=900)
    out = cp.stdout.decode(errors="replace").strip().splitlines()
    err = cp.stderr.decode(errors="replace")
    assert "WARNING: ThreadSanitizer" not in err, err[-6000:]
    assert cp.returncode == 0, (cp.returncode, out, err[-3000:])
    return json.loads(out[-1])


COOKIE_LOCATION = """
    location = /cookie {
        add_header Set-Cookie "n=$request_id; Path=/";
        add_header Strict-Transport-Security "max-age=600";
        return 200 "cookie=$http_cookie";
    }
"""


@h.timeout(900)
def test_threads_separate_handles():
    ngx = h.Nginx(extra_locations=COOKIE_LOCATION)
    r = stress([], ngx)
    assert r["ok"] == THREADS * PER_THREAD and r["failed"] == 0, r
    assert r["lock_calls"] == 0, r
    # Every handle starts with no cookies and has no share: none is sent.
    assert r["sent_cookie"] == 0, r


@h.timeout(900)
def test_threads_one_share_handle():
    ngx = h.Nginx(extra_locations=COOKIE_LOCATION)
    r = stress(["--share", "--tls-url",
                ngx.url("/cookie", scheme="https", host="localhost"),
                "--h2-url", ngx.url("/cookie", scheme="h2", host="localhost"),
                "--cacert", str(ngx.certs.ca_cert)], ngx)
    assert r["ok"] == THREADS * PER_THREAD and r["failed"] == 0, r
    assert r["locks_balanced"] == 1, r
    # The jar and the connection cache are really shared: reached under
    # their locks, and cookies stored by one transfer are in the jar that
    # every other handle sees.
    assert r["cookie_locks"] > 0 and r["connect_locks"] > 0, r
    # The HSTS cache too: every handle consults it, the https transfers
    # write it (the plain ones go to 127.0.0.1: an IP is never upgraded).
    assert r["hsts_locks"] > 0, r
    assert r["saw_cookie"] == 1 and r["sent_cookie"] == 1, r
    # Idle HTTP/2 connections too: most h2 transfers (one in five) ride a
    # connection another handle made.
    assert r["h2_reused"] > THREADS * PER_THREAD // 10, r
    # Connections were reused across handles (and threads) through the
    # share: far fewer than one per transfer.
    conns = set()
    for line in ngx.access_lines(at_least=THREADS * PER_THREAD):
        if "conn=" in line:
            conns.add(line.split("conn=")[1].split()[0])
    assert len(conns) < THREADS * PER_THREAD // 2, len(conns)


@h.timeout(600)
def test_threads_under_thread_sanitizer():
    """The two tests above against the ThreadSanitizer build
    (scripts/tsan-stress.sh, which makes build-tsan/ when it is missing:
    about a minute on two cores with BoringSSL cached, then an incremental
    ninja plus ~15 s). CURLIUM_SKIP_TSAN=1 skips it."""
    if TSAN:
        raise h.SkipTest("already running under ThreadSanitizer")
    if os.environ.get("CURLIUM_SKIP_TSAN") == "1":
        raise h.SkipTest("CURLIUM_SKIP_TSAN=1")
    cp = h.run([h.REPO / "scripts" / "tsan-stress.sh"], timeout=580)
    out = cp.stdout.decode(errors="replace")
    assert cp.returncode == 0, out[-4000:] + cp.stderr.decode()[-2000:]
    assert "2 passed, 0 failed" in out, out[-2000:]

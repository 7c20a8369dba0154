"""Share handles (curl_share_*): connections, DNS, TLS sessions, cookies
and the HSTS cache shared
between easy handles, each on its own private multi (curl_easy_perform), as
the curl tool uses them, and between threads.

The client is clients/share_reuse.c (built here like fetch.c, with
-pthread): every URL gets a new easy handle; it prints CURLcode,
CURLINFO_NUM_CONNECTS, CURLINFO_CONN_ID and the body as JSON.

Servers: an EchoServer (counts TCP connections, numbers requests per
connection) and Nginx with /sess answering "$connection $ssl_session_reused"
(nginx's connection serial number, and "r" when the TLS session was
resumed, "." when not).
"""

import json
import os
import re
import threading

import harness as h

_build_lock = threading.Lock()

NGINX_EXTRA = """
    ssl_session_cache shared:curlium:1m;
    location = /sess {
      default_type text/plain;
      return 200 "$connection $ssl_session_reused";
    }
"""


def nginx(tls13_only=False):
    """Nginx with /sess and a server-side session cache (TLS 1.2 resumes
    by session ID; the client sends no TLS 1.2 tickets, as libcurl)."""
    extra = NGINX_EXTRA
    if tls13_only:
        extra = "    ssl_protocols TLSv1.3;\n" + extra
    return h.Nginx(extra_locations=extra)


def client_binary():
    """Builds clients/share_reuse.c against the build's libcurl.so.4 (cached
    per build dir, rebuilt when the source, curl.h or the library is
    newer)."""
    h.require_build()
    src = h.HERE / "clients" / "share_reuse.c"
    out_dir = h.build_dir() / "tests-integration"
    out_dir.mkdir(exist_ok=True)
    exe = out_dir / "share_reuse"
    lib = h.libcurl_path()
    with _build_lock:
        lockf = open(out_dir / ".share_reuse.lock", "w")
        try:
            import fcntl
            fcntl.flock(lockf, fcntl.LOCK_EX)
            hdr = h.REPO / "include" / "curl" / "curl.h"
            newest = max(src.stat().st_mtime, lib.stat().st_mtime,
                         hdr.stat().st_mtime if hdr.exists() else 0)
            if exe.exists() and exe.stat().st_mtime >= newest:
                return exe
            tmp = out_dir / f"share_reuse.{os.getpid()}"
            cmd = [os.environ.get("CC", "cc"), "-std=c11", "-O1", "-g",
                   "-Wall", "-pthread", "-D_POSIX_C_SOURCE=200809L",
                   *os.environ.get("CURLIUM_IT_CFLAGS", "").split(),
                   f"-I{h.REPO / 'include'}",
                   str(src), "-o", str(tmp), f"-L{h.compat_dir()}", "-lcurl",
                   f"-Wl,-rpath,{h.compat_dir()}"]
            cp = h.run(cmd, timeout=120)
            err = cp.stderr.decode(errors="replace")[-4000:]
            assert cp.returncode == 0, f"building share_reuse.c failed:\n{err}"
            os.replace(tmp, exe)
            return exe
        finally:
            lockf.close()


def share_reuse(*args, valgrind=False, timeout=60):
    """Runs the client; returns (list of JSON results, stderr text)."""
    cmd = [client_binary(), *[str(a) for a in args]]
    if valgrind:
        cmd = ["valgrind", "--leak-check=full", "--error-exitcode=99",
               "--errors-for-leak-kinds=definite,indirect",
               "--show-leak-kinds=definite,indirect", "--track-fds=no",
               "--num-callers=30", "-q", *cmd]
    cp = h.run(cmd, env={"LD_LIBRARY_PATH": str(h.compat_dir())},
               timeout=timeout)
    out = cp.stdout.decode(errors="replace")
    err = cp.stderr.decode(errors="replace")
    assert cp.returncode == 0, f"share_reuse exit {cp.returncode}:\n{err[-3000:]}"
    results = [json.loads(line) for line in out.splitlines()
               if line.startswith("{")]
    return results, err


def codes(results):
    return [r["code"] for r in results]


# --- CURL_LOCK_DATA_CONNECT ------------------------------------------------

def test_connect_share_reuses_one_connection():
    echo = h.EchoServer()
    res, err = share_reuse("--share", "connect", "--verbose",
                           echo.url("/echo/a"), echo.url("/echo/b"),
                           echo.url("/echo/c"))
    assert codes(res) == [0, 0, 0], (res, err[-2000:])
    assert [r["num_connects"] for r in res] == [1, 0, 0], res
    assert echo.connections == 1, \
        f"server saw {echo.connections} connections for 3 requests"
    assert [r["request_on_connection"] for r in echo.requests] == [1, 2, 3]
    if not h.reference_mode():
        # libcurl numbers connections per cache: the same #0 each time.
        assert [r["conn_id"] for r in res] == [0, 0, 0], res
    assert len(re.findall(r"Re-using existing (\w+: )?connection", err)) == 2, \
        err[-3000:]


def test_without_share_each_handle_connects():
    echo = h.EchoServer()
    res, err = share_reuse(echo.url("/echo/a"), echo.url("/echo/b"))
    assert codes(res) == [0, 0], (res, err[-2000:])
    assert [r["num_connects"] for r in res] == [1, 1], res
    assert echo.connections == 2, echo.connections


def test_unshared_connect_is_not_shared():
    # Sharing DNS only (and cookies, recorded only) leaves connections
    # private to each easy handle.
    echo = h.EchoServer()
    res, err = share_reuse("--share", "dns,cookie", echo.url("/echo/a"),
                           echo.url("/echo/b"))
    assert codes(res) == [0, 0], (res, err[-2000:])
    assert [r["num_connects"] for r in res] == [1, 1], res
    assert echo.connections == 2, echo.connections


def test_connect_share_reuses_tls_connection():
    ngx = nginx()
    url = ngx.url("/sess", scheme="https", host="localhost")
    res, err = share_reuse("--share", "connect", "--cacert",
                           ngx.certs.ca_cert, url, url, url)
    assert codes(res) == [0, 0, 0], (res, err[-2000:])
    assert [r["num_connects"] for r in res] == [1, 0, 0], res
    serials = {r["body"].split()[0] for r in res}
    assert len(serials) == 1, f"nginx saw connections {serials}"


def test_connect_share_reuses_http2_connection():
    # libcurl keeps HTTP/2 connections in the share's connection cache
    # too: the second easy handle (the first one cleaned up) sends its
    # request as a new stream on the first one's connection.
    ngx = nginx()
    url = ngx.url("/sess", scheme="h2", host="localhost")
    res, err = share_reuse("--share", "connect", "--cacert",
                           ngx.certs.ca_cert, "--verbose", url, url, url)
    assert codes(res) == [0, 0, 0], (res, err[-2000:])
    assert [r["http_version"] for r in res] == [3, 3, 3], res  # HTTP/2
    assert [r["num_connects"] for r in res] == [1, 0, 0], res
    serials = {r["body"].split()[0] for r in res}
    assert len(serials) == 1, f"nginx saw connections {serials}"
    assert len(re.findall(r"Re-using existing (\w+: )?connection", err)) == 2, \
        err[-3000:]


def test_connect_share_http2_connection_moves_while_handles_live():
    # libcurl gives the connection back to the share when the transfer is
    # done, not when its easy handle goes away: the handles here are all
    # cleaned up at the end.
    ngx = nginx()
    url = ngx.url("/sess", scheme="h2", host="localhost")
    res, err = share_reuse("--share", "connect", "--keep", "--cacert",
                           ngx.certs.ca_cert, url, url, url)
    assert codes(res) == [0, 0, 0], (res, err[-2000:])
    assert [r["http_version"] for r in res] == [3, 3, 3], res
    assert [r["num_connects"] for r in res] == [1, 0, 0], res
    assert len({r["body"].split()[0] for r in res}) == 1, res


def test_without_connect_share_http2_connections_are_private():
    ngx = nginx()
    url = ngx.url("/sess", scheme="h2", host="localhost")
    res, err = share_reuse("--share", "dns,ssl", "--cacert",
                           ngx.certs.ca_cert, url, url)
    assert codes(res) == [0, 0], (res, err[-2000:])
    assert [r["num_connects"] for r in res] == [1, 1], res
    serials = {r["body"].split()[0] for r in res}
    assert len(serials) == 2, f"nginx saw connections {serials}"


def test_connect_share_keeps_http2_and_http1_connections():
    # An HTTP/1.1 connection to another port (its own group) goes to the
    # cache next to the idle HTTP/2 one; the third transfer still finds
    # the HTTP/2 connection of its group.
    ngx = nginx()
    url = ngx.url("/sess", scheme="h2", host="localhost")
    h1 = ngx.url("/sess", scheme="https", host="localhost")
    res, err = share_reuse("--share", "connect", "--cacert",
                           ngx.certs.ca_cert, url, h1, url)
    assert codes(res) == [0, 0, 0], (res, err[-2000:])
    assert [r["num_connects"] for r in res] == [1, 1, 0], res
    assert [r["http_version"] for r in res] == [3, 2, 3], res
    assert res[0]["body"].split()[0] == res[2]["body"].split()[0], res


# --- CURL_LOCK_DATA_DNS ----------------------------------------------------

def test_dns_share_second_lookup_hits_cache():
    echo = h.EchoServer()
    url = f"http://localhost:{echo.port}/echo"
    res, err = share_reuse("--share", "dns", "--verbose", url, url)
    assert codes(res) == [0, 0], (res, err[-2000:])
    hits = re.findall(r"Hostname localhost was found in DNS cache", err)
    assert len(hits) == 1, err[-3000:]


def test_no_dns_share_no_cache_hit():
    echo = h.EchoServer()
    url = f"http://localhost:{echo.port}/echo"
    res, err = share_reuse("--verbose", url, url)
    assert codes(res) == [0, 0], (res, err[-2000:])
    assert "was found in DNS cache" not in err, err[-3000:]


# --- CURL_LOCK_DATA_SSL_SESSION --------------------------------------------

def check_ssl_session_share_resumes(tls13_only):
    ngx = nginx(tls13_only)
    url = ngx.url("/sess", scheme="https", host="localhost")
    res, err = share_reuse("--share", "ssl", "--verbose", "--cacert",
                           ngx.certs.ca_cert, url, url, url)
    assert codes(res) == [0, 0, 0], (res, err[-2000:])
    # New connections each time (connections are not shared); the later
    # ones resume the session the share keeps.
    assert [r["num_connects"] for r in res] == [1, 1, 1], res
    bodies = [r["body"].split() for r in res]
    assert len({b[0] for b in bodies}) == 3, res
    assert [b[1] for b in bodies] == [".", "r", "r"], res
    # 7.88: "SSL re-using session ID"; curlium: "SSL reusing session ID"
    assert re.search(r"SSL re-?using session", err), err[-3000:]
    if tls13_only:
        assert "SSL connection using TLSv1.3" in err, err[-3000:]


def test_ssl_session_share_resumes_tls12():
    check_ssl_session_share_resumes(False)


def test_ssl_session_share_resumes_tls13():
    check_ssl_session_share_resumes(True)


def test_no_ssl_session_share_no_resumption():
    ngx = nginx()
    url = ngx.url("/sess", scheme="https", host="localhost")
    res, err = share_reuse("--cacert", ngx.certs.ca_cert, url, url)
    assert codes(res) == [0, 0], (res, err[-2000:])
    assert [r["body"].split()[1] for r in res] == [".", "."], res


# --- threads ---------------------------------------------------------------

@h.timeout(120)
def test_threads_share_everything_http():
    echo = h.EchoServer()
    url = f"http://localhost:{echo.port}/echo"
    res, err = share_reuse("--share", "connect,dns,ssl", "--threads", 4,
                           "--per-thread", 50, url, timeout=110)
    assert len(res) == 1, (res, err[-2000:])
    r = res[0]
    assert r["transfers"] == 200 and r["ok"] == 200, (r, err[-2000:])
    assert r["errors"] == 0, r
    assert r["locks"]["connect"] > 0 and r["locks"]["dns"] > 0, r
    # Never more than 4 in use at once; idle ones go round the threads.
    assert r["connects"] == echo.connections, (r, echo.connections)
    assert echo.connections <= 8, echo.connections
    assert len(echo.requests) == 200


def threads_share_tls(scheme):
    """4 threads x 50 transfers to nginx's |scheme| port sharing
    connections, DNS and TLS sessions; returns the summary."""
    ngx = nginx()
    url = ngx.url("/sess", scheme=scheme, host="localhost")
    res, err = share_reuse("--share", "connect,dns,ssl", "--cacert",
                           ngx.certs.ca_cert, "--threads", 4, "--per-thread",
                           50, url, timeout=110)
    assert len(res) == 1, (res, err[-2000:])
    r = res[0]
    assert r["transfers"] == 200 and r["ok"] == 200, (r, err[-2000:])
    assert r["errors"] == 0, r
    return r


@h.timeout(120)
def test_threads_share_everything_https():
    r = threads_share_tls("https")
    assert r["locks"]["ssl"] > 0 and r["locks"]["connect"] > 0, r
    assert r["connects"] <= 8, r


@h.timeout(120)
def test_threads_share_http2_connections():
    # Idle HTTP/2 sessions move between the threads' private multis.
    r = threads_share_tls("h2")
    assert r["connects"] <= 8, r


@h.timeout(120)
def test_share_under_valgrind():
    h.require_tool("valgrind")
    echo = h.EchoServer()
    url = f"http://localhost:{echo.port}/echo"
    res, err = share_reuse("--share", "connect,dns,ssl,hsts", "--hsts", url,
                           url, valgrind=True, timeout=110)
    assert codes(res) == [0, 0], (res, err[-3000:])
    assert echo.connections == 1


@h.timeout(120)
def test_http2_share_under_valgrind():
    # The parked HTTP/2 state is freed with its connection (share cleanup).
    h.require_tool("valgrind")
    ngx = nginx()
    url = ngx.url("/sess", scheme="h2", host="localhost")
    res, err = share_reuse("--share", "connect", "--cacert",
                           ngx.certs.ca_cert, url, url, valgrind=True,
                           timeout=110)
    assert codes(res) == [0, 0], (res, err[-3000:])
    assert [r["num_connects"] for r in res] == [1, 0], res


# --- CURL_LOCK_DATA_COOKIE -------------------------------------------------

SET_COOKIE = """
    location = /setcookie {
        add_header Set-Cookie "shared=yes; Path=/";
        return 200 "set";
    }
"""


def cookie_headers(req):
    return [v for k, v in req["headers"] if k.lower() == "cookie"]


def test_cookie_share_one_jar_for_all_handles():
    ngx = h.Nginx(extra_locations=SET_COOKIE)
    res, err = share_reuse("--share", "cookie", "--cookies",
                           ngx.url("/setcookie"), ngx.url("/echo/next"))
    assert codes(res) == [0, 0], (res, err[-2000:])
    # The second easy handle sends what the first one stored.
    assert cookie_headers(ngx.backend.requests[0]) == ["shared=yes"], \
        ngx.backend.requests[0]["headers"]


def test_no_cookie_share_no_cookie_from_other_handle():
    ngx = h.Nginx(extra_locations=SET_COOKIE)
    res, err = share_reuse("--cookies", ngx.url("/setcookie"),
                           ngx.url("/echo/next"))
    assert codes(res) == [0, 0], (res, err[-2000:])
    assert cookie_headers(ngx.backend.requests[0]) == [], \
        ngx.backend.requests[0]["headers"]



# --- CURL_LOCK_DATA_HSTS -----------------------------------------------------

STS_LOCATION = """
    location = /sts {
      add_header Strict-Transport-Security "max-age=600";
      return 200 "sts";
    }
"""


def hsts_pair(*share_args):
    """Handle one learns HSTS for localhost over https; handle two asks
    for http:// on the TLS port. Returns the two results."""
    ngx = h.Nginx(extra_locations=STS_LOCATION)
    https_url = ngx.url("/sts", scheme="https", host="localhost")
    http_url = f"http://localhost:{ngx.https_port}/sts"
    res, err = share_reuse(*share_args, "--hsts", "--cacert",
                           ngx.certs.ca_cert, https_url, http_url)
    assert res[0]["code"] == 0 and res[0]["body"] == "sts", (res, err)
    return res, ngx.https_port


def test_hsts_share_one_cache_for_all_handles():
    res, port = hsts_pair("--share", "hsts")
    # The second handle upgraded to https from what the first one learned.
    assert res[1]["code"] == 0, res
    assert res[1]["url"] == f"https://localhost:{port}/sts", res
    assert res[1]["body"] == "sts", res
    if not h.reference_mode():
        # Every access runs under the program's HSTS lock (libcurl locks
        # only its file loading).
        assert 0 < res[0]["hsts_locks"] < res[1]["hsts_locks"], res


def test_no_hsts_share_no_upgrade_from_other_handle():
    res, port = hsts_pair()
    # Each handle's own cache: the second one speaks HTTP to a TLS port.
    assert res[1]["url"] == f"http://localhost:{port}/sts", res
    assert res[1]["body"] != "sts", res
    assert res[1]["hsts_locks"] == 0, res

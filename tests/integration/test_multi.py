"""The multi interface with many concurrent transfers on one multi handle,
driven by curl_multi_perform/curl_multi_poll and by curl_multi_socket_action
(clients/multi_fetch.c). Servers: the test nginx (static files, access log
with the connection serial number so the test can count connections)."""

import json
import re

import harness as h


def run_multi(mode, n, url, max_host=None, valgrind=False):
    exe = h.client_binary("multi_fetch")
    cmd = [str(exe), mode, str(n), url]
    if max_host is not None:
        cmd.append(str(max_host))
    if valgrind:
        cmd = ["valgrind", "--leak-check=full", "--error-exitcode=99",
               "--errors-for-leak-kinds=definite,indirect", "-q", *cmd]
    cp = h.run(cmd, env={"LD_LIBRARY_PATH": str(h.compat_dir())}, timeout=120)
    out = cp.stdout.decode(errors="replace").strip().splitlines()
    assert cp.returncode == 0, (cp.returncode, out,
                                cp.stderr.decode(errors="replace")[-3000:])
    return json.loads(out[-1])


def connections_in_log(ngx, n):
    lines = ngx.access_lines(at_least=n)
    conns = set()
    for line in lines:
        m = re.search(r"\bconn=(\d+)", line)
        assert m, f"access log line without conn=: {line}"
        conns.add(m.group(1))
    return conns


def check_many(mode):
    ngx = h.Nginx()
    n = 50
    r = run_multi(mode, n, ngx.url("/index.html"))
    assert r["done"] == n and r["ok"] == n, r
    assert r["bytes"] == n * len(ngx.files["index.html"]), r
    if mode == "socket":
        assert r["socket_calls"] > 0 and r["timer_calls"] > 0, r


def test_fifty_transfers_perform_poll():
    check_many("poll")


def test_fifty_transfers_socket_action():
    check_many("socket")


def test_host_connection_limit():
    ngx = h.Nginx()
    n = 20
    r = run_multi("poll", n, ngx.url("/index.html"), max_host=2)
    assert r["ok"] == n, r
    # Every transfer is served, but over at most two connections at a time;
    # with keep-alive reuse that is at most two new connections in all.
    assert r["num_connects"] <= 2, r
    assert len(connections_in_log(ngx, n)) <= 2


def test_multi_no_leaks_valgrind():
    h.require_tool("valgrind")
    ngx = h.Nginx()
    r = run_multi("socket", 10, ngx.url("/index.html"), valgrind=True)
    assert r["ok"] == 10, r

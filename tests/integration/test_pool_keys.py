"""Connection reuse follows the options of each transfer: a TLS option
changed with curl_easy_setopt between two transfers on one easy handle
keeps the second off the connection the first made (libcurl compares the
SSL config of every candidate connection; curlium keys its pool by it and
caches that key between transfers, so the cache must notice the change).

The client is clients/reuse_setopt.c: three transfers, CA1, CA2, CA1."""

import json

import harness as h


def _run(*args):
    exe = h.client_binary("reuse_setopt")
    cp = h.run([str(exe), *args], timeout=60)
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")
    return [json.loads(line) for line in cp.stdout.decode().splitlines()]


def _check(rows):
    good, other, again = rows
    assert good == {"code": 0, "num_connects": 1}, rows
    # The server's certificate does not chain to CA2: had the transfer
    # reused the first connection, it would have succeeded.
    assert other["code"] == 60, rows
    assert again["code"] == 0, rows


def test_changed_cainfo_is_not_served_by_old_connection():
    ngx = h.Nginx()
    _check(_run(ngx.url("/index.html", "https", "localhost"),
                str(ngx.certs.ca_cert), str(ngx.certs.other_ca_cert)))


def test_changed_cainfo_blob_is_not_served_by_old_connection():
    ngx = h.Nginx()
    _check(_run("--blob", ngx.url("/index.html", "https", "localhost"),
                str(ngx.certs.ca_cert), str(ngx.certs.other_ca_cert)))

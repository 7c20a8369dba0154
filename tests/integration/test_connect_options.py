"""Connection options of the socket layer, through the fetch client
(clients/fetch.c, --opt NAME VALUE): CURLOPT_TCP_KEEPCNT read back from the
connected socket, CURLOPT_DNS_SHUFFLE_ADDRESSES over several loopback
addresses, CURLOPT_ADDRESS_SCOPE on IPv6 connects. Servers: small
listeners of this file on 127.0.0.x and ::1."""

import socket
import threading

import harness as h

OK_RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
               b"Connection: close\r\n\r\nok")


class MultiAddressServer:
    """Answers "ok" to every request, listening on the same port of each
    address of |addrs|; |hits| counts the connections per address."""

    def __init__(self, addrs, family=socket.AF_INET):
        self.socks = []
        self.hits = {a: 0 for a in addrs}
        self.port = 0
        for a in addrs:
            s = socket.socket(family, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((a, self.port))
            self.port = s.getsockname()[1]
            s.listen(64)
            self.socks.append(s)
            threading.Thread(target=self._accept, args=(s, a),
                             daemon=True).start()
        h.on_cleanup(self.stop)

    def _accept(self, s, addr):
        while True:
            try:
                conn, _ = s.accept()
            except OSError:
                return
            self.hits[addr] += 1
            threading.Thread(target=self._serve, args=(conn,),
                             daemon=True).start()

    @staticmethod
    def _serve(conn):
        try:
            conn.settimeout(10)
            if h.recv_head(conn)[0] is None:
                return
            conn.sendall(OK_RESPONSE)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        for s in self.socks:
            s.close()


def one(url, *opts):
    res, cp = h.fetch(url, *opts)
    assert cp.returncode == 0 and len(res) == 1, cp.stderr
    return res[0], cp


# --- CURLOPT_TCP_KEEPCNT ------------------------------------------------------

def test_tcp_keepcnt_is_set_with_keepalive():
    srv = MultiAddressServer([h.LOOPBACK])
    url = f"http://{h.LOOPBACK}:{srv.port}/"
    # CONNECT_ONLY keeps the connection for CURLINFO_ACTIVESOCKET, whose
    # TCP_KEEPCNT the client reads back with getsockopt.
    for cnt in ("3", "5"):
        r, cp = one(url, "--opt", "CONNECT_ONLY", "1",
                    "--opt", "TCP_KEEPALIVE", "1",
                    "--opt", "TCP_KEEPCNT", cnt)
        assert r["curlcode"] == 0, r
        assert r["keepalive"] == 1 and r["keepcnt"] == int(cnt), r
    # without TCP_KEEPALIVE nothing is set
    r, cp = one(url, "--opt", "CONNECT_ONLY", "1", "--opt", "TCP_KEEPCNT", "3")
    assert r["keepalive"] == 0 and r["keepcnt"] != 3, r
    # libcurl's range: a negative count is refused by setopt
    res, cp = h.fetch(url, "--opt", "TCP_KEEPCNT", "-1")
    assert cp.returncode == 4 and b"TCP_KEEPCNT: 43" in cp.stderr, cp.stderr


# --- CURLOPT_DNS_SHUFFLE_ADDRESSES --------------------------------------------

ADDRS = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]


def test_dns_shuffle_addresses_spreads_connections():
    srv = MultiAddressServer(ADDRS)
    resolve = f"shuffle.test:{srv.port}:{','.join(ADDRS)}"
    url = f"http://shuffle.test:{srv.port}/"
    # Without the option the first address always wins.
    for _ in range(5):
        r, _ = one(url, "--opt", "RESOLVE", resolve)
        assert r["curlcode"] == 0 and r["primary_ip"] == ADDRS[0], r
    # With it each new handle (a new process here: a fresh DNS cache) gets
    # a new order. Every address answers, so the one connected to is the
    # first of the shuffled list. 40 transfers all landing on the same
    # address has probability 4 * (1/4)^40 ~ 3e-24 with a working shuffle:
    # this cannot flake.
    seen = set()
    for _ in range(40):
        r, cp = one(url, "--opt", "RESOLVE", resolve,
                    "--opt", "DNS_SHUFFLE_ADDRESSES", "1", "--verbose")
        assert r["curlcode"] == 0 and r["body_len"] == 2, r
        seen.add(r["primary_ip"])
    assert b"Shuffling 4 addresses" in cp.stderr, cp.stderr
    assert len(seen) > 1, seen
    assert seen <= set(ADDRS), seen


# --- CURLOPT_ADDRESS_SCOPE ----------------------------------------------------

def test_address_scope():
    srv = MultiAddressServer(["::1"], family=socket.AF_INET6)
    # scope 0 (the default) and a scope on a non-link-local address work
    for scope in ("0", "1"):
        r, _ = one(f"http://[::1]:{srv.port}/", "--opt", "ADDRESS_SCOPE",
                   scope)
        assert r["curlcode"] == 0 and r["body_len"] == 2, (scope, r)
    # A link-local address needs its scope: without one Linux refuses the
    # connect (EINVAL); with an interface index that does not exist there
    # is no route (ENETUNREACH). Either way CURLE_COULDNT_CONNECT, the
    # reason in libcurl's "Immediate connect fail" line. Nothing leaves
    # the host: both fail inside connect(2).
    r, cp = one("http://[fe80::1]:80/", "--verbose")
    assert r["curlcode"] == 7, r
    assert b"Immediate connect fail for fe80::1: Invalid argument" in \
        cp.stderr, cp.stderr
    r, cp = one("http://[fe80::1]:80/", "--opt", "ADDRESS_SCOPE", "999999",
                "--verbose")
    assert r["curlcode"] == 7, r
    assert b"Immediate connect fail for fe80::1: Network is unreachable" in \
        cp.stderr, cp.stderr
    # setopt refuses what does not fit sin6_scope_id
    res, cp = h.fetch("http://[::1]:9/", "--opt", "ADDRESS_SCOPE",
                      str(2 ** 32))
    assert cp.returncode == 4 and b"ADDRESS_SCOPE: 43" in cp.stderr, \
        cp.stderr

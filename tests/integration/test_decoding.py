"""Content decoding (CURLOPT_ACCEPT_ENCODING): gzip, deflate, zstd and br
bodies from a Python server on 127.0.0.1, fetched with Debian's curl
(--compressed) through curlium; a corrupt body gives CURLE_BAD_CONTENT_ENCODING
(61); without --compressed the bytes arrive untouched."""

import gzip
import http.server
import shutil
import subprocess
import threading
import zlib

import harness as h

CURL = "/usr/bin/curl"
TEXT = b"".join(b"line %d of a compressible body\n" % i for i in range(5000))


def compress(coding, data):
    if coding == "gzip":
        return gzip.compress(data)
    if coding == "deflate":
        return zlib.compress(data)
    tool = {"zstd": ["zstd", "-q", "-c"], "br": ["brotli", "-c"]}[coding]
    if not shutil.which(tool[0]):
        raise h.SkipTest(f"{tool[0]} command not installed")
    return subprocess.run(tool, input=data, capture_output=True,
                          check=True).stdout


class Server:
    """Serves /<coding> with that Content-Encoding, /corrupt as broken gzip."""

    def __init__(self, bodies):
        bodies = dict(bodies)

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                name = self.path.strip("/")
                body, coding = bodies[name]
                self.send_response(200)
                self.send_header("Content-Encoding", coding)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.srv = http.server.ThreadingHTTPServer((h.LOOPBACK, 0), Handler)
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        h.on_cleanup(self.srv.shutdown)

    def url(self, name):
        return f"http://{h.LOOPBACK}:{self.port}/{name}"


def curl(*args):
    env = {"LD_LIBRARY_PATH": str(h.compat_dir())}
    return h.run([CURL, "-q", "-sS", *args], env=env, timeout=30)


def check(coding):
    body = compress(coding, TEXT)
    srv = Server({coding: (body, coding)})
    cp = curl("--compressed", srv.url(coding))
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout == TEXT, (len(cp.stdout), len(TEXT))
    # size_download is the encoded size, as in libcurl
    cp = curl("--compressed", "-o", "/dev/null", "-w", "%{size_download}",
              srv.url(coding))
    assert cp.stdout == str(len(body)).encode(), cp.stdout
    # without --compressed nothing is decoded
    cp = curl(srv.url(coding))
    assert cp.returncode == 0 and cp.stdout == body


def test_gzip():
    check("gzip")


def test_deflate():
    check("deflate")


def test_zstd():
    check("zstd")


def test_br():
    check("br")


def test_corrupt_gzip_is_error_61():
    good = gzip.compress(TEXT)
    bad = good[:10] + bytes(b ^ 0x55 for b in good[10:200]) + good[200:]
    srv = Server({"corrupt": (bad, "gzip")})
    cp = curl("--compressed", srv.url("corrupt"))
    assert cp.returncode == 61, (cp.returncode, cp.stderr)
    assert b"content unencoding" in cp.stderr or b"encoding" in cp.stderr, \
        cp.stderr


def test_accept_encoding_header_sent():
    echo = h.EchoServer()
    cp = curl("--compressed", echo.url("/echo/ae"))
    assert cp.returncode == 0, cp.stderr
    req = echo.requests[0]
    ae = {k.lower(): v for k, v in req["headers"]}.get("accept-encoding")
    assert ae == "deflate, gzip, br, zstd", ae

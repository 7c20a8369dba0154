"""Cookies through Debian's curl tool with curlium swapped in: a Python
server on 127.0.0.1 sets cookies (also on a redirect) and echoes the Cookie
header it receives; the jar (-c) is written in Netscape format at cleanup
and read back (-b); a cookie for a public suffix is refused (libpsl)."""

import http.server
import threading

import harness as h

CURL = "/usr/bin/curl"


class Server:
    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body = (self.headers.get("Cookie") or "").encode()
                if self.path == "/set":
                    self.send_response(302)
                    self.send_header("Set-Cookie", "a=1; Path=/")
                    self.send_header("Set-Cookie", "b=2; Path=/; HttpOnly")
                    self.send_header("Set-Cookie",
                                     "bad=1; Domain=co.uk; Path=/")
                    self.send_header("Location", "/show")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.srv = http.server.ThreadingHTTPServer((h.LOOPBACK, 0), Handler)
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        h.on_cleanup(self.srv.shutdown)

    def url(self, path):
        return f"http://{h.LOOPBACK}:{self.port}{path}"


def curl(*args):
    env = {"LD_LIBRARY_PATH": str(h.compat_dir())}
    return h.run([CURL, "-q", "-sS", *args], env=env, timeout=30)


def test_cookies_follow_redirect_and_jar_round_trip():
    srv = Server()
    jar = h.tempdir() / "jar.txt"
    # -L with the engine on (-c): cookies set on the 302 are sent to /show
    cp = curl("-L", "-c", str(jar), srv.url("/set"))
    assert cp.returncode == 0, cp.stderr
    # libcurl sends the newer of two equally specific cookies first
    assert cp.stdout == b"b=2; a=1", cp.stdout
    text = jar.read_text()
    assert text.startswith("# Netscape HTTP Cookie File"), text
    assert "\ta\t1" in text and "#HttpOnly_127.0.0.1" in text, text
    assert "bad" not in text, text  # co.uk is a public suffix
    # read the jar back and send it
    cp = curl("-b", str(jar), srv.url("/show"))
    # (loading from the file makes a=1 the newer one)
    assert cp.returncode == 0 and cp.stdout == b"a=1; b=2", cp.stdout


def test_cookie_option_and_no_engine():
    srv = Server()
    # -b with name=value is CURLOPT_COOKIE: sent as given, nothing stored
    cp = curl("-b", "x=y", srv.url("/show"))
    assert cp.stdout == b"x=y", cp.stdout
    # without the engine, cookies from the redirect are not kept
    cp = curl("-L", srv.url("/set"))
    assert cp.stdout == b"", cp.stdout

"""git over HTTPS (smart HTTP) on curlium's libcurl-gnutls.so.4.

Server side: nginx terminates TLS (test CA) and proxy_passes /git/ to a
small Python CGI gateway (GitCgiServer below) that runs `git http-backend`
per request, as a web server's CGI support would. (Chosen over fcgiwrap so
the tests need no extra Debian package.)

Client side: `git clone https://localhost:PORT/git/repo.git` with
GIT_SSL_CAINFO=<test CA> and LD_LIBRARY_PATH=<build>/compat, so
git-remote-https, which links libcurl-gnutls.so.4 (CURL_GNUTLS_3), loads
ours: checked with ldd under that environment and with LD_DEBUG=libs on a
real `git ls-remote`.
"""

import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import harness as h

GIT_REMOTE_HTTPS = "/usr/lib/git-core/git-remote-https"


class _CgiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60

    def log_message(self, fmt, *args):
        pass

    def _run(self):
        srv = self.server.owner
        path, _, query = self.path.partition("?")
        assert path.startswith("/git/")
        n = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(n) if n else b""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": str(srv.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": self.request_version,
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path[len("/git"):],
            "QUERY_STRING": query,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_LENGTH": str(len(body)),
            "HOME": str(srv.root),
        }
        if self.headers.get("Content-Type"):
            env["CONTENT_TYPE"] = self.headers["Content-Type"]
        for k, v in self.headers.items():
            key = "HTTP_" + k.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                env[key] = v
        with srv.lock:
            srv.log.append((self.command, self.path,
                            self.headers.get("User-Agent", ""), len(body)))
        cp = subprocess.run(["git", "http-backend"], input=body, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=60)
        head, _, out = cp.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, out = cp.stdout.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.strip().split()[0])
            elif k:
                headers.append((k, v.strip()))
        if cp.returncode != 0 and status == 200:
            status = 500
            srv.errors.append(cp.stderr.decode(errors="replace"))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = _run


class GitCgiServer:
    """HTTP server on 127.0.0.1:|port| serving repositories under |root|
    through `git http-backend` as CGI at /git/<repo>. |log| lists
    (method, path, user agent, request body length). Stopped at cleanup."""

    def __init__(self, root):
        self.root = Path(root)
        self.lock = threading.Lock()
        self.log = []
        self.errors = []
        self.httpd = ThreadingHTTPServer((h.LOOPBACK, 0), _CgiHandler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever,
                         kwargs={"poll_interval": 0.1}, daemon=True).start()
        h.on_cleanup(self.stop)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def git(*args, cwd=None, env=None, timeout=60):
    base = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "curlium test",
            "GIT_AUTHOR_EMAIL": "test@localhost",
            "GIT_COMMITTER_NAME": "curlium test",
            "GIT_COMMITTER_EMAIL": "test@localhost", "LC_ALL": "C"}
    base.update(env or {})
    return h.run(["git", *args], cwd=cwd, env=base, timeout=timeout)


def ok(cp):
    assert cp.returncode == 0, \
        f"git failed ({cp.returncode}):\n{cp.stderr.decode(errors='replace')}"
    return cp.stdout.decode().strip()


def setup_server():
    """Bare repo with one commit (a text file and a 300 KiB blob), served
    at https://localhost:<port>/git/repo.git. Returns (ngx, cgi, sha, url,
    files)."""
    h.require_tool("git")
    h.require_build()
    top = h.tempdir("curlium-git-")
    srv_root = top / "srv"
    srv_root.mkdir()
    bare = srv_root / "repo.git"
    ok(git("init", "-q", "--bare", str(bare)))
    work = top / "work"
    ok(git("init", "-q", "-b", "main", str(work)))
    files = {"README": b"hello from curlium's git test\n",
             "blob.bin": h._pseudo_random(300 * 1024)}
    for name, data in files.items():
        (work / name).write_bytes(data)
    ok(git("add", ".", cwd=work))
    ok(git("commit", "-q", "-m", "first", cwd=work))
    sha = ok(git("rev-parse", "HEAD", cwd=work))
    ok(git("push", "-q", str(bare), "main:refs/heads/main", cwd=work))
    ok(git("--git-dir", str(bare), "symbolic-ref", "HEAD", "refs/heads/main"))
    ok(git("--git-dir", str(bare), "config", "http.receivepack", "true"))
    cgi = GitCgiServer(srv_root)
    loc = f"""
    location /git/ {{
      proxy_pass http://{h.LOOPBACK}:{cgi.port};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      client_max_body_size 0;
    }}
"""
    ngx = h.Nginx(extra_locations=loc)
    url = ngx.url("/git/repo.git", "https", "localhost")
    return ngx, cgi, sha, url, files


def client_env(ngx):
    env = {"GIT_SSL_CAINFO": str(ngx.certs.ca_cert),
           "LD_LIBRARY_PATH": str(h.compat_dir())}
    ours = h.libcurl_gnutls_path()
    h.assert_same_file(
        h.resolved_lib(GIT_REMOTE_HTTPS, "libcurl-gnutls.so.4", env), ours,
        "libcurl-gnutls.so.4 for git-remote-https")
    return env


def test_git_clone():
    ngx, cgi, sha, url, files = setup_server()
    env = client_env(ngx)
    # prove it at run time too: git-remote-https maps our library
    e = dict(env, LD_DEBUG="libs")
    cp = git("ls-remote", url, env=e)
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")[-3000:]
    assert f"{sha}\trefs/heads/main" in cp.stdout.decode(), cp.stdout
    ours = str(h.libcurl_gnutls_path().resolve())
    import os, re
    inits = [os.path.realpath(p) for p in re.findall(
        r"calling init: (\S+)", cp.stderr.decode(errors="replace"))]
    assert ours in inits, \
        f"{ours} not loaded by git-remote-https"

    dest = h.tempdir("curlium-clone-") / "clone"
    ok(git("clone", "-q", url, str(dest), env=env))
    assert ok(git("rev-parse", "HEAD", cwd=dest)) == sha
    for name, data in files.items():
        assert (dest / name).read_bytes() == data, f"{name} differs"
    ok(git("fsck", "--strict", cwd=dest))
    paths = [(m, p.split("?")[0]) for m, p, ua, n in cgi.log]
    assert ("GET", "/git/repo.git/info/refs") in paths, cgi.log
    assert ("POST", "/git/repo.git/git-upload-pack") in paths, cgi.log
    assert all(ua.startswith("git/") for _, _, ua, _ in cgi.log), cgi.log
    assert not cgi.errors, cgi.errors


def test_git_push():
    ngx, cgi, sha, url, files = setup_server()
    env = client_env(ngx)
    dest = h.tempdir("curlium-clone-") / "clone"
    ok(git("clone", "-q", url, str(dest), env=env))
    # a 2 MiB blob: git sends the pack as a large (possibly chunked) POST
    (dest / "big.bin").write_bytes(h._pseudo_random(2 << 20))
    ok(git("add", "big.bin", cwd=dest))
    ok(git("commit", "-q", "-m", "second", cwd=dest))
    new = ok(git("rev-parse", "HEAD", cwd=dest))
    ok(git("push", "-q", "origin", "main", cwd=dest, env=env))
    bare = cgi.root / "repo.git"
    assert ok(git("--git-dir", str(bare), "rev-parse", "main")) == new
    posts = [n for m, p, _, n in cgi.log if p.endswith("/git-receive-pack")]
    assert posts and max(posts) > (2 << 20) // 2, cgi.log
    assert not cgi.errors, cgi.errors

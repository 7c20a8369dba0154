"""Installing curlium and building a program against the installed copy.

`meson install --no-rebuild --destdir <tmp>` stages the build's install
into a temporary directory (the build itself is not modified; its
configured prefix, e.g. /usr/local, appears under <tmp>). A small program
(written here) is then compiled twice:
  - with `pkg-config --cflags --libs libcurl`, using PKG_CONFIG_SYSROOT_DIR
    = <tmp> (pkg-config's own support for staged installs: -I/-L paths get
    the <tmp> prefix) and only the staged pkgconfig directory on the path;
  - with `<tmp><prefix>/bin/curl-config --cflags --libs`, whose output
    names the configured prefix; -I/-L paths under it are mapped into <tmp>
    the same way, which is all a staged install can do.
Each program runs with LD_LIBRARY_PATH=<tmp><prefix>/<libdir> against an
EchoServer and must fetch the page, report curlium's version string and
map the staged library (ldd).

Needs packaging/libcurl.pc and curl-config templates installed by the build;
without them these tests fail, by design.
"""

import json
import os
import re
import shlex

import harness as h

PROGRAM = r"""
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static size_t on_body(char *p, size_t s, size_t n, void *u) {
  fwrite(p, s, n, stdout);
  return s * n;
}

int main(int argc, char **argv) {
  CURL *c;
  CURLcode rc;
  long code = 0;
  if (argc != 2)
    return 2;
  if (curl_global_init(CURL_GLOBAL_DEFAULT))
    return 3;
  c = curl_easy_init();
  if (!c)
    return 3;
  curl_easy_setopt(c, CURLOPT_URL, argv[1]);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  fprintf(stderr, "version=%s\nheader=%s\ncode=%ld\nresult=%d\n",
          curl_version(), LIBCURL_VERSION, code, (int)rc);
  curl_easy_cleanup(c);
  curl_global_cleanup();
  return rc == CURLE_OK ? 0 : 1;
}
"""


def staged_install():
    """Installs the build into a temp DESTDIR; returns a dict of paths."""
    h.require_tool("meson")
    h.require_build()
    build = h.build_dir()
    cp = h.run(["meson", "introspect", build, "--buildoptions"], timeout=60)
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")
    opts = {o["name"]: o["value"] for o in json.loads(cp.stdout)}
    prefix = opts["prefix"]

    def under_prefix(v):
        return v if os.path.isabs(v) else os.path.join(prefix, v)

    dest = h.tempdir("curlium-install-")
    cp = h.run(["meson", "install", "-C", build, "--no-rebuild", "--quiet",
                "--destdir", dest], timeout=300)
    assert cp.returncode == 0, \
        f"meson install failed:\n{cp.stdout.decode(errors='replace')}" \
        f"\n{cp.stderr.decode(errors='replace')}"

    def staged(p):
        return dest / p.lstrip("/")

    paths = {
        "dest": dest,
        "prefix": prefix,
        "libdir": staged(under_prefix(opts["libdir"])),
        "includedir": staged(under_prefix(opts["includedir"])),
        "bindir": staged(under_prefix(opts["bindir"])),
    }
    for lib in ("libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"):
        assert (paths["libdir"] / lib).exists(), f"{lib} not installed"
    for hdr in ("curl.h", "curlver.h", "easy.h", "multi.h", "system.h"):
        assert (paths["includedir"] / "curl" / hdr).exists(), \
            f"curl/{hdr} not installed"
    return paths


def compile_and_run(paths, flags, tag):
    work = h.tempdir("curlium-prog-")
    src = work / "prog.c"
    src.write_text(PROGRAM)
    exe = work / f"prog-{tag}"
    cp = h.run([os.environ.get("CC", "cc"), str(src), "-o", str(exe),
                *flags], timeout=120)
    err = cp.stderr.decode(errors="replace")[-3000:]
    assert cp.returncode == 0, f"compiling with {flags} failed:\n{err}"
    env = {"LD_LIBRARY_PATH": str(paths["libdir"])}
    h.assert_same_file(h.resolved_lib(exe, "libcurl.so.4", env),
                       paths["libdir"] / "libcurl.so.4",
                       f"libcurl.so.4 for the {tag} program")
    echo = h.EchoServer()
    cp = h.run([exe, echo.url("/installed")], env=env)
    err = cp.stderr.decode(errors="replace")
    assert cp.returncode == 0, f"program failed ({cp.returncode}):\n{err}"
    assert "code=200" in err and "result=0" in err, err
    assert json.loads(cp.stdout)["path"] == "/installed", cp.stdout
    if not h.reference_mode():
        assert "BoringSSL" in err, f"not curlium's version string:\n{err}"
    return err


def map_into(dest, prefix, flags):
    """-I<path>/-L<path> under |prefix| -> the same path inside |dest|."""
    out = []
    for f in flags:
        m = re.match(r"(-[IL])(/.*)", f)
        if m and (m.group(2) + "/").startswith(prefix.rstrip("/") + "/"):
            f = m.group(1) + str(dest) + m.group(2)
        out.append(f)
    return out


def test_pkg_config():
    h.require_tool("pkg-config")
    paths = staged_install()
    pcdir = paths["libdir"] / "pkgconfig"
    assert (pcdir / "libcurl.pc").exists(), f"{pcdir}/libcurl.pc not installed"
    env = {"PKG_CONFIG_PATH": str(pcdir), "PKG_CONFIG_LIBDIR": str(pcdir),
           "PKG_CONFIG_SYSROOT_DIR": str(paths["dest"])}
    cp = h.run(["pkg-config", "--modversion", "libcurl"], env=env)
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")
    version = cp.stdout.decode().strip()
    cp = h.run(["pkg-config", "--cflags", "--libs", "libcurl"], env=env)
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")
    flags = shlex.split(cp.stdout.decode())
    assert "-lcurl" in flags, flags
    err = compile_and_run(paths, flags, "pkgconfig")
    # the .pc version is the library's own
    assert f"header={version}" in err, (version, err)


def test_curl_config():
    paths = staged_install()
    cc = paths["bindir"] / "curl-config"
    assert cc.exists(), f"{cc} not installed"
    assert os.access(cc, os.X_OK), f"{cc} is not executable"

    def ask(*args):
        cp = h.run([cc, *args])
        assert cp.returncode == 0, \
            f"curl-config {args} failed: {cp.stderr.decode(errors='replace')}"
        return cp.stdout.decode().strip()

    assert ask("--prefix") == paths["prefix"], ask("--prefix")
    version = ask("--version")
    assert re.fullmatch(r"libcurl \d+\.\d+\.\d+", version), version
    vernum = ask("--vernum")
    major, minor, patch = map(int, version.split()[1].split("."))
    assert vernum == f"{major:02x}{minor:02x}{patch:02x}", (vernum, version)
    protocols = ask("--protocols").split()
    assert "HTTP" in protocols and "HTTPS" in protocols, protocols
    flags = shlex.split(ask("--cflags")) + shlex.split(ask("--libs"))
    assert "-lcurl" in flags, flags
    flags = map_into(paths["dest"], paths["prefix"], flags)
    err = compile_and_run(paths, flags, "curl-config")
    assert f"header={version.split()[1]}" in err, (version, err)

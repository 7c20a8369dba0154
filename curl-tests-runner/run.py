#!/usr/bin/env python3
"""run.py: curl's own test suite, run against curlium (the scoreboard).

  curl-tests-runner/run.py                 # HTTP-only selection, curl 8.14.1
  curl-tests-runner/run.py --all           # every test; runtests skips what
                                           # curl -V says is not built
  curl-tests-runner/run.py 1 2 1500        # just these tests
  curl-tests-runner/run.py --lib libcurl   # honesty baseline: real libcurl
  curl-tests-runner/run.py --suite 7.88.1  # Debian's /usr/bin/curl, curlium
                                           # swapped in, bookworm's suite

Steps, all cached under $CURLIUM_CACHE/curl-tests (default
~/.cache/curlium/curl-tests), outside the work tree:
  1. Debian packages the suite needs (stunnel4, nghttpx, autotools, ...) and
     the en_US.UTF-8 locale;
  2. curl's Debian source package through scripts/private-apt.sh (8.14.1 from
     trixie, 7.88.1 from the machine's own bookworm), unpacked with Debian's
     patches by dpkg-source;
  3. the curl tool, tests/server and tests/libtest built against curlium's
     headers (include/curl) and libcurl.so.4 (linked with a RUNPATH to the
     build's compat/ directory), checked with ldd;
  4. tests/runtests.pl on the selection, with a hook (result-hook.pl) that
     records every test's outcome and skip reason;
  5. results.tsv (one line per test) and summary.txt in the output directory,
     compared with expected-failures and expected-skips: a failure or skip
     that is not listed, and a listed test that now passes or runs, is
     unexpected. The last line printed is "N passed, N failed, N skipped"
     and the exit status is 0 only without unexpected results.

Nothing here changes the system's apt sources or the curlium build.
"""

import argparse
import fcntl
import functools
import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP = HERE.parent

APT_DEPS = [
    "build-essential", "autoconf", "automake", "libtool", "pkg-config", "perl",
    "dpkg-dev", "libssl-dev", "libnghttp2-dev", "libpsl-dev", "libidn2-dev",
    "zlib1g-dev", "libbrotli-dev", "libzstd-dev", "stunnel4", "nghttp2-proxy",
    "locales", "curl", "openssl", "python3",
]

# One configuration for every tree built from a source, so the tool, the test
# servers and the libtests are the same code whichever libcurl they load.
# runtests learns from src/curlinfo which features the *build* disabled;
# nothing is disabled here, so a feature curlium lacks but does not deny in
# curl_version_info() shows up as a failure, not as a skip.
CONFIGURE = [
    "--with-openssl", "--with-nghttp2", "--with-libpsl", "--with-libidn2",
    "--with-zstd", "--with-brotli", "--with-zlib", "--without-libssh2",
    "--without-libssh", "--disable-ldap", "--disable-ldaps", "--without-gssapi",
    "--enable-threaded-resolver", "--enable-ipv6", "--enable-websockets",
    "--with-ca-bundle=/etc/ssl/certs/ca-certificates.crt",
    "--with-ca-path=/etc/ssl/certs",
]

SUITES = {
    "8.14.1": {"upstream": "8.14.1", "apt_suites": ["trixie"],
               "configure": CONFIGURE + ["--enable-test-bundles"]},
    "7.88.1": {"upstream": "7.88.1", "apt_suites": [],
               "configure": CONFIGURE},
}

# Servers whose tests are HTTP-only: HTTP(S), proxies and the SOCKS/DNS
# helpers HTTP tests use. A test needing any other server is not.
HTTP_SERVERS = {"http", "https", "http-ipv6", "http-proxy", "http/2", "http/3",
                "https-proxy", "https-mtls", "http-unix", "httptls+srp"}
HELPER_SERVERS = {"socks4", "socks5", "socks5unix", "dns"}
OTHER_PROTOCOLS = {"dict", "file", "ftp", "ftps", "gopher", "gophers", "imap",
                   "imaps", "ldap", "ldaps", "mqtt", "pop3", "pop3s", "rtmp",
                   "rtsp", "scp", "sftp", "smb", "smbs", "smtp", "smtps",
                   "telnet", "tftp"}
# Features only a debug build of libcurl has.
DEBUG_FEATURES = {"debug", "trackmemory", "unittest"}
# Keywords of tests whose result curl's own CI ignores (make test-nonflaky:
# "~flaky ~timing-dependent"); they run, but neither outcome is unexpected.
FLAKY_KEYWORDS = {"flaky", "timing-dependent"}


def log(msg):
    print(f"curl-tests-runner: {msg}", file=sys.stderr, flush=True)


class HarnessError(Exception):
    """The harness could not do its job (fetch, build, start)."""


def run(cmd, cwd=None, env=None, logfile=None, check=True):
    """Runs |cmd|; output goes to |logfile| (appended) when given."""
    if logfile:
        with open(logfile, "a") as f:
            f.write(f"$ {' '.join(shlex.quote(str(c)) for c in cmd)}\n")
            f.flush()
            rc = subprocess.call([str(c) for c in cmd], cwd=cwd, env=env,
                                 stdout=f, stderr=subprocess.STDOUT)
    else:
        rc = subprocess.call([str(c) for c in cmd], cwd=cwd, env=env)
    if check and rc != 0:
        where = f" (log: {logfile})" if logfile else ""
        raise HarnessError(
            f"command failed ({rc}): {' '.join(map(str, cmd))}{where}")
    return rc


def output(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True,
                          text=True, **kw).stdout


def cache_root():
    base = os.environ.get("CURLIUM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
        "curlium")
    return Path(base) / "curl-tests"


# --- 1. dependencies -------------------------------------------------------

def ensure_deps():
    missing = []
    for p in APT_DEPS:
        st = output(["dpkg-query", "-W", "-f=${Status}", p])
        if "ok installed" not in st:
            missing.append(p)
    if missing:
        log(f"installing Debian packages: {' '.join(missing)}")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(sudo + ["apt-get", "update", "-qq"], env=env)
        run(sudo + ["apt-get", "install", "-y", "-qq",
                    "--no-install-recommends"] + missing, env=env)
    # IDN tests set LC_ALL=en_US.UTF-8 and need it to exist.
    if not re.search(r"^en_US\.utf-?8$", output(["locale", "-a"]),
                     re.M | re.I):
        log("generating the en_US.UTF-8 locale")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        run(sudo + ["localedef", "-i", "en_US", "-f", "UTF-8", "en_US.UTF-8"])


# --- 2. source ---------------------------------------------------------------

def compare_versions(a, b):
    if a == b:
        return 0
    lt = subprocess.call(["dpkg", "--compare-versions", a, "lt", b])
    return -1 if lt == 0 else 1


def newest(versions):
    return sorted(versions, key=functools.cmp_to_key(compare_versions))[-1]


def fetch_source(suite, work):
    """Returns the .dsc of curl's Debian source package for |suite|."""
    spec = SUITES[suite]
    dl = work / "debsrc"
    dl.mkdir(parents=True, exist_ok=True)
    prefix = spec["upstream"] + "-"
    cached = {p.name[len("curl_"):-len(".dsc")]: p
              for p in dl.glob(f"curl_{prefix}*.dsc")}
    cached = {v: p for v, p in cached.items()
              if (dl / f"curl_{spec['upstream']}.orig.tar.gz").exists()
              or list(dl.glob(f"curl_{spec['upstream']}.orig.tar.*"))}
    if cached:
        return cached[newest(list(cached))]
    papt = [TOP / "scripts" / "private-apt.sh"]
    for s in spec["apt_suites"]:
        papt += ["--suite", s]
    listed = re.findall(r"^Version: (\S+)$",
                        output(papt + ["apt-cache", "showsrc", "curl"]), re.M)
    versions = [v for v in listed if v.startswith(prefix)]
    if not versions:
        raise HarnessError(f"no curl {spec['upstream']} source package listed")
    # Mode 3 tests the installed binary: prefer its exact version.
    installed = output(["dpkg-query", "-W", "-f=${Version}", "curl"]).strip()
    want = installed if installed in versions else newest(versions)
    log(f"downloading curl source package {want}")
    run(papt + ["apt-get", "source", "--download-only", f"curl={want}"],
        cwd=dl, logfile=work / "fetch.log")
    return dl / f"curl_{want}.dsc"


def prepare_source(dsc, work):
    """Unpacks |dsc| with Debian's patches and regenerates the build files
    (Debian's patches touch configure.ac and Makefile.am)."""
    version = dsc.name[len("curl_"):-len(".dsc")]
    srcdir = work / version / "source"
    if (srcdir / ".curlium-prepared").exists():
        return version, srcdir
    log(f"unpacking curl {version}")
    if srcdir.exists():
        shutil.rmtree(srcdir)
    srcdir.parent.mkdir(parents=True, exist_ok=True)
    logfile = work / version / "prepare.log"
    run(["dpkg-source", "--no-check", "-x", dsc, srcdir], logfile=logfile)
    # Debian restores the release's ltmain.sh after autoreconf; so do we.
    ltmain = (srcdir / "ltmain.sh").read_bytes()
    run(["autoreconf", "-fi"], cwd=srcdir, logfile=logfile)
    (srcdir / "ltmain.sh").write_bytes(ltmain)
    (srcdir / ".curlium-prepared").touch()
    return version, srcdir


# --- 3. builds ----------------------------------------------------------------

def copy_tree(srcdir, tree):
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(srcdir, tree, symlinks=True)


def configure(tree, opts, logfile):
    stamp = tree / ".curlium-configured"
    want = "\n".join(opts)
    if stamp.exists() and stamp.read_text() == want:
        return
    log(f"configuring {tree.name} (takes a few minutes, once)")
    run(["./configure"] + opts, cwd=tree, logfile=logfile)
    stamp.write_text(want)


def make(tree, subdir, args, logfile):
    jobs = str(max(1, min(os.cpu_count() or 1, 4)))
    run(["make", "-j", jobs, "-C", subdir] + args, cwd=tree, logfile=logfile)


def sync_headers(tree, incdir):
    """Points the tree's include/curl/*.h at curlium's headers (only those:
    a header curlium does not ship must not be found)."""
    dest = tree / "include" / "curl"
    for h in dest.glob("*.h"):
        h.unlink()
    for h in sorted(incdir.glob("*.h")):
        (dest / h.name).symlink_to(h)


def write_compat_header(tree, incdir):
    """curl's libtests name CURLE_RESERVED115..126 (libcurl reserves them for
    its tests). Where curlium's curl.h lacks them, a forced include supplies
    them so the libtests still build; the summary says so."""
    header = tree / "curlium-compat" / "compat.h"
    header.parent.mkdir(exist_ok=True)
    curl_h = (incdir / "curl.h").read_text(errors="replace")
    missing = [i for i in range(115, 127)
               if not re.search(rf"\bCURLE_RESERVED{i}\b", curl_h)]
    text = "/* written by curl-tests-runner */\n" + "".join(
        f"#define CURLE_RESERVED{i} ((CURLcode){i})\n" for i in missing)
    if not header.exists() or header.read_text() != text:
        header.write_text(text)
    return header, missing


def makefile_var(makefile, name):
    m = re.search(rf"^{re.escape(name)} = (.*)$", makefile.read_text(), re.M)
    return m.group(1).strip() if m else ""


def build_curlium_tree(version, srcdir, work, spec, build_dir, logfile):
    """The tool, test servers and libtests of |version| built against
    curlium's headers and libcurl.so.4 from |build_dir|."""
    libdir = build_dir / "compat"
    incdir = TOP / "include" / "curl"
    key = hashlib.sha256(f"{TOP}\n{build_dir}".encode()).hexdigest()[:10]
    tree = work / version / f"curlium-{key}"
    if not (tree / ".curlium-configured").exists():
        copy_tree(srcdir, tree)
    sync_headers(tree, incdir)
    configure(tree, spec["configure"] + ["--disable-static"], logfile)
    compat, missing = write_compat_header(tree, incdir)
    # RUNPATH (not RPATH): the binaries find curlium by themselves, and the
    # runner can still point them at a snapshot with LD_LIBRARY_PATH.
    link = (f"-Wl,--as-needed -L{libdir} -lcurl -Wl,-rpath,{libdir} "
            f"-Wl,--enable-new-dtags -lz")
    log("building curl's tool, test servers and libtests against curlium")
    make(tree, "src", ["curl", "curlinfo", f"curl_LDADD={link}",
                       "curl_DEPENDENCIES="], logfile)
    make(tree, "tests/server", [], logfile)
    cppflags = makefile_var(tree / "tests/libtest/Makefile", "CPPFLAGS")
    make(tree, "tests/libtest", [
        f"CPPFLAGS={cppflags} -include {compat}",
        f"TESTUTIL_LIBS={link}", f"SUPPORTFILES_LIBS={link}",
        "libtests_DEPENDENCIES=", "libstubgss_la_LIBADD="], logfile)
    make(tree, "tests/certs", [], logfile)
    notes = []
    if missing:
        notes.append("curlium's curl.h lacks CURLE_RESERVED"
                     f"{missing[0]}..{missing[-1]}; libtests were built with "
                     "curlium-compat/compat.h defining them")
    return tree, notes


def build_libcurl_tree(version, srcdir, work, spec, logfile):
    """The honesty baseline: libcurl itself built from the same source, with
    the system's OpenSSL, and everything linked to it by libtool."""
    tree = work / version / "libcurl"
    if not (tree / ".curlium-configured").exists():
        copy_tree(srcdir, tree)
    # Versioned symbols as Debian's libcurl has them, so Debian's
    # /usr/bin/curl can load this library too (--lib libcurl-8.14.1).
    configure(tree, spec["configure"] + ["--disable-static",
                                         "--enable-versioned-symbols"],
              logfile)
    log("building libcurl, curl's tool, test servers and libtests")
    for sub in ("lib", "src", "tests/server", "tests/libtest", "tests/certs"):
        make(tree, sub, [], logfile)
    return tree, []


def build_servers_tree(version, srcdir, work, spec, logfile):
    """Mode 3: only the test servers (and test certificates); the curl under
    test is Debian's /usr/bin/curl."""
    tree = work / version / "servers"
    if not (tree / ".curlium-configured").exists():
        copy_tree(srcdir, tree)
    configure(tree, spec["configure"], logfile)
    # 7.x's runtests prints only the first three skips of each reason and
    # keeps the rest to itself; print them all (output only).
    rt = tree / "tests" / "runtests.pl"
    text = rt.read_text()
    patched = text.replace("if($skipped{$why} <= 3) {", "if(1) {")
    if patched != text:
        rt.write_text(patched)
    log("building the test servers")
    make(tree, "tests/server", [], logfile)
    # The stub GSS-API library the Negotiate tests preload (Debian's libcurl
    # has GSS-API); configure only sets it up for a GSS-API build, so name
    # its object and flags here.
    make(tree, "tests/libtest", [
        "libstubgss.la", "am_libstubgss_la_OBJECTS=libstubgss_la-stub_gssapi.lo",
        "libstubgss_la_CFLAGS=-g",
        "libstubgss_la_LDFLAGS=-avoid-version -rpath /nowhere"], logfile)
    if (tree / "tests/certs/Makefile").exists():
        make(tree, "tests/certs", [], logfile)
    return tree, []


def snapshot_library(build_dir, outdir):
    """Copies curlium's libcurl.so.4 for this run, so a concurrent relink of
    the build cannot break tests half-way. Retries while the file is being
    rewritten."""
    src = build_dir / "compat" / "libcurl.so.4"
    if not src.exists():
        raise HarnessError(f"{src} does not exist: build curlium first "
                           "(scripts/build.sh --no-demo)")
    snap = outdir / "lib"
    snap.mkdir(parents=True, exist_ok=True)
    for attempt in range(30):
        try:
            data = src.read_bytes()
            (snap / "libcurl.so.4").write_bytes(data)
            probe = subprocess.run(
                [sys.executable, "-c",
                 "import ctypes,sys; l=ctypes.CDLL(sys.argv[1]);"
                 "l.curl_version.restype=ctypes.c_char_p;"
                 "print(l.curl_version().decode())",
                 str(snap / "libcurl.so.4")],
                capture_output=True, text=True)
            if probe.returncode == 0 and "libcurl/" in probe.stdout:
                return snap, hashlib.sha256(data).hexdigest()[:16]
        except OSError:
            pass
        log(f"{src} is not loadable (being relinked?); retrying")
        time.sleep(5)
    raise HarnessError(f"{src} does not load")


def check_ldd(binaries, want_dir, env):
    """Every binary must resolve libcurl.so.4 inside |want_dir|."""
    report = []
    for b in binaries:
        out = output(["ldd", b], env=env)
        m = re.search(r"^\s*libcurl\.so\.4 => (\S+)", out, re.M)
        where = m.group(1) if m else "(not linked)"
        ok = m is not None and Path(where).resolve().parent == Path(
            want_dir).resolve()
        report.append(
            f"{'ok  ' if ok else 'BAD '} {b}: libcurl.so.4 => {where}")
        if not ok:
            raise HarnessError("ldd check failed:\n" + "\n".join(report))
    return report


# --- 4. tests ----------------------------------------------------------------

def test_part(text, section, sub=None):
    m = re.search(rf"<{section}[^>]*>(.*?)</{section}>", text, re.S)
    if not m:
        return ""
    if sub is None:
        return m.group(1)
    m = re.search(rf"<{re.escape(sub)}[^>]*>(.*?)</{re.escape(sub)}>",
                  m.group(1), re.S)
    return m.group(1) if m else ""


def lines(s):
    return [x.strip() for x in s.splitlines() if x.strip()]


def load_tests(datadir):
    """Number -> {keywords, servers, features, tool, name} for every test."""
    tests = {}
    for f in datadir.glob("test[0-9]*"):
        if not f.name[4:].isdigit():
            continue
        t = f.read_text(encoding="latin-1")
        tests[int(f.name[4:])] = {
            "keywords": lines(test_part(t, "info", "keywords")),
            "servers": [x.split()[0] for x in
                        lines(test_part(t, "client", "server"))],
            "features": lines(test_part(t, "client", "features")),
            "tool": test_part(t, "client", "tool").strip(),
            "name": " ".join(lines(test_part(t, "client", "name"))),
        }
    return tests


def disabled_tests(datadir):
    """Tests listed unconditionally in tests/data/DISABLED."""
    out, depth = set(), 0
    path = datadir / "DISABLED"
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("%if"):
            depth += 1
        elif line.startswith("%endif"):
            depth -= 1
        elif depth == 0 and re.match(r"^\d+$", line):
            out.add(int(line))
    return out


def is_http_only(t):
    servers = set(t["servers"])
    feats = {f.lower() for f in t["features"]}
    if not servers or not servers <= HTTP_SERVERS | HELPER_SERVERS:
        return False
    if not servers & HTTP_SERVERS:
        return False
    if feats & DEBUG_FEATURES or feats & OTHER_PROTOCOLS:
        return False
    return True


def categories(t, http_only):
    kw = " ".join(t["keywords"]).lower()
    feats = {f.lower() for f in t["features"]}
    servers = set(t["servers"])
    cats = []
    if http_only:
        cats.append("HTTP-only")
    if any(s.startswith("https") for s in servers) or "https" in \
            [k.lower() for k in t["keywords"]]:
        cats.append("HTTPS")
    if "proxy" in feats or servers & {"http-proxy", "https-proxy", "socks4",
                                      "socks5", "socks5unix"} \
            or re.search(r"proxy|socks", kw):
        cats.append("proxy")
    if "cookies" in feats or "cookie" in kw:
        cats.append("cookies")
    if "http/2" in servers or feats & {"http/2", "h2c"} or "http/2" in kw:
        cats.append("HTTP/2")
    if t["tool"].startswith("lib"):
        cats.append("libtest")
    return cats


def read_list(path, need_reason):
    """'<number> <reason>' lines; '#' starts a comment line."""
    entries = {}
    if not path.exists():
        return entries
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(\d+)\s*(.*)$", line)
        if not m or (need_reason and not m.group(2)):
            raise HarnessError(f"{path}:{n}: want '<test number> <reason>'")
        entries[int(m.group(1))] = m.group(2)
    return entries


def write_verify_curl(outdir):
    """runtests checks its servers with the -vc curl. It must not load
    curlium (a broken curlium would turn failures into 'server failed to
    start' skips), so this wrapper runs Debian's curl with a clean loader
    environment."""
    path = outdir / "verify-curl"
    path.write_text("#!/bin/sh\n"
                    "# curl-tests-runner: checks runtests' servers without "
                    "curlium\n"
                    "unset LD_LIBRARY_PATH LD_PRELOAD\n"
                    "exec /usr/bin/curl \"$@\"\n")
    path.chmod(0o755)
    return path


class Watchdog(threading.Thread):
    """Kills a process under test (curl, libtests) that has run longer than
    |limit| seconds: runtests has no timeout of its own, and a hung transfer
    would stall the run. Only descendants of runtests are considered."""

    def __init__(self, root_pid, exes, limit, logfile):
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.exes = {str(Path(e).resolve()) for e in exes}
        self.limit = limit
        self.logfile = logfile
        self.stop = threading.Event()
        self.killed = 0
        self.clk = os.sysconf("SC_CLK_TCK")

    def descendants(self):
        parent = {}
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
                parent[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
        out = []
        for pid in parent:
            p, hops = pid, 0
            while p in parent and hops < 64:
                p, hops = parent[p], hops + 1
                if p == self.root_pid:
                    out.append(pid)
                    break
        return out

    def run(self):
        boot = time.time() - float(Path("/proc/uptime").read_text().split()[0])
        while not self.stop.wait(5):
            for pid in self.descendants():
                try:
                    exe = os.readlink(f"/proc/{pid}/exe")
                    stat = Path(f"/proc/{pid}/stat").read_text()
                except OSError:
                    continue
                if exe not in self.exes:
                    continue
                ticks = int(stat.rsplit(")", 1)[1].split()[19])
                started = boot + ticks / self.clk
                if time.time() - started > self.limit:
                    try:
                        os.kill(pid, signal.SIGKILL)
                        self.killed += 1
                        with open(self.logfile, "a") as f:
                            f.write(f"watchdog: killed {exe} pid {pid} after "
                                    f"{self.limit}s\n")
                    except OSError:
                        pass


def run_runtests(tree, numbers, curl, env, jobs, outdir, exes, limit, suite,
                 diffs=False):
    testsdir = tree / "tests"
    result_log = outdir / "results.raw"
    result_log.unlink(missing_ok=True)
    rt_log = outdir / "runtests.log"
    verify = write_verify_curl(outdir)
    cmd = ["perl", "runtests.pl", "-a", "-n", "-vc", str(verify),
           "-L", str(HERE / "result-hook.pl")]
    if curl:
        cmd += ["-c", str(curl)]
    if diffs:
        cmd += ["-p"]
    if suite != "7.88.1":
        cmd += [f"-j{jobs}"]
    cmd += [str(n) for n in numbers]
    env = dict(env, CURLIUM_RESULT_LOG=str(result_log))
    log(f"running {len(numbers)} tests (log: {rt_log})")
    start = time.time()
    with open(rt_log, "w") as f:
        f.write(f"$ cd {testsdir} && {' '.join(shlex.quote(c) for c in cmd)}\n")
        f.flush()
        proc = subprocess.Popen(cmd, cwd=testsdir, env=env, stdout=f,
                                stderr=subprocess.STDOUT,
                                start_new_session=True)
        dog = Watchdog(proc.pid, exes, limit, rt_log)
        dog.start()
        try:
            proc.wait()
        except KeyboardInterrupt:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
        finally:
            dog.stop.set()
    return time.time() - start, dog.killed


def parse_results(path, rt_log):
    """Number -> (result, reason) from the hook's log (last entry wins);
    skip reasons the hook could not see come from runtests' own log."""
    out = {}
    if not path.exists():
        return out
    logged = dict((int(n), r.strip()) for n, r in re.findall(
        r"^test (\d+) SKIPPED: (.*)$", rt_log.read_text(errors="replace"),
        re.M))
    for line in path.read_text(errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].isdigit():
            continue
        num, code = int(parts[0]), int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        if code == 0:
            out[num] = ("OK", "")
        elif code > 0:
            out[num] = ("FAIL", "")
        elif code == -1:
            out[num] = ("SKIPPED", reason or logged.get(num, "(not logged)"))
        else:
            out[num] = ("ERROR", "test could not be prepared or run")
    return out


def keep_failure_logs(tree, results, outdir):
    """Copies what each failed test left in runtests' log directories
    (the libtest's or tool's stderr, the server's view of the protocol) to
    <outdir>/failed/<N>/, as the next run reuses those directories: a
    failure that happens once in a while can then still be read."""
    keep = outdir / "failed"
    shutil.rmtree(keep, ignore_errors=True)
    for num, (result, _) in results.items():
        if result != "FAIL":
            continue
        for f in (tree / "tests" / "log").glob(f"*/*{num}"):
            if f.is_file() and re.search(rf"\D{num}$", f.name):
                dest = keep / str(num) / f.parent.name
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, dest / f.name)


# --- 5. report ----------------------------------------------------------------

def rate(ok, ran):
    return f"{100.0 * ok / ran:.1f}%" if ran else "n/a"


def report(tests, numbers, results, xfail, xskip, use_lists, scope, outdir,
           header, elapsed):
    """Writes results.tsv and summary.txt; returns (passed, failed, skipped)
    for the final line. The expected-* lists judge the tests in |scope| (the
    HTTP-only selection); others (--all) are reported as they came out."""
    rows, verdicts = [], {}
    for n in numbers:
        res, reason = results.get(n, ("NORESULT", "runtests reported nothing"))
        flaky = {k.lower() for k in tests.get(n, {}).get("keywords", [])} \
            & FLAKY_KEYWORDS
        # A listed reason starting "flaky:" marks a test whose outcome
        # against curlium depends on timing (written down with why).
        if xfail.get(n, "").startswith("flaky:"):
            flaky = flaky or {"flaky"}
        if flaky and res == "OK":
            v = "pass"
        elif flaky and res in ("FAIL", "ERROR", "NORESULT"):
            v = "flaky-fail"
        elif res == "OK":
            v = "UNEXPECTED-PASS" if n in xfail else (
                "STALE-SKIP" if n in xskip else "pass")
        elif res == "FAIL":
            v = "expected-failure" if n in xfail else "UNEXPECTED-FAIL"
        elif res == "SKIPPED":
            v = "expected-skip" if n in xskip else "UNEXPECTED-SKIP"
        else:
            v = "UNEXPECTED-" + res
        if not use_lists or n not in scope:
            v = {"pass": "pass", "UNEXPECTED-PASS": "pass",
                 "STALE-SKIP": "pass", "expected-failure": "fail",
                 "UNEXPECTED-FAIL": "fail",
                 "expected-skip": "skip", "UNEXPECTED-SKIP": "skip",
                 "flaky-fail": "flaky-fail"}.get(v, v)
        verdicts[n] = v
        t = tests.get(n, {"keywords": [], "tool": ""})
        rows.append(f"{n}\t{', '.join(t['keywords'])}\t{res}\t{reason}\t{v}")
    (outdir / "results.tsv").write_text(
        "# test\tkeywords\tresult\tskip reason\tverdict\n" +
        "\n".join(rows) + "\n")

    def count(sel):
        c = {"OK": 0, "FAIL": 0, "SKIPPED": 0, "other": 0}
        for n in sel:
            r = results.get(n, ("NORESULT",))[0]
            c[r if r in c else "other"] += 1
        return c

    total = count(numbers)
    ran = total["OK"] + total["FAIL"] + total["other"]
    s = list(header)
    s.append(f"selected {len(numbers)} tests; ran {ran}: passed {total['OK']}, "
             f"failed {total['FAIL'] + total['other']}; skipped "
             f"{total['SKIPPED']}; pass rate {rate(total['OK'], ran)} of "
             f"those run, {rate(total['OK'], len(numbers))} of those selected; "
             f"{elapsed:.0f} s")
    s.append("")
    s.append(f"{'category':<12} {'selected':>8} {'ran':>5} {'passed':>6} "
             f"{'failed':>6} {'skipped':>7} {'pass rate':>9}")
    for cat in ["all", "HTTP-only", "HTTPS", "proxy", "cookies", "HTTP/2",
                "libtest"]:
        blank = {"keywords": [], "servers": [], "features": [], "tool": ""}
        sel = numbers if cat == "all" else [
            n for n in numbers
            if cat in categories(tests.get(n, blank), n in scope)]
        c = count(sel)
        r = c["OK"] + c["FAIL"] + c["other"]
        s.append(f"{cat:<12} {len(sel):>8} {r:>5} {c['OK']:>6} "
                 f"{c['FAIL'] + c['other']:>6} {c['SKIPPED']:>7} "
                 f"{rate(c['OK'], r):>9}")
    reasons = {}
    for n in numbers:
        res, reason = results.get(n, ("NORESULT", ""))
        if res == "SKIPPED":
            reasons[reason] = reasons.get(reason, 0) + 1
    if reasons:
        s.append("")
        s.append("skipped, by runtests' reason:")
        for r, c in sorted(reasons.items(), key=lambda x: -x[1]):
            s.append(f"  {c:5}  {r}")

    by = {}
    for n, v in verdicts.items():
        by.setdefault(v, []).append(n)
    unexpected = {v: ns for v, ns in by.items() if v.startswith(("UNEXPECTED",
                                                                 "STALE"))}
    if use_lists:
        s.append("")
        s.append(f"expected failures (listed in expected-failures): "
                 f"{len(by.get('expected-failure', []))}; expected skips "
                 f"(listed in expected-skips): "
                 f"{len(by.get('expected-skip', []))}")
    if by.get("flaky-fail"):
        s.append("failed, but marked flaky/timing-dependent by curl (ignored "
                 "like curl's test-nonflaky does): "
                 + " ".join(map(str, sorted(by["flaky-fail"]))))
    if use_lists:
        explain = {
            "UNEXPECTED-FAIL": "failed but not in expected-failures",
            "UNEXPECTED-PASS": "passed but listed in expected-failures "
                               "(remove them: the list only shrinks)",
            "UNEXPECTED-SKIP": "skipped but not in expected-skips",
            "STALE-SKIP": "ran and passed but listed in expected-skips "
                          "(remove them)",
            "UNEXPECTED-ERROR": "could not be prepared or run",
            "UNEXPECTED-NORESULT": "no result recorded (runner died?)",
        }
        for v in sorted(unexpected):
            ns = sorted(unexpected[v])
            s.append(f"{v}: {len(ns)} test(s) {explain.get(v, '')}: "
                     + " ".join(map(str, ns)))
        if not unexpected:
            s.append("no unexpected results")
    (outdir / "summary.txt").write_text("\n".join(s) + "\n")
    print("\n".join(s))
    print(f"results: {outdir / 'results.tsv'}; runtests log: "
          f"{outdir / 'runtests.log'}")

    # Unexpected results, and failures outside the lists' scope (or of a
    # run without lists), count as failed; everything not passed or failed
    # (expected failures, skips, flaky failures) as skipped.
    passed = len(by.get("pass", []))
    failed = sum(len(ns) for v, ns in by.items()
                 if v not in ("pass", "skip", "flaky-fail", "expected-failure",
                              "expected-skip"))
    skipped = len(numbers) - passed - failed
    return passed, failed, skipped


def update_lists(tests, numbers, results, xfail_path, xskip_path):
    """--update-lists: drop entries that no longer apply, list new skips with
    runtests' reason. New failures are printed, never added: each one needs
    a reason written by a person."""
    xfail = read_list(xfail_path, True)
    xskip = read_list(xskip_path, False)
    new_failures = []
    for n in numbers:
        res, reason = results.get(n, ("NORESULT", ""))
        if res == "OK":
            if not xfail.get(n, "").startswith("flaky:"):
                xfail.pop(n, None)
            xskip.pop(n, None)
        elif res == "SKIPPED":
            xskip[n] = reason
            xfail.pop(n, None)
        elif res == "FAIL":
            xskip.pop(n, None)
            flaky = {k.lower() for k in tests.get(n, {}).get("keywords", [])} \
                & FLAKY_KEYWORDS
            if n not in xfail and not flaky:
                new_failures.append(n)

    def rewrite(path, entries, head):
        keep = [l for l in (path.read_text().splitlines() if path.exists()
                            else head) if l.startswith("#")]
        path.write_text("\n".join(keep) + "\n" + "".join(
            f"{n} {entries[n]}\n" for n in sorted(entries)))

    rewrite(xfail_path, xfail, ["# <test> <one-line reason>"])
    rewrite(xskip_path, xskip, [
        "# Tests of the selection that runtests skips against curlium, with",
        "# runtests' reason (what curl -V / curl_version_info() does not",
        "# report, or what this machine lacks). Maintained by --update-lists;",
        "# a skip that is not listed here fails the run, so a feature that",
        "# disappears cannot hide its tests."])
    if new_failures:
        log("new failures, add them to expected-failures with a reason: " +
            " ".join(map(str, new_failures)))


def main():
    ap = argparse.ArgumentParser(
        description="curl's test suite against curlium",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("tests", nargs="*", type=int,
                    help="test numbers (default: the HTTP-only selection)")
    ap.add_argument("--suite", choices=sorted(SUITES), default="8.14.1")
    ap.add_argument("--lib", choices=["curlium", "libcurl", "libcurl-8.14.1"],
                    default="curlium",
                    help="libcurl under test: curlium, or the real libcurl "
                    "(8.14.1: built from the same source; 7.88.1: Debian's); "
                    "libcurl-8.14.1 with --suite 7.88.1: real libcurl 8.14.1 "
                    "under Debian's curl 7.88.1 (shows what changed between "
                    "the versions)")
    ap.add_argument("--all", action="store_true",
                    help="every test of the suite but curl's unit tests "
                    "(default: the HTTP-only selection)")
    ap.add_argument("--build-dir", type=Path,
                    default=Path(os.environ.get("BUILD_DIR", TOP / "build")))
    ap.add_argument("--out", type=Path, help="output directory (default: "
                    "<build-dir>/curl-tests/<suite>-<lib>)")
    ap.add_argument("-j", "--jobs", type=int, default=4,
                    help="runtests -j (8.14.1 only; default 4)")
    ap.add_argument("--test-timeout", type=int, default=60,
                    help="kill a curl/libtests process after this many "
                    "seconds (default 60)")
    ap.add_argument("--no-deps", action="store_true",
                    help="do not check/install Debian packages")
    ap.add_argument("--diffs", action="store_true",
                    help="runtests -p: after each failed test, print every "
                    "file it left in log/ (curl's stderr and trace, the "
                    "server's view of the request) into runtests.log; the "
                    "expected/generated diffs are there either way")
    ap.add_argument("--update-lists", action="store_true",
                    help="rewrite expected-failures/expected-skips from this "
                    "run (drops entries that no longer apply)")
    args = ap.parse_args()
    if args.lib == "libcurl-8.14.1" and args.suite != "7.88.1":
        ap.error("--lib libcurl-8.14.1 goes with --suite 7.88.1")

    suite, spec = args.suite, SUITES[args.suite]
    build_dir = args.build_dir.resolve()
    outdir = (args.out or build_dir / "curl-tests" /
              f"{suite}-{args.lib}").resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    work = cache_root()
    work.mkdir(parents=True, exist_ok=True)
    suffix = "" if suite == "8.14.1" else f"-{suite}"
    xfail_path = HERE / f"expected-failures{suffix}"
    xskip_path = HERE / f"expected-skips{suffix}"
    use_lists = args.lib == "curlium"
    start = time.time()

    try:
        if not args.no_deps:
            ensure_deps()
        dsc = fetch_source(suite, work)
        version, srcdir = prepare_source(dsc, work)
        locks = [open(work / version / ".lock", "w")]
        fcntl.flock(locks[0], fcntl.LOCK_EX)
        buildlog = outdir / "build.log"
        buildlog.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items()
               if k not in ("LD_LIBRARY_PATH", "LD_PRELOAD")}
        env.setdefault("USER", output(["id", "-un"]).strip() or "root")
        env["LANG"] = "C.UTF-8"
        env.pop("LC_ALL", None)
        if shutil.which("nghttpx", path="/usr/sbin:/usr/bin"):
            env["NGHTTPX"] = shutil.which("nghttpx", path="/usr/sbin:/usr/bin")
        header = [f"curl {version} test suite"]
        curl = None
        if suite == "8.14.1" and args.lib == "curlium":
            tree, notes = build_curlium_tree(version, srcdir, work, spec,
                                             build_dir, buildlog)
            snap, digest = snapshot_library(build_dir, outdir)
            env["LD_LIBRARY_PATH"] = str(snap)
            exes = [tree / "src/curl", tree / "tests/libtest/libtests"]
            ldd = check_ldd(exes, snap, env)
            header.append(f"against curlium {build_dir}/compat/libcurl.so.4 "
                          f"(snapshot {digest} in {snap})")
        elif suite == "8.14.1":
            tree, notes = build_libcurl_tree(version, srcdir, work, spec,
                                             buildlog)
            libs = tree / "lib/.libs"
            exes = [tree / "src/.libs/curl",
                    tree / "tests/libtest/.libs/libtests"]
            ldd = check_ldd(exes, libs, dict(env, LD_LIBRARY_PATH=str(libs)))
            header.append(f"against libcurl {version} built from the same "
                          f"source ({libs})")
        else:
            tree, notes = build_servers_tree(version, srcdir, work, spec,
                                             buildlog)
            curl = Path("/usr/bin/curl")
            exes = [curl]
            if args.lib == "curlium":
                snap, digest = snapshot_library(build_dir, outdir)
                env["LD_LIBRARY_PATH"] = str(snap)
                ldd = check_ldd(exes, snap, env)
                header.append(f"Debian's /usr/bin/curl with curlium "
                              f"{build_dir}/compat/libcurl.so.4 (snapshot "
                              f"{digest}) by LD_LIBRARY_PATH")
            elif args.lib == "libcurl-8.14.1":
                # The control for mode 3: what changed between libcurl
                # 7.88.1 and the 8.14.1 curlium follows.
                v8, src8 = prepare_source(fetch_source("8.14.1", work), work)
                locks.append(open(work / v8 / ".lock", "w"))
                fcntl.flock(locks[-1], fcntl.LOCK_EX)
                tree8, _ = build_libcurl_tree(v8, src8, work,
                                              SUITES["8.14.1"], buildlog)
                libs = tree8 / "lib/.libs"
                env["LD_LIBRARY_PATH"] = str(libs)
                ldd = check_ldd(exes, libs, env)
                header.append(f"Debian's /usr/bin/curl with libcurl {v8} "
                              f"built from source ({libs}) by LD_LIBRARY_PATH")
            else:
                ldd = check_ldd(exes, "/usr/lib/x86_64-linux-gnu", env)
                header.append("Debian's /usr/bin/curl with Debian's libcurl")
        version_line = output([curl or tree / "src/curl", "--version"],
                              env=env).splitlines()
        header += [f"  {l}" for l in version_line[:1] + version_line[2:4]]
        header += [f"  ldd: {l}" for l in ldd]
        header += [f"  note: {n}" for n in notes]

        datadir = tree / "tests" / "data"
        tests = load_tests(datadir)
        selection = sorted(n for n, t in tests.items() if is_http_only(t)
                           and n not in disabled_tests(datadir)
                           and (suite == "8.14.1" or not t["tool"]))
        if args.tests:
            numbers, label = sorted(set(args.tests)), "tests named"
        elif args.all:
            # curl's unit tests need libcurl's internals from a debug build.
            numbers = sorted(
                n for n, t in tests.items()
                if "unittest" not in {f.lower() for f in t["features"]}
                and (suite == "8.14.1" or not t["tool"]))
            label = "every test but the unit tests"
        else:
            numbers, label = selection, "HTTP-only selection"
        header[0] += f", {label}"

        exes_under_test = [Path(os.path.realpath(e)) for e in exes]
        elapsed, killed = run_runtests(tree, numbers, curl, env, args.jobs,
                                       outdir, exes_under_test,
                                       args.test_timeout, suite, args.diffs)
        if killed:
            header.append(f"  watchdog: killed {killed} process(es) that ran "
                          f"over {args.test_timeout} s")
        results = parse_results(outdir / "results.raw",
                                outdir / "runtests.log")
        keep_failure_logs(tree, results, outdir)
        xfail = read_list(xfail_path, True) if use_lists else {}
        xskip = read_list(xskip_path, False) if use_lists else {}
        if args.update_lists and use_lists:
            update_lists(tests, [n for n in numbers if n in selection],
                         results, xfail_path, xskip_path)
            xfail = read_list(xfail_path, True)
            xskip = read_list(xskip_path, False)
        passed, failed, skipped = report(tests, numbers, results, xfail, xskip,
                                         use_lists, set(selection), outdir,
                                         header, elapsed)
    except HarnessError as e:
        log(str(e))
        print("0 passed, 1 failed, 0 skipped")
        return 2
    log(f"total time {time.time() - start:.0f} s")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

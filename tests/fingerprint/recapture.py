#!/usr/bin/env python3
"""recapture.py: captures the Debian chromium and firefox-esr installed on
this machine (headless, HTTP/2 and HTTP/1.1) against fpserver.py, the way
../shared/reference was made, and checks each capture twice, field by field
(compare.py's rules: GREASE values, Chromium's extension permutation, the
ECH GREASE length and key-share bytes vary per connection and are compared
as shapes):

  reference vs live   the browser now against its reference capture
                      (../shared/reference/<browser>-<version>-linux-h?.json)
  live vs <target>    curlium's profile (chrome156 / firefox153, through
                      tests/fingerprint/imp_client and the same server)
                      against the browser now (for Chromium with the
                      headless UA and brands turned into Google Chrome's)

so that a browser update that changes the wire is noticed. Not part of CI.

Needs the browsers, which scripts/install-deps.sh leaves out (they are big):
    scripts/install-browsers.sh
    (= apt-get install -y chromium firefox-esr libnss3-tools)
plus openssl and a curlium build (--build-dir; imp_client is compiled
against it when missing or older than the library).

Usage: python3 tests/fingerprint/recapture.py [--build-dir build]
           [--only chromium|firefox] [--proto h2|h1] [--out DIR]
           [--reference-dir DIR] [--timeout SECONDS] [--keep] [--full]
Prints one table per capture (field | reference vs live | live vs
<target>; cells same / DIFFERS / - for not compared), the differing values
under it, a verdict line per capture and a last verdict line (see
tests/fingerprint/README.md). Captures are written to --out (default a new
/tmp/recapture-* directory) in the reference naming.

Exit status: 0 every capture matches its reference and its profile;
1 some field differs; 2 nothing differs but some capture could not be made
(browser not installed, no request within --timeout, no build).
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import compare  # noqa: E402
import fpcert  # noqa: E402
import fpserver  # noqa: E402

REPO = HERE.parent.parent
INSTALL_HINT = ("scripts/install-browsers.sh "
                "(apt-get install -y chromium firefox-esr libnss3-tools)")

# browser executable -> (its package, reference file stem, curlium target)
BROWSERS = {
    "chromium": ("chromium", "chromium-156", "chrome156"),
    "firefox-esr": ("firefox-esr", "firefox-esr-153", "firefox153"),
}


class NoCapture(Exception):
    """A capture that could not be made; the message says why."""


# --- process handling -----------------------------------------------------

def browser_pids(sid, tag):
    """Pids of the processes of a browser we started: those in session
    |sid| (start_new_session: the browser and what it forked) and those
    whose command line names |tag|, our private work directory (Chromium's
    crashpad handlers detach into sessions of their own)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            continue
        # pid (comm) state ppid pgrp session ...: comm may hold spaces.
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] == "Z":
            continue
        if int(fields[3]) == sid or tag in cmdline:
            out.append(int(entry))
    return out


def stop_browser(proc, tag):
    """Ends the browser |proc| and every process it started (see
    browser_pids): SIGTERM, then SIGKILL after 5 s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = browser_pids(proc.pid, tag)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            proc.poll()
            if not browser_pids(proc.pid, tag):
                break
            time.sleep(0.1)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def tail(path, lines=4):
    try:
        text = Path(path).read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


def run_until_request(cmd, srv, timeout, work, env):
    """Starts |cmd| in its own session and waits for the first connection
    to |srv| that carried a whole request. Browsers open spare connections
    (Chromium a preconnect, Firefox a speculative one that may even send
    the HTTP/2 preface) and close them unused: those record an error and
    are skipped. Stops the browser either way. Returns (record,
    connections seen)."""
    log = work / "browser.log"
    with open(log, "wb") as logf:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf,
                                stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        exited_at = None
        while time.monotonic() < deadline:
            for rec in list(srv.records):
                if "http" in rec and "error" not in rec:
                    return rec, len(srv.records)
            if proc.poll() is not None:
                # Give the server a moment to finish a connection the
                # browser made just before exiting.
                exited_at = exited_at or time.monotonic()
                if time.monotonic() - exited_at > 3:
                    break
            time.sleep(0.2)
        errors = [r.get("error") for r in srv.records if "error" in r]
        why = (f"exited with status {proc.returncode}" if proc.poll()
               is not None else f"no request within {timeout:g} s")
        raise NoCapture(f"{why}; {len(srv.records)} connection(s)"
                        + (f", first error: {errors[0]}" if errors else "")
                        + (f"; output: {tail(log)}" if tail(log) else ""))
    finally:
        stop_browser(proc, str(work))


# --- capture setup --------------------------------------------------------

def browser_version(exe):
    try:
        out = subprocess.run([exe, "--version"], capture_output=True,
                             text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"(\d+(?:\.\d+)+)", out)
    return m.group(1) if m else None


def fresh_env(home):
    """The browser's environment: a HOME of its own (Chromium keeps its NSS
    database and caches under it) and no display."""
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"))
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "CURL_IMPERSONATE"):
        env.pop(var, None)
    return env


def capture_chromium(srv, work, ca, h2, timeout):
    del ca  # --ignore-certificate-errors, as the reference was captured
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={work / 'profile'}",
           "--ignore-certificate-errors",
           "--host-resolver-rules=MAP fp.test 127.0.0.1",
           "--dump-dom", f"https://fp.test:{srv.port}/"]
    if not h2:
        cmd.insert(1, "--disable-http2")
    return run_until_request(cmd, srv, timeout, work, fresh_env(work / "home"))


def capture_firefox(srv, work, ca, h2, timeout):
    prof = work / "profile"
    prof.mkdir()
    for args in (["-N", "--empty-password"],
                 ["-A", "-n", "ca", "-t", "CT,,", "-i", str(ca)]):
        cp = subprocess.run(["certutil", *args, "-d", f"sql:{prof}"],
                            capture_output=True, text=True, timeout=60)
        if cp.returncode:
            raise NoCapture(f"certutil {args[0]} failed: {cp.stderr.strip()}")
    prefs = ['user_pref("network.dns.localDomains", "fp.test");']
    if not h2:
        prefs.append('user_pref("network.http.http2.enabled", false);')
    (prof / "user.js").write_text("\n".join(prefs) + "\n")
    cmd = ["firefox-esr", "--headless", "--no-remote", "--profile", str(prof),
           "--screenshot", str(work / "shot.png"),
           f"https://fp.test:{srv.port}/"]
    return run_until_request(cmd, srv, timeout, work, fresh_env(work / "home"))


def imp_client(build):
    """tests/fingerprint/imp_client built against |build|'s libcurl (as
    tests/integration/test_impersonate_tls.py builds it)."""
    build = build.resolve()  # the rpath below must not depend on the cwd
    lib = build / "compat" / "libcurl.so.4"
    if not lib.exists():
        raise NoCapture(f"no curlium build: {lib} missing (scripts/build.sh, "
                        "or --build-dir)")
    src = HERE / "imp_client.c"
    exe = build / "tests-integration" / "imp_client"
    if exe.exists() and exe.stat().st_mtime >= max(src.stat().st_mtime,
                                                   lib.stat().st_mtime):
        return exe
    exe.parent.mkdir(exist_ok=True)
    tmp = exe.with_name(f"imp_client.{os.getpid()}")
    cp = subprocess.run([os.environ.get("CC", "cc"), "-std=c11", "-O1", "-g",
                         f"-I{REPO / 'include'}", str(src), "-o", str(tmp),
                         f"-L{lib.parent}", "-lcurl",
                         f"-Wl,-rpath,{lib.parent}"],
                        capture_output=True, text=True, timeout=120)
    if cp.returncode:
        raise NoCapture(f"building imp_client failed: {cp.stderr[-500:]}")
    os.replace(tmp, exe)
    return exe


def capture_profile(srv, exe, ca, target, h2, timeout):
    cmd = [str(exe), "--resolve", f"fp.test:{srv.port}:127.0.0.1",
           "--cacert", str(ca), "--impersonate", target]
    if not h2:
        cmd.append("--http1.1")
    cmd.append(f"https://fp.test:{srv.port}/")
    env = dict(os.environ)
    env.pop("CURL_IMPERSONATE", None)
    try:
        cp = subprocess.run(cmd, capture_output=True, text=True,
                            timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise NoCapture(f"imp_client --impersonate {target}: no answer "
                        f"within {timeout:.0f} s") from None
    try:
        rec = srv.wait_record(0, 15)
    except TimeoutError:
        rec = {"error": "no connection"}
    if cp.returncode or "error" in rec:
        raise NoCapture(f"imp_client --impersonate {target} failed "
                        f"({cp.returncode}): {cp.stderr.strip()[-300:]} "
                        f"{rec.get('error', '')}")
    return rec


def one_connection(cert, key, fn):
    """Runs |fn(server)| against a fresh fingerprint server."""
    srv = fpserver.FingerprintServer(str(cert), str(key))
    try:
        return fn(srv)
    finally:
        srv.stop()


# --- report ---------------------------------------------------------------

def rows_for(capture, reference, browser, h2):
    rows = compare.tls_rows(capture, reference, browser)
    rows += (compare.h2_rows(capture, reference) if h2 else
             compare.h1_rows(capture, reference))
    return rows


def short(v, full):
    s = json.dumps(v) if not isinstance(v, str) else v
    return s if full or len(s) <= 160 else s[:150] + f"... ({len(s)} chars)"


def report(label, title, columns, full):
    """Prints the table for one capture. |columns|: [(heading, rows or
    None)]. Returns the differing fields per column."""
    fields = []  # the longest column's order, then what only others have
    for _, rows in sorted(columns, key=lambda c: -len(c[1] or [])):
        for f, *_ in rows or []:
            if f not in fields:
                fields.append(f)
    by_col = [{f: same for f, _, _, same in rows or []} for _, rows in columns]
    width = max([len(f) for f in fields] + [5])
    print(f"== {label}: {title}")
    print(f"  {'field':<{width}}  " +
          "  ".join(f"{h:<19}" for h, _ in columns).rstrip())
    for f in fields:
        cells = []
        for col, (_, rows) in zip(by_col, columns):
            if rows is None:
                cells.append("(not captured)")
            elif f not in col:
                cells.append("-")
            else:
                cells.append("same" if col[f] else "DIFFERS")
        print(f"  {f:<{width}}  " +
              "  ".join(f"{c:<19}" for c in cells).rstrip())
    differing = []
    for (heading, rows) in columns:
        bad = [r for r in rows or [] if not r[3]]
        differing.append([r[0] for r in bad])
        if bad:
            exp_name, got_name = heading.split(" vs ")
            print(f"  -- {heading}: {len(bad)} field(s) differ")
            for f, e, g, _ in bad:
                print(f"     {f}:\n       {exp_name:>9}: {short(e, full)}\n"
                      f"       {got_name:>9}: {short(g, full)}")
    return differing


# --- main -----------------------------------------------------------------

def default_reference_dir():
    for p in (REPO.parent / "shared" / "reference",
              Path("/work/shared/reference")):
        if p.is_dir():
            return p
    return REPO.parent / "shared" / "reference"


def capture_one(exe, h2, args, work, out, ca, cert, key):
    """One capture, its two comparisons and its verdict. Returns "match",
    "differs" or "nocapture"."""
    package, ref_stem, target = BROWSERS[exe]
    proto = "h2" if h2 else "h1"
    label = f"{exe} {proto}"
    if not shutil.which(exe) or (exe == "firefox-esr" and
                                 not shutil.which("certutil")):
        missing = (f"{exe} (package {package})" if shutil.which(exe) is None
                   else "certutil (package libnss3-tools)")
        print(f"verdict {label}: COULD NOT CAPTURE: {missing} not installed; "
              f"run {INSTALL_HINT}")
        return "nocapture"
    ver = browser_version(exe) or "unknown"
    major = ver.split(".")[0]
    label = f"{exe}-{major}-linux-{proto}"
    browser = "firefox" if exe == "firefox-esr" else "chromium"
    bwork = work / label
    bwork.mkdir()
    run = capture_firefox if browser == "firefox" else capture_chromium
    try:
        live, conns = one_connection(cert, key, lambda srv: run(
            srv, bwork, ca, h2, args.timeout))
    except NoCapture as e:
        print(f"verdict {label}: COULD NOT CAPTURE: {exe} {ver}: {e}")
        return "nocapture"
    live["captured"] = (f"Debian {exe} {ver}, headless, recapture.py, "
                        f"{time.strftime('%Y-%m-%d')}, {proto}")
    (out / f"{label}.json").write_text(json.dumps(live, indent=1) + "\n")

    ref_path = Path(args.reference_dir) / f"{ref_stem}-linux-{proto}.json"
    ref = json.loads(ref_path.read_text()) if ref_path.exists() else None
    vs_ref = rows_for(live, ref, browser, h2) if ref else None

    mine, why = None, None
    try:
        client = imp_client(Path(args.build_dir))
        mine = one_connection(cert, key, lambda srv: capture_profile(
            srv, client, ca, target, h2, args.timeout))
        (out / f"{target}-{proto}.json").write_text(
            json.dumps(mine, indent=1) + "\n")
    except NoCapture as e:
        why = str(e)
    expected = compare.as_google_chrome(live, int(major)) if (
        browser == "chromium" and major.isdigit()) else live
    vs_profile = rows_for(mine, expected, browser, h2) if mine else None

    title = (f"{exe} {ver} (live, {conns} connection(s)), reference "
             f"{ref_path.name if ref else '(missing)'}, curlium {target}")
    d_ref, d_prof = report(label, title, [
        ("reference vs live", vs_ref), (f"live vs {target}", vs_profile)],
        args.full)
    n = max(len(vs_ref or []), len(vs_profile or []))
    problems = []
    if d_prof:
        problems.append(f"{target} differs from the live browser in "
                        f"{len(d_prof)} field(s) ({', '.join(d_prof[:4])}"
                        f"{', ...' if len(d_prof) > 4 else ''})")
    if d_ref:
        problems.append(f"the live browser differs from {ref_path.name} in "
                        f"{len(d_ref)} field(s) ({', '.join(d_ref[:4])}"
                        f"{', ...' if len(d_ref) > 4 else ''})")
    known = ref_stem.rsplit("-", 1)[1]
    if major != known:
        problems.append(f"the browser is version {major}, {target} and the "
                        f"reference are {known}")
    if problems:
        print(f"verdict {label}: DIFFERS: " + "; ".join(problems) +
              (f"; {target} not captured: {why}" if why else ""))
        return "differs"
    if mine is None or ref is None:
        print(f"verdict {label}: COULD NOT CAPTURE: " +
              (f"no reference {ref_path}" if ref is None else why))
        return "nocapture"
    print(f"verdict {label}: MATCH: {exe} {ver} = {ref_path.name} = "
          f"{target} in all {n} compared fields")
    return "match"


def main():
    ap = argparse.ArgumentParser(
        description="Re-capture the installed chromium / firefox-esr and "
        "diff them against the references and chrome156 / firefox153.",
        epilog=f"Install the browsers with {INSTALL_HINT}. Exit status: "
        "0 all match, 1 a field differs, 2 a capture could not be made.")
    ap.add_argument("--build-dir", default=str(REPO / "build"))
    ap.add_argument("--out", help="where the captures go (default: a new "
                    "/tmp/recapture-* directory)")
    ap.add_argument("--reference-dir", default=str(default_reference_dir()))
    ap.add_argument("--only", choices=("chromium", "firefox"))
    ap.add_argument("--proto", choices=("h2", "h1"))
    ap.add_argument("--timeout", type=float, default=90,
                    help="seconds a browser gets to send its request "
                    "(default 90)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the work directory (browser profiles, logs)")
    ap.add_argument("--full", action="store_true",
                    help="print differing values in full")
    args = ap.parse_args()
    if not shutil.which("openssl"):
        print("verdict: COULD NOT CAPTURE: openssl not installed")
        return 2
    out = Path(args.out) if args.out else Path(
        tempfile.mkdtemp(prefix="recapture-"))
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="recapture-work-"))
    results = {}
    try:
        ca, cert, key = fpcert.make_cert(work, "recapture CA")
        for exe in BROWSERS:
            if args.only and not exe.startswith(args.only):
                continue
            for h2 in (True, False):
                if args.proto and args.proto != ("h2" if h2 else "h1"):
                    continue
                label = f"{exe} {'h2' if h2 else 'h1'}"
                results[label] = capture_one(exe, h2, args, work, out, ca,
                                             cert, key)
                print()
    finally:
        if args.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if not args.out and not any(out.iterdir()):
        out.rmdir()
    else:
        print(f"captures in {out}")
    summary = ", ".join(f"{k}: {v}" for k, v in results.items())
    if "differs" in results.values():
        print(f"verdict: DIFFERS ({summary})")
        return 1
    if "nocapture" in results.values() or not results:
        print(f"verdict: COULD NOT CAPTURE ({summary})")
        return 2
    print(f"verdict: MATCH ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

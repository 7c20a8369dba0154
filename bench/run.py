#!/usr/bin/env python3
"""bench/run.py: curlium against Debian's libcurl, same program, same run.

Starts nginx on 127.0.0.1 (plain HTTP/1.1, HTTPS HTTP/1.1, HTTPS HTTP/2; a
1 KiB file and a 100 MiB file), builds bench/bench.c once against
<curl/curl.h>, and runs every scenario alternately with Debian's
libcurl.so.4 and with curlium (LD_LIBRARY_PATH), several rounds. Prints a
table: scenario, libcurl median, curlium median, ratio (curlium / libcurl),
min/max. The client's CPU time (user + system, from getrusage) is recorded
for every run. Client instructions per request come from valgrind's
callgrind (instruction counts are stable on a shared, noisy machine; times
are not). bench/tls_speed.c measures the TLS read limit of the BoringSSL
build on one core, without network, to set bulk throughput against.

  bench/run.py                 full run (several minutes)
  bench/run.py --smoke         seconds: every scenario once, checks it works
  bench/run.py --write-doc     also rewrite docs/PERFORMANCE.md
"""

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests" / "integration"))
import harness as h  # noqa: E402

SYSTEM_LIBDIR = "/usr/lib/x86_64-linux-gnu"


def build(build_dir):
    out = Path(build_dir) / "bench"
    out.mkdir(exist_ok=True)
    exe = out / "bench"
    compat = Path(build_dir) / "compat"
    subprocess.run(["cc", "-O2", "-std=gnu11", f"-I{REPO / 'include'}",
                    str(HERE / "bench.c"), "-o", str(exe), f"-L{compat}",
                    "-lcurl", "-ldl"], check=True)
    tls = None
    prefix_file = Path(os.environ.get("CURLIUM_CACHE", Path.home() / ".cache" / "curlium")) / "boringssl-current"
    if prefix_file.exists():
        prefix = Path(prefix_file.read_text().strip())
        tls = out / "tls_speed"
        subprocess.run(["c++", "-O2", "-x", "c", str(HERE / "tls_speed.c"),
                        "-x", "none", f"-I{prefix / 'include'}",
                        str(prefix / "lib" / "libssl.a"),
                        str(prefix / "lib" / "libcrypto.a"), "-lpthread",
                        "-o", str(tls)], check=True)
    return exe, tls


def lib_env(which, build_dir):
    if which == "curlium":
        return {"LD_LIBRARY_PATH": str(Path(build_dir) / "compat")}
    return {"LD_LIBRARY_PATH": SYSTEM_LIBDIR}


def child_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_bench(exe, which, build_dir, args, valgrind=False, env_extra=None):
    env = dict(os.environ, **lib_env(which, build_dir), **(env_extra or {}))
    cmd = [str(exe), *args]
    if valgrind:
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
               *cmd]
    # Runs are sequential, so the children's CPU time grows by this one's.
    cpu_before = child_cpu_s()
    cp = subprocess.run(cmd, env=env, capture_output=True, timeout=900)
    cpu = child_cpu_s() - cpu_before
    if cp.returncode != 0:
        raise RuntimeError(f"{which} {' '.join(args)} failed "
                           f"({cp.returncode}): {cp.stderr.decode()[-2000:]}")
    res = json.loads(cp.stdout.decode().strip().splitlines()[-1])
    res["cpu_s"] = cpu
    if valgrind:
        m = re.search(r"Collected : (\d+)", cp.stderr.decode())
        res["instructions"] = int(m.group(1)) if m else None
    return res


def supports_h2(exe, which, build_dir, url, cacert):
    try:
        res = run_bench(exe, which, build_dir,
                        ["seq", "1", url, "--cacert", cacert, "--http2"])
        return res["ok"] == 1
    except RuntimeError:
        return False


def instructions(exe, build_dir, libs, h2, needs_h2, mode, url, extra, lo, hi,
                 env=None):
    """Client instructions per transfer of |mode| (callgrind): the runs of
    |hi| and |lo| transfers differ by hi - lo transfers and nothing else.
    With |env| only curlium runs (libcurl ignores curlium's variables)."""
    res = {}
    for lib in libs:
        if (needs_h2 and not h2[lib]) or (env and lib == "libcurl"):
            continue
        a = run_bench(exe, lib, build_dir, [mode, str(lo), url, *extra],
                      valgrind=True, env_extra=env)
        b = run_bench(exe, lib, build_dir, [mode, str(hi), url, *extra],
                      valgrind=True, env_extra=env)
        if a.get("instructions") and b.get("instructions"):
            res[lib] = (b["instructions"] - a["instructions"]) / (hi - lo)
    return res


def raise_fd_limit():
    """1,000 concurrent connections need more descriptors than the usual
    soft limit of 1,024, in the client and in nginx (started from here)."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 16384) if hard != resource.RLIM_INFINITY else 16384
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def main():
    raise_fd_limit()
    load_start = os.getloadavg()[0]
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=str(REPO / "build"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--write-doc", action="store_true")
    opts = ap.parse_args()
    os.environ["CURLIUM_BUILD_DIR"] = opts.build_dir
    exe, tls_speed = build(opts.build_dir)

    ngx = h.Nginx()
    (ngx.docroot / "1k.bin").write_bytes(os.urandom(1024))
    big = ngx.docroot / "100m.bin"
    size_big = (4 if opts.smoke else 100) << 20
    with open(big, "wb") as f:
        f.truncate(size_big)
    for p in (ngx.docroot / "1k.bin", big):
        p.chmod(0o644)
    ca = str(ngx.certs.ca_cert)
    urls = {"http": ngx.url("/1k.bin"),
            "https": ngx.url("/1k.bin", "https", "localhost"),
            "h2": ngx.url("/1k.bin", "h2", "localhost")}
    tls = ["--cacert", ca]
    libs = ["libcurl", "curlium"]
    rounds = 1 if opts.smoke else opts.rounds
    n_seq = 5 if opts.smoke else 1000
    n_multi = [10] if opts.smoke else [100, 1000]
    n_fresh = 3 if opts.smoke else 200
    n_idle = 10 if opts.smoke else 1000

    h2 = {lib: supports_h2(exe, lib, opts.build_dir, urls["h2"], ca)
          for lib in libs}

    # (name, unit, args, per, lower_is_better, needs_h2, extra); extra:
    # "cpu": also a row of the client's CPU time, "total" (ms per run) or
    # "per_mb" (ms per MB); "env": environment of the curlium run (libcurl
    # ignores curlium's variables, so such rows have no libcurl value).
    scenarios = []
    for key, extra in (("http", []), ("https", tls), ("h2", tls + ["--http2"])):
        scenarios.append((f"seq keep-alive 1 KiB {key}", "req/s",
                          ["seq", str(n_seq), urls[key], *extra], n_seq,
                          False, key == "h2", {}))
    for n in n_multi:
        for key, extra in (("https h1", tls), ("h2", tls + ["--http2"])):
            url = urls["https"] if key == "https h1" else urls["h2"]
            scenarios.append((f"{n} concurrent {key}", "s",
                              ["multi", str(n), url, *extra], 1, True,
                              key == "h2", {"cpu": "total"}))
    for key, extra in (("https h1", tls), ("h2", tls + ["--http2"])):
        url = (ngx.url("/100m.bin", "https", "localhost") if key == "https h1"
               else ngx.url("/100m.bin", "h2", "localhost"))
        scenarios.append((f"bulk {size_big >> 20} MiB {key}", "MB/s",
                          ["bulk", url, *extra], size_big / 1e6, False,
                          key == "h2", {"cpu": "per_mb", "tls": True}))
    scenarios.append(("bulk plain http", "MB/s",
                      ["bulk", ngx.url("/100m.bin")], size_big / 1e6, False,
                      False, {"cpu": "per_mb"}))
    scenarios.append(("fresh TLS handshakes", "conn/s",
                      ["fresh", str(n_fresh), urls["https"], *tls], n_fresh,
                      False, False, {}))
    scenarios.append(("fresh TLS handshakes, CURL_IMPERSONATE=chrome",
                      "conn/s", ["fresh", str(n_fresh), urls["https"], *tls],
                      n_fresh, False, False,
                      {"env": {"CURL_IMPERSONATE": "chrome"}}))
    scenarios.append((f"peak RSS, {n_idle} idle connections", "KiB/conn",
                      ["idle", str(n_idle), urls["http"]], n_idle, True,
                      False, {}))
    scenarios.append(("load + init + first request", "ms",
                      ["first", urls["https"], *tls], 1, True, False, {}))

    tls_limit = None
    if tls_speed and not opts.smoke:
        cp = subprocess.run([str(tls_speed)], capture_output=True)
        if cp.returncode == 0:
            tls_limit = json.loads(cp.stdout)

    rows = []
    for name, unit, args, per, lower_better, needs_h2, extra in scenarios:
        vals = {lib: [] for lib in libs}
        cpus = {lib: [] for lib in libs}
        notes = []
        env = extra.get("env")
        for r in range(rounds):
            for lib in (libs if r % 2 == 0 else reversed(libs)):
                if needs_h2 and not h2[lib]:
                    continue
                if env and lib == "libcurl":
                    continue
                try:
                    res = run_bench(exe, lib, opts.build_dir, args,
                                    env_extra=env)
                except RuntimeError as e:
                    notes.append(f"{lib}: {str(e).splitlines()[0][:80]}")
                    continue
                secs = res["seconds"]
                if unit in ("req/s", "conn/s", "MB/s"):
                    v = per / secs
                elif unit == "KiB/conn":
                    v = res["rss_kb"] / per
                elif unit == "ms":
                    v = secs * 1000
                else:
                    v = secs
                vals[lib].append(v)
                cpu_ms = res["cpu_s"] * 1000
                cpus[lib].append(cpu_ms / per if extra.get("cpu") == "per_mb"
                                 else cpu_ms)
        rows.append((name, unit, vals, lower_better, notes))
        if extra.get("cpu") == "total":
            rows.append((f"{name}, client CPU", "ms", cpus, True, []))
        elif extra.get("cpu") == "per_mb":
            rows.append((f"{name}, client CPU per MB", "ms/MB", cpus, True,
                         []))
        if extra.get("tls") and tls_limit:
            # Throughput as a share of the TLS read limit on one core.
            share = {lib: [v / tls_limit["ssl_read_mb_s"] for v in vals[lib]]
                     for lib in libs}
            rows.append((f"{name} / raw SSL_read speed", "share", share,
                         False, []))
        if not opts.smoke:
            print(f"  done: {name}", file=sys.stderr)

    # Instructions: callgrind on the client process; the difference between
    # two runs cancels start-up costs.
    instr = []
    if not opts.smoke and h.shutil.which("valgrind"):
        for key, extra in (("http", []), ("https", tls),
                           ("h2", tls + ["--http2"])):
            instr.append((f"instructions/request keep-alive {key}",
                          instructions(exe, opts.build_dir, libs, h2,
                                       key == "h2", "seq", urls[key], extra,
                                       20, 220)))
        for label, env in (("", None),
                           (", CURL_IMPERSONATE=chrome",
                            {"CURL_IMPERSONATE": "chrome"})):
            instr.append((f"instructions/fresh TLS connection{label}",
                          instructions(exe, opts.build_dir, libs, h2, False,
                                       "fresh", urls["https"], tls, 5, 25,
                                       env)))

    lines = format_table(rows, instr, tls_limit)
    print("\n".join(lines))
    if opts.smoke:
        bad = [r[0] for r in rows
               if not r[2]["curlium"] and "h2" not in r[0]]
        print(f"benchmark smoke: {len(rows) - len(bad)} scenarios ran, "
              f"{len(bad)} missing for curlium")
        return 1 if bad else 0
    if opts.write_doc:
        write_doc(lines, opts, (load_start, os.getloadavg()[0]))
    return 0


def fmt(v):
    if v is None:
        return "n/a"
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.2f}"


def format_table(rows, instr, tls_limit):
    out = ["| scenario | unit | libcurl median | curlium median | ratio | "
           "libcurl min/max | curlium min/max |",
           "| --- | --- | ---: | ---: | ---: | --- | --- |"]
    for name, unit, vals, lower_better, notes in rows:
        med = {k: (statistics.median(v) if v else None) for k, v in vals.items()}
        ratio = (med["curlium"] / med["libcurl"]
                 if med["curlium"] and med["libcurl"] else None)
        mm = {k: (f"{fmt(min(v))} / {fmt(max(v))}" if v else "n/a")
              for k, v in vals.items()}
        out.append(f"| {name} | {unit} | {fmt(med['libcurl'])} | "
                   f"{fmt(med['curlium'])} | {fmt(ratio)} | {mm['libcurl']} | "
                   f"{mm['curlium']} |")
    for name, res in instr:
        a, b = res.get("libcurl"), res.get("curlium")
        ratio = b / a if a and b else None
        out.append(f"| {name} | instr | {fmt(a)} | {fmt(b)} | {fmt(ratio)} | "
                   f"callgrind | callgrind |")
    if tls_limit:
        out.append(f"| raw SSL_read of 16 KiB TLS 1.2 AES-128-GCM records "
                   f"from memory (BoringSSL, 1 core) | MB/s | | "
                   f"{fmt(tls_limit['ssl_read_mb_s'])} | | | |")
        out.append(f"| raw AES-128-GCM record decryption (BoringSSL, 1 core) "
                   f"| MB/s | | {fmt(tls_limit['aes128gcm_open_mb_s'])} | | "
                   f"| |")
    return out


def write_doc(lines, opts, load):
    libv = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libcurl4"],
                          capture_output=True, text=True).stdout
    doc = REPO / "docs" / "PERFORMANCE.md"
    doc.write_text(
        "# curlium performance\n\n"
        "Written by `bench/run.py --write-doc`; every number below comes from "
        "that script, not from hand.\n\n"
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.platform()}\n"
        f"- libcurl: Debian libcurl4 {libv}; curlium: this tree\n"
        f"- command: `python3 bench/run.py --rounds {opts.rounds} "
        "--write-doc`\n"
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"load average {load[0]:.1f} at the start, {load[1]:.1f} at the "
        "end\n\n"
        "The machine is shared with other work (other sessions building and "
        "testing on the same cores while this ran), so times, rates and CPU "
        "times are noisy: each is the median of runs that alternate between "
        "the two libraries, with min/max beside it. Instruction counts "
        "(callgrind, client process only) do not depend on the load and are "
        "the stable comparison.\n\n"
        "Ratios are curlium / libcurl. Higher is better for req/s, conn/s, "
        "MB/s and share; lower is better for s, ms, ms/MB, KiB/conn and "
        "instructions. Client CPU is the benchmark process's user + system "
        "time. Client and nginx share the cores, so throughput includes the "
        "server's CPU use; \"/ raw SSL_read speed\" sets a bulk rate against "
        "what one core can decrypt and read with the same BoringSSL "
        "(bench/tls_speed.c, no network). nginx here (Debian 12's defaults) "
        "negotiates TLS 1.2 with ECDHE-ECDSA-AES128-GCM-SHA256 with both "
        "libraries. \"CURL_IMPERSONATE=chrome\" rows run curlium with that "
        "environment variable (Chrome's ClientHello); libcurl has no such "
        "mode. Chrome offers TLS 1.2 session tickets, which libcurl and "
        "curlium's default turn off (SSL_OP_NO_TICKET) and this nginx has no "
        "session cache, so only the Chrome-shaped handshakes after the first "
        "resume: that row is cheaper than the default one.\n\n"
        + "\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())

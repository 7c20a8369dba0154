#!/usr/bin/env python3
"""run.py: curlium's integration test runner.

Discovers tests/integration/test_*.py, runs every module-level function
named test_* in its own child process (so a crash, hang or leaked server in
one test cannot touch another), and prints one line per test:

    ok|FAIL|skip <module>::<name> (<seconds>s)

followed, for failures and skips, by indented detail lines, and at the end
exactly one line "N passed, N failed, N skipped". Exit status 1 if any test
failed.

A test fails by raising (AssertionError or anything else), skips by raising
harness.SkipTest or through @harness.skip / @harness.skip_if. Each test
has a time limit (default --timeout, or @harness.timeout(s)); at the limit
its child gets SIGTERM (which runs the harness cleanups: servers are
stopped by pid) and, 5 s later, its whole process group gets SIGKILL.

Usage: python3 tests/integration/run.py [--build-dir build] [-k substr]
       [-j N] [--timeout S] [--list] [--keep] [-v]
"""

import argparse
import importlib
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SKIP_EXIT = 77
_active = set()  # child Popens, so Ctrl-C can stop their process groups
_active_lock = threading.Lock()


def discover():
    """Returns [(module_name, fn_name, fn)] in file and definition order."""
    sys.path.insert(0, str(HERE))
    tests = []
    for path in sorted(HERE.glob("test_*.py")):
        mod = importlib.import_module(path.stem)
        for name, fn in vars(mod).items():
            if (name.startswith("test_") and callable(fn)
                    and getattr(fn, "__module__", None) == mod.__name__):
                tests.append((path.stem, name, fn))
    return tests


def child(test_id):
    """Runs one test in this process; exit 0 ok, 77 skip, 1 fail."""
    sys.path.insert(0, str(HERE))
    import harness

    def on_term(signum, frame):
        raise SystemExit(f"terminated by signal {signum} (time limit?)")
    signal.signal(signal.SIGTERM, on_term)

    mod_name, fn_name = test_id.split("::", 1)
    status = 1
    try:
        mod = importlib.import_module(mod_name)
        fn = getattr(mod, fn_name)
        reason = getattr(fn, "_skip_reason", None)
        if reason:
            raise harness.SkipTest(reason)
        fn()
        status = 0
    except harness.SkipTest as e:
        print(f"SKIP: {e}")
        status = SKIP_EXIT
    except BaseException:
        traceback.print_exc(file=sys.stdout)
        status = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        harness.cleanup_all()
        sys.stdout.flush()
    os._exit(status)


def run_one(test, args, env):
    mod_name, fn_name, fn = test
    test_id = f"{mod_name}::{fn_name}"
    limit = getattr(fn, "_timeout", args.timeout)
    start = time.monotonic()
    if getattr(fn, "_skip_reason", None):
        return test_id, "skip", 0.0, fn._skip_reason
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--_child", test_id],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
        stdin=subprocess.DEVNULL, start_new_session=True)
    with _active_lock:
        _active.add(proc)
    try:
        return _wait(proc, test_id, limit, start)
    finally:
        with _active_lock:
            _active.discard(proc)


def _wait(proc, test_id, limit, start):
    timed_out = False
    try:
        out, _ = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.kill(proc.pid, signal.SIGTERM)  # runs the test's cleanups
        except ProcessLookupError:
            pass
        out = None
        try:
            out, _ = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        try:  # whatever is left in the test's own process group
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if out is None:
            try:
                out, _ = proc.communicate(timeout=5)
            except (subprocess.TimeoutExpired, ValueError):
                out = b"(no output: the test did not exit after SIGKILL)"
    else:
        try:  # a server the test forgot to stop must not outlive it
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    secs = time.monotonic() - start
    text = (out or b"").decode(errors="replace")
    if timed_out:
        return test_id, "FAIL", secs, f"timed out after {limit}s\n{text}"
    if proc.returncode == 0:
        return test_id, "ok", secs, text
    if proc.returncode == SKIP_EXIT:
        lines = [l for l in text.splitlines() if l.startswith("SKIP: ")]
        return test_id, "skip", secs, lines[-1][6:] if lines else text
    return test_id, "FAIL", secs, text


def indent(text, max_lines=60):
    lines = text.rstrip().splitlines()
    if len(lines) > max_lines:
        lines = ["[...]"] + lines[-max_lines:]
    return "\n".join("    | " + l for l in lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", default="build",
                    help="meson build dir (relative: to the cwd, else to "
                         "the repository root)")
    ap.add_argument("-k", dest="filter", default="",
                    help="only tests whose module::name contains this")
    ap.add_argument("-j", dest="jobs", type=int, default=2,
                    help="parallel tests (default 2)")
    ap.add_argument("--timeout", type=float, default=60,
                    help="default per-test time limit in seconds")
    ap.add_argument("--list", action="store_true", help="list tests and exit")
    ap.add_argument("--keep", action="store_true",
                    help="keep the tests' temporary directories")
    ap.add_argument("-v", dest="verbose", action="store_true",
                    help="print the output of passing tests too")
    ap.add_argument("--_child", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args._child:
        child(args._child)
        return 1

    build = Path(args.build_dir)
    if not build.is_absolute() and not build.exists():
        build = REPO / build
    build = build.resolve()

    tests = [t for t in discover() if args.filter in f"{t[0]}::{t[1]}"]
    if args.list:
        for m, n, fn in tests:
            print(f"{m}::{n}")
        return 0

    env = dict(os.environ)
    env["CURLIUM_BUILD_DIR"] = str(build)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if args.keep:
        env["CURLIUM_IT_KEEP"] = "1"
    if env.get("CURLIUM_IT_REFERENCE") == "1":
        print("NOTE: CURLIUM_IT_REFERENCE=1: curlium identity checks are "
              "relaxed; results say nothing about curlium")
    if not (build / "compat").is_dir():
        print(f"NOTE: {build}/compat does not exist: build curlium first "
              "(tests needing the library will fail)")

    counts = {"ok": 0, "FAIL": 0, "skip": 0}

    def report(result):
        test_id, status, secs, text = result
        counts[status] += 1
        print(f"{status} {test_id} ({secs:.2f}s)", flush=True)
        if status == "FAIL" or (args.verbose and text.strip()):
            print(indent(text), flush=True)
        elif status == "skip":
            print(f"    | {text.strip()}", flush=True)

    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    futures = []
    try:
        futures = [pool.submit(run_one, t, args, env) for t in tests]
        for f in as_completed(futures):
            report(f.result())
    except KeyboardInterrupt:
        for f in futures:
            f.cancel()
        with _active_lock:
            procs = list(_active)
        for p in procs:  # SIGTERM runs each test's cleanups
            try:
                os.kill(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        time.sleep(2)
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        print("interrupted", flush=True)
        return 130
    finally:
        pool.shutdown(wait=False, cancel_futures=True)

    print(f"{counts['ok']} passed, {counts['FAIL']} failed, "
          f"{counts['skip']} skipped", flush=True)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark program and script work (bench/run.py --smoke): every
scenario runs once against Debian's libcurl and curlium. No timing is
asserted; the full benchmark is `python3 bench/run.py`."""

import sys

import harness as h


@h.timeout(300)
def test_bench_smoke():
    cp = h.run([sys.executable, str(h.REPO / "bench" / "run.py"), "--smoke",
                "--build-dir", str(h.build_dir())], timeout=280)
    out = cp.stdout.decode(errors="replace")
    assert cp.returncode == 0, out + cp.stderr.decode(errors="replace")[-3000:]
    assert "0 missing for curlium" in out, out

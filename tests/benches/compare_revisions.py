#!/usr/bin/env python3
"""Compare the SDK at an older revision with the working tree, in one run.

    python3 tests/benches/compare_revisions.py OLD_REV [--rounds N]

Builds `retrieve_loop` and the `transport` bench of both trees in release
(the old one in a temporary git worktree, sharing the target directory so
third-party crates build once), then measures, alternating old and new so
both see the same machine state:

- instructions per async retrieve (callgrind, 3,000 calls; repeatable);
- wall time of those 3,000 async retrieves (median of N alternating runs);
- `download_to` of 1 GiB from the local bench server, fsync included
  (median MiB/s of N alternating runs).

Everything talks to 127.0.0.1 only. Prints a Markdown table for BENCHMARKS.md.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GIB = 1 << 30


def build(tree, out_dir, label):
    """Builds both programs in `tree`; copies them to `out_dir` as LABEL-NAME."""
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target"))
    cmd = ["cargo", "build", "--release", "-p", "videos-tests", "--example", "retrieve_loop",
           "--bench", "transport", "--message-format=json"]
    proc = subprocess.run(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, check=True, text=True)
    paths = {}
    for line in proc.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            name = msg["target"]["name"]
            if name in ("retrieve_loop", "transport"):
                dest = os.path.join(out_dir, f"{label}-{name}")
                shutil.copy(msg["executable"], dest)
                paths[name] = dest
    assert set(paths) == {"retrieve_loop", "transport"}, paths
    return paths


def instructions(program, mode):
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", program, mode],
                          stderr=subprocess.PIPE, text=True, check=True)
    for line in proc.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].strip())
    raise RuntimeError(proc.stderr)


def timed(cmd):
    started = time.monotonic()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True, timeout=300).stdout
    return time.monotonic() - started, out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    old_rev = sys.argv[1]
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    work = tempfile.mkdtemp(prefix="videos-compare-")
    tree = os.path.join(work, "old")
    subprocess.run(["git", "worktree", "add", "--detach", tree, old_rev], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    try:
        old = build(tree, work, "old")
        new = build(ROOT, work, "new")
        rows = []

        calls = 3000
        counts = {label: instructions(p["retrieve_loop"], "sdk") for label, p in (("old", old), ("new", new))}
        bare = instructions(new["retrieve_loop"], "bare-defaults")
        rows.append(("instructions per async retrieve over bare reqwest",
                     f"{(counts['old'] - bare) / calls:,.0f}", f"{(counts['new'] - bare) / calls:,.0f}",
                     f"{counts['new'] / counts['old']:.4f} (whole run)"))

        walls = {"old": [], "new": []}
        for i in range(rounds):
            for label, p in ((("old", old), ("new", new)) if i % 2 == 0 else (("new", new), ("old", old))):
                walls[label].append(timed([p["retrieve_loop"], "sdk"])[0])
        w_old, w_new = statistics.median(walls["old"]), statistics.median(walls["new"])
        rows.append((f"{calls:,} async retrieves, wall (median of {rounds})",
                     f"{w_old * 1000:.0f} ms", f"{w_new * 1000:.0f} ms", f"{w_new / w_old:.3f}"))

        server = subprocess.Popen([new["transport"], "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        url = server.stdout.readline().strip()
        rates = {"old": [], "new": []}
        for i in range(rounds):
            for label, p in ((("old", old), ("new", new)) if i % 2 == 0 else (("new", new), ("old", old))):
                target = os.path.join(work, f"{label}.mp4")
                _, out = timed([p["transport"], "child-download", url, str(GIB), target])
                written, secs = out.split()[:2]
                assert int(written) == GIB, out
                rates[label].append(GIB / float(secs) / (1 << 20))
                os.remove(target)
        r_old, r_new = statistics.median(rates["old"]), statistics.median(rates["new"])
        rows.append((f"download_to 1 GiB, fsync included (median of {rounds})",
                     f"{r_old:.0f} MiB/s", f"{r_new:.0f} MiB/s", f"{r_new / r_old:.3f}"))

        print(f"| measure | {old_rev} | working tree | new / old |")
        print("| --- | ---: | ---: | ---: |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    finally:
        if server:
            server.stdin.close()
            server.wait(timeout=10)
        subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=ROOT, check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Wall time of two `retrieve_loop` sides, run as whole processes in turn.

    cargo build --release -p videos-tests --example retrieve_loop
    python3 tests/benches/alternate_runs.py SIDE_A SIDE_B [--runs N]

Runs each side N times (25 by default), alternating which goes first, and
prints the median of the pairs' ratios time(B) / time(A): SIDE_A's speed
relative to SIDE_B's (above 1, A is faster). Each run is 3,000 retrieves
against the in-process bench server on 127.0.0.1, start-up included.
"""

import argparse
import statistics
import subprocess
import sys
import time

EXE = "target/release/examples/retrieve_loop"


def seconds(side):
    started = time.perf_counter()
    subprocess.run([EXE, side], check=True, timeout=120)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    ratios = []
    for i in range(args.runs):
        if i % 2 == 0:
            a = seconds(args.a)
            b = seconds(args.b)
        else:
            b = seconds(args.b)
            a = seconds(args.a)
        ratios.append(b / a)
    print(f"{args.a} relative to {args.b}: {statistics.median(ratios):.3f} "
          f"(median of {args.runs} pairs; range {min(ratios):.3f} to {max(ratios):.3f})")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Times several commands in turn, round after round, and prints the best
time of each: the VM's speed drifts by 10-25% within minutes, and commands
measured side by side in the same minutes give ratios that drift far less
than commands measured one after the other. Rounds alternate the order
(as given, then reversed): on the development VM whichever command ran
second in a fixed order read up to 20% faster. Not a test.

  interleave.py [--pause=SECONDS] ROUNDS OUTDIR MODE CMD... [';;' MODE CMD...]...

MODE is `user` (user CPU time), `cpu` (user + system) or `wall`. Each
command's standard output goes to OUTDIR/out.K (K from 0, the last round's
output kept), its standard error is dropped. Prints one line per command:
the best time in seconds, with microsecond resolution (from wait4(), not
/usr/bin/time's 10 ms steps).

--pause=SECONDS sleeps that long before each command: on a VM that hands
memory freed for a few seconds back to its host (virtio balloon free page
reporting), each command then runs as a first run does, on memory its
host must fault in again (bench/bench_cold.sh).
"""
import os
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    pause = 0.0
    if args and args[0].startswith("--pause="):
        pause = float(args.pop(0)[len("--pause="):])
    rounds, outdir = int(args[0]), args[1]
    specs, current = [], []
    for arg in args[2:] + [";;"]:
        if arg == ";;":
            if current:
                specs.append((current[0], current[1:]))
            current = []
        else:
            current.append(arg)
    best = [float("inf")] * len(specs)
    for r in range(rounds):
        order = range(len(specs)) if r % 2 == 0 else reversed(range(len(specs)))
        for k in order:
            mode, cmd = specs[k]
            time.sleep(pause)
            with open(os.path.join(outdir, f"out.{k}"), "wb") as out:
                start = time.monotonic()
                p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
                _, status, ru = os.wait4(p.pid, 0)
                wall = time.monotonic() - start
            if status != 0:
                sys.exit(f"interleave.py: {' '.join(cmd)} failed ({status})")
            value = {"user": ru.ru_utime, "cpu": ru.ru_utime + ru.ru_stime, "wall": wall}[mode]
            best[k] = min(best[k], value)
    for b in best:
        print(f"{b:.6f}")


if __name__ == "__main__":
    main()

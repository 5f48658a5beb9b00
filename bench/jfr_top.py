#!/usr/bin/env python3
"""Where a Trainyard step spends its time, from a Java Flight Recording: samples whose stack passes through MATCH,
counted by the first io.trainyard frame and the call it makes (time in ND4J's native ops appears only among the
native-method samples, so both kinds are read).

  JAVA_TOOL_OPTIONS="-XX:StartFlightRecording=filename=/tmp/run.jfr,settings=profile" \\
      ./trainyard bench jobs/bench-mlp-64.conf --mllib-iterations 0
  python3 bench/jfr_top.py /tmp/run.jfr LeanDenseStep PerCoreComparison
"""
import collections
import re
import subprocess
import sys


def samples(recording, event):
    text = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", "64", recording],
                          capture_output=True, text=True, check=True).stdout
    for block in text.split(event.split(".")[-1] + " {")[1:]:
        yield re.findall(r"^\s+([\w.$<>]+)\(.*?line: \d+", block, re.M)


def main():
    recording, *must = sys.argv[1:]
    for event in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
        calls = collections.Counter()
        total = 0
        for frames in samples(recording, event):
            if not all(any(m in f for f in frames) for m in must):
                continue
            total += 1
            for i, frame in enumerate(frames):
                if frame.startswith("io.trainyard"):
                    calls[frame + " -> " + (frames[i - 1] if i > 0 else "(itself)")] += 1
                    break
        print(f"{event}: {total} samples through {' and '.join(must)}")
        for call, n in calls.most_common(15):
            print(f"  {n:5d}  {100 * n / total:5.1f}%  {call}")


if __name__ == "__main__":
    main()

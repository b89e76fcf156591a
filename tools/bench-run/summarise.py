#!/usr/bin/python3
"""Reads a `darktrack run` log and prints the median seconds per day of each stage (the
first day, which trains the warm-up epochs, apart) and the peak memory per rank."""

import re
import statistics
import sys

STAGES = ["ingest", "train", "cluster", "track", "write"]


def main():
    ranks, path = sys.argv[1], sys.argv[2]
    days = []
    memory = "?"
    for line in open(path):
        if re.search(r"\d{4}-\d\d-\d\d .* packets .*\| ingest", line):
            days.append({s: float(re.search(s + r" ([0-9.]+)s", line).group(1))
                         for s in STAGES})
        found = re.search(r"peak memory per rank: (.*)", line)
        if found:
            memory = found.group(1)
    if len(days) < 2:
        sys.exit("summarise: fewer than two days in " + path)
    first, rest = days[0], days[1:]
    median = {s: statistics.median(d[s] for d in rest) for s in STAGES}
    total = statistics.median(sum(d.values()) for d in rest)
    print(f"{ranks} rank(s): first day {sum(first.values()):.2f} s (warm-up); "
          f"median later day {total:.2f} s = "
          + ", ".join(f"{s} {median[s]:.2f}" for s in STAGES)
          + f"; peak memory per rank {memory}; {len(days)} days")


if __name__ == "__main__":
    main()

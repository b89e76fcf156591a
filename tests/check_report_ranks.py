#!/usr/bin/python3
"""`darktrack report` under mpiexec: one report, from rank 0 only, equal to the one-process
output, and exit status 0; a failure on rank 0 still fails the job.

Usage: check_report_ranks.py MPIEXEC NP_FLAG RANKS DARKTRACK HISTORY
"""

import json
import subprocess
import sys


def main(argv):
    mpiexec, np_flag, ranks, darktrack, history = argv[1:6]
    launch = [mpiexec, np_flag, ranks, darktrack, "report"]
    alone = subprocess.run([darktrack, "report", "--format", "json", history],
                           capture_output=True, text=True, timeout=60)
    many = subprocess.run(launch + ["--format", "json", history], capture_output=True,
                          text=True, timeout=120)
    problems = []
    if many.returncode != 0:
        problems.append(f"exit {many.returncode}: {many.stderr}")
    try:
        if json.loads(many.stdout) != json.loads(alone.stdout):
            problems.append("the report differs from the one-process report")
    except json.JSONDecodeError as exc:
        problems.append(f"not one JSON document (several ranks wrote?): {exc}")

    bad = subprocess.run(launch + ["--day", "1999-01-01", history], capture_output=True,
                         text=True, timeout=120)
    if bad.returncode == 0 or bad.stderr.count("no day 1999-01-01") != 1:
        problems.append(f"a bad --day must fail once, on rank 0: {bad.stderr!r}")

    for line in problems:
        print(f"report on {ranks} ranks: {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

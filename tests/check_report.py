#!/usr/bin/python3
"""Checks `darktrack report` on a planted fixture history against totals computed here.

Usage: check_report.py DARKTRACK FIXTURE_HISTORY DAYS,SENDERS,DIM WORKDIR
"""

import csv
import datetime
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_history_contract as contract  # noqa: E402  (exits 77 without netCDF4)

KINDS = contract.FLAG_MEANINGS.split()
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def date_of(day):
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=int(day))).isoformat()


def expected_days(days, senders, dim):
    """The per-day line of the report, from the fixture mirror."""
    out = []
    for k in range(days):
        d = contract.fixture_day(k, senders, dim)
        origin, kind = list(d["cluster_origin"]), list(d["transition_kind"])
        sizes = d["cluster_size"]
        split_from = {f for f, x in zip(d["transition_from"], kind) if x == contract.SPLIT}
        sil = float(sum(float(s) * float(z) for s, z in zip(d["cluster_silhouette"], sizes)) /
                    sum(sizes)) if sum(sizes) else None
        out.append({
            "date": date_of(d["day"]), "packets": d["packets"],
            "senders_active": d["senders_active"], "clusters": len(origin),
            "noise": int(d["senders_active"] - sum(sizes)),
            "survived": origin.count(contract.SURVIVED),
            "emerged": origin.count(contract.EMERGED),
            "reappeared": origin.count(contract.REAPPEARED),
            "novel": int(sum(d["cluster_novel"])),
            "absorbed": kind.count(contract.ABSORBED), "split": len(split_from),
            "disappeared": kind.count(contract.DISAPPEARED),
            "inactive": kind.count(contract.INACTIVE), "mean_silhouette": sil,
        })
    return out


def run(darktrack, *args):
    return subprocess.run([darktrack, "report", *args], capture_output=True, text=True,
                          timeout=60)


def close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and
                                         math.isclose(float(a), float(b), rel_tol=1e-5))


def check_json(darktrack, path, want, shape):
    res = run(darktrack, "--format", "json", path)
    check(res.returncode == 0, f"json exit {res.returncode}: {res.stderr}")
    doc = json.loads(res.stdout)
    check(len(doc["days"]) == len(want), "json: number of days")
    for got, exp in zip(doc["days"], want):
        for key, value in exp.items():
            ok = close(got[key], value) if key == "mean_silhouette" else got[key] == value
            check(ok, f"json {exp['date']} {key}: {got[key]!r} != {value!r}")
    check(doc["labels"] == ["censys", "mirai", "shodan"], f"json labels {doc['labels']}")
    check(doc["parameters"]["tau0"] == 0.65, "json parameters")

    # --day picks the detailed day; its clusters are the fixture's, in file order.
    k = 2
    res = run(darktrack, "--format", "json", "--day", want[k]["date"], path)
    detail = json.loads(res.stdout)["day"]
    fx = contract.fixture_day(k, *shape)
    check(detail["date"] == want[k]["date"], "json --day date")
    check([c["id"] for c in detail["clusters"]] == list(fx["cluster_id"]), "json cluster ids")
    check([c["origin"] for c in detail["clusters"]] ==
          [KINDS[x] for x in fx["cluster_origin"]], "json cluster origins")
    check([t["kind"] for t in detail["transitions"]] ==
          [KINDS[x] for x in fx["transition_kind"]], "json transition kinds")
    shares = [c["top_services"][0]["share"] for c in detail["clusters"]]
    check(all(close(s, 0.61) for s in shares), "json top shares")


def check_csv(darktrack, path, want, shape, workdir):
    prefix = os.path.join(workdir, "report")
    res = run(darktrack, "--format", "text,csv,json", "-o", prefix, path)
    check(res.returncode == 0, f"csv exit {res.returncode}: {res.stderr}")
    with open(prefix + "-days.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == len(want), "csv: number of days")
    for got, exp in zip(rows, want):
        for key, value in exp.items():
            if key == "mean_silhouette":
                ok = close(got[key] or None, value)
            else:
                ok = str(got[key]) == str(value)
            check(ok, f"csv {exp['date']} {key}: {got[key]!r} != {value!r}")
    last = contract.fixture_day(len(want) - 1, *shape)
    with open(prefix + "-clusters.csv", newline="") as f:
        clusters = list(csv.DictReader(f))
    check([int(c["id"]) for c in clusters] == list(last["cluster_id"]), "csv cluster ids")
    check([int(c["size"]) for c in clusters] == list(last["cluster_size"]), "csv sizes")
    check([c["label"] for c in clusters] ==
          [["censys", "mirai", "shodan"][x] if x >= 0 else "" for x in last["cluster_label"]],
          "csv labels")
    with open(prefix + "-transitions.csv", newline="") as f:
        moves = list(csv.DictReader(f))
    check([int(t["from"]) for t in moves] == list(last["transition_from"]), "csv from")
    check(os.path.getsize(prefix + ".txt") > 0 and os.path.getsize(prefix + ".json") > 0,
          "text and json files written next to the csv")


def check_text(darktrack, path, want):
    res = run(darktrack, path)
    check(res.returncode == 0, f"text exit {res.returncode}: {res.stderr}")
    text = res.stdout
    for exp in want:
        line = next((x for x in text.splitlines() if x.startswith(exp["date"] + " ")), "")
        fields = line.split()
        check(len(fields) == 13 and fields[1] == str(exp["packets"]) and
              fields[4] == str(exp["survived"]) and fields[7] == str(exp["novel"]),
              f"text line for {exp['date']}: {line!r}")
    novel, survivors = text.find("Novel clusters"), text.find("Survivors")
    check(0 <= novel < survivors, "text: novelties come before survivors")
    check("23/tcp 61%" in text, "text: services like 23/tcp 61%")
    header = next(x for x in text.splitlines() if x.startswith("date "))
    check(all(len(x) == len(header) for x in text.splitlines()
              if x[:4].isdigit() and x[4] == "-" and x[10] == " "), "text: aligned day table")


def check_refusals(darktrack, path, want, workdir):
    res = run(darktrack, "--day", "2025-12-01", path)
    check(res.returncode == 2 and want[0]["date"] in res.stderr,
          f"--day outside the history: {res.returncode} {res.stderr!r}")
    res = run(darktrack, "--format", "xml", path)
    check(res.returncode == 2 and "xml" in res.stderr, f"--format xml: {res.stderr!r}")
    res = run(darktrack, "--format", "text,csv", path)
    check(res.returncode == 2 and "-o" in res.stderr, f"two formats to stdout: {res.stderr!r}")
    res = run(darktrack, "--day", "2026-02-30", path)
    check(res.returncode == 2 and "2026-02-30" in res.stderr, f"bad date: {res.stderr!r}")
    bogus = os.path.join(workdir, "not-a-history.nc")
    with open(bogus, "w") as f:
        f.write("just text\n")
    res = run(darktrack, bogus)
    check(res.returncode == 4 and "not a netCDF file" in res.stderr,
          f"non-history: {res.returncode} {res.stderr!r}")


def check_empty(darktrack, path):
    """A history without days yet reports just that, in every format."""
    res = run(darktrack, path + ".empty")
    check(res.returncode == 0 and "no days committed yet" in res.stdout,
          f"empty history, text: {res.returncode} {res.stdout!r} {res.stderr!r}")
    res = run(darktrack, "--format", "json", path + ".empty")
    doc = json.loads(res.stdout) if res.returncode == 0 else {}
    check(doc.get("days") == [] and doc.get("day", 0) is None, "empty history, json")


def main(argv):
    darktrack, path, shape, workdir = argv[1], argv[2], argv[3], argv[4]
    shape = tuple(int(x) for x in shape.split(","))
    os.makedirs(workdir, exist_ok=True)
    want = expected_days(*shape)
    check_json(darktrack, path, want, shape[1:])
    check_csv(darktrack, path, want, shape[1:], workdir)
    check_text(darktrack, path, want)
    check_refusals(darktrack, path, want, workdir)
    check_empty(darktrack, path)
    for line in failures:
        print(f"report: {line}")
    print(f"report: {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""An independent implementation of the DCA rules (design.md, "The DCA rules, written out",
plus the edge-case decisions of docs/dca.md), in plain set arithmetic, and a comparison of
it with the C implementation on random day sequences.

    dca_reference.py DRIVER [--scenarios N] [--seed S]

DRIVER is the tests' dca_driver program. Exits 0 when every transition, cluster row and
sender id agrees and every transition kind occurred often enough to mean something; 1 on
the first disagreement (printed) or when the driver fails.
"""
import argparse
import math
import os
import random
import subprocess
import sys
import tempfile

SURVIVED, ABSORBED, SPLIT, DISAPPEARED, INACTIVE, EMERGED, REAPPEARED = range(7)
KIND_NAMES = ["survived", "absorbed", "split", "disappeared", "inactive", "emerged",
              "reappeared"]


class Reference:
    """The DCA of one day sequence. Days are committed in increasing order."""

    def __init__(self, tau0, tau1, horizon):
        self.tau0, self.tau1, self.horizon = tau0, tau1, horizon
        self.days = []          # [(day, {ip: persistent id or -1})]
        self.next_id = 0

    def step(self, day, today):
        """today: {ip: HDBSCAN label or -1}. Returns (transitions, clusters, sender_ids)
        and commits the day."""
        tau0, tau1 = self.tau0, self.tau1
        active = set(today)
        labels = sorted({lab for lab in today.values() if lab >= 0})
        Y = {lab: {ip for ip, l in today.items() if l == lab} for lab in labels}
        Y_noise = {ip for ip, l in today.items() if l < 0}
        first_day = not self.days

        if first_day:
            X, X_noise = {}, set()
        else:
            prev = self.days[-1][1]
            X = {}
            for ip, cid in prev.items():
                if cid >= 0:
                    X.setdefault(cid, set()).add(ip)
            X_noise = {ip for ip, cid in prev.items() if cid < 0}

        def still_active(x_set):
            return len(x_set & active)

        def A(x_set):
            return still_active(x_set) / len(x_set)

        def m(x_set, y_set):
            # OL(X,Y)/A(X): |X| cancels; one division, as docs/dca.md fixes it
            return len(x_set & y_set) / still_active(x_set)

        def strongly(x_set, y_set):
            return still_active(x_set) > 0 and m(x_set, y_set) >= tau0

        # every X of yesterday, noise included, as a list of (key, set)
        all_x = [(cid, X[cid]) for cid in sorted(X)]
        if X_noise:
            all_x.append(("noise", X_noise))

        fate = {}
        for cid in sorted(X):
            xs = X[cid]
            if still_active(xs) == 0 or A(xs) < tau1:
                fate[cid] = (INACTIVE, None, math.nan)
                continue
            m_noise = m(xs, Y_noise)
            loose = [lab for lab in labels if m(xs, Y[lab]) >= tau1]
            if not loose or m_noise >= tau0:
                fate[cid] = (DISAPPEARED, None, m_noise)
                continue
            strong = [lab for lab in labels if m(xs, Y[lab]) >= tau0]
            if strong:
                target = max(strong, key=lambda lab: (m(xs, Y[lab]), -lab))
                ys = Y[target]
                others = [k for k, s in all_x if k != cid and strongly(s, ys)]
                if not others or len(ys & xs) / len(ys) >= tau0:
                    fate[cid] = (SURVIVED, target, m(xs, ys))
                else:
                    fate[cid] = (ABSORBED, target, m(xs, ys))
            else:
                fate[cid] = (SPLIT, loose, None)

        # one Y keeps one id: the survivor with the larger OL(Y,X), then the smaller id
        y_id, origin, novel = {}, {}, {}
        for lab in labels:
            claim = [cid for cid in sorted(X) if fate[cid][0] == SURVIVED and fate[cid][1] == lab]
            if claim:
                keep = max(claim, key=lambda cid: (len(X[cid] & Y[lab]), -cid))
                for cid in claim:
                    if cid != keep:
                        fate[cid] = (ABSORBED, lab, fate[cid][2])
                y_id[lab] = keep
                origin[lab] = SURVIVED

        # the backward search over days before yesterday (and within the horizon)
        match = {}
        for lab in labels:
            if lab in y_id or first_day:
                continue
            best = None
            for d, part in self.days[:-1]:
                if self.horizon > 0 and d < day - self.horizon:
                    continue
                past = {}
                for ip, cid in part.items():
                    if cid >= 0:
                        past.setdefault(cid, set()).add(ip)
                for cid, xs in past.items():
                    ol = len(xs & Y[lab]) / len(xs)
                    if ol >= tau0:
                        key = (d, ol, len(xs & Y[lab]), -cid)
                        if best is None or key > best[0]:
                            best = (key, cid)
            if best:
                match[lab] = best

        used = set(y_id.values())
        for lab in sorted(match, key=lambda lab: (-match[lab][0][0], -match[lab][0][1],
                                                    -match[lab][0][2], lab)):
            cid = match[lab][1]
            if cid not in used:
                used.add(cid)
                y_id[lab] = cid
                origin[lab] = REAPPEARED
        for lab in labels:
            if lab not in y_id:
                y_id[lab] = self.next_id
                self.next_id += 1
                origin[lab] = EMERGED
                novel[lab] = int(not first_day and lab not in match)

        rows = []
        for cid in sorted(X):
            kind, target, ov = fate[cid]
            if kind in (SURVIVED, ABSORBED):
                rows.append((cid, y_id[target], kind, ov))
            elif kind == SPLIT:
                for lab in sorted(target, key=lambda lab: y_id[lab]):
                    rows.append((cid, y_id[lab], SPLIT, m(X[cid], Y[lab])))
            else:
                rows.append((cid, -1, kind, ov))
        for lab in sorted(labels, key=lambda lab: y_id[lab]):
            if origin[lab] == EMERGED:
                rows.append((-1, y_id[lab], EMERGED, math.nan))
            elif origin[lab] == REAPPEARED:
                rows.append((y_id[lab], y_id[lab], REAPPEARED, math.nan))

        clusters = [(lab, y_id[lab], len(Y[lab]), origin[lab], novel.get(lab, 0))
                    for lab in labels]
        senders = {ip: (y_id[l] if l >= 0 else -1) for ip, l in today.items()}
        self.days.append((day, senders))
        self.next_id = max([self.next_id] + [c + 1 for c in senders.values()])
        return rows, clusters, senders


def random_sequence(rng, big=False):
    """A day sequence over latent groups that persist, pause, merge, split and churn."""
    n_groups = rng.randint(20, 40) if big else rng.randint(1, 7)
    pool = list(range(1, rng.randint(2000, 4000) if big else rng.randint(40, 160)))
    rng.shuffle(pool)
    size = max(3, len(pool) // (n_groups + 1))
    groups = [pool[g * size:(g + 1) * size] for g in range(n_groups)]
    loners = pool[n_groups * size:]
    days = []
    day = 18000 + rng.randint(0, 50)
    for _ in range(rng.randint(1, 9)):
        day += rng.choice([1, 1, 1, 2, 5])
        today = {}
        next_label = 0
        for g in groups:
            if rng.random() < 0.2:
                continue  # the group pauses
            present = [ip for ip in g if rng.random() < rng.choice([0.25, 0.6, 0.9, 1.0])]
            pieces = rng.choice([1, 1, 1, 2, 3])
            labs = []
            for _ in range(pieces):
                if next_label > 0 and rng.random() < 0.15:
                    labs.append(rng.randrange(next_label))  # merge with another group
                elif rng.random() < 0.1:
                    labs.append(-1)
                else:
                    labs.append(next_label)
                    next_label += 1
            for ip in present:
                today[ip] = -1 if rng.random() < 0.1 else rng.choice(labs)
        for ip in loners:
            if rng.random() < 0.5:
                today[ip] = -1 if rng.random() < 0.7 else rng.randrange(next_label + 1)
        # labels must be 0..k-1 without gaps
        used = sorted({lab for lab in today.values() if lab >= 0})
        remap = {lab: i for i, lab in enumerate(used)}
        today = {ip: remap.get(lab, -1) for ip, lab in today.items()}
        days.append((day, today))
    return days


def write_input(path, scenarios):
    with open(path, "w") as f:
        for (tau0, tau1, horizon), days in scenarios:
            f.write(f"scenario {tau0!r} {tau1!r} {horizon}\n")
            for day, today in days:
                f.write(f"day {day} {len(today)}\n")
                for ip, lab in today.items():
                    f.write(f"{ip} {lab}\n")


def expected_lines(scenarios):
    out = []
    for scen, ((tau0, tau1, horizon), days) in enumerate(scenarios):
        ref = Reference(tau0, tau1, horizon)
        for day, today in days:
            rows, clusters, senders = ref.step(day, today)
            out += [("T", scen, day, r) for r in rows]
            out += [("C", scen, day, c) for c in clusters]
            out += [("P", scen, day, (ip, senders[ip])) for ip in today]
    return out


def parse_driver(text):
    out = []
    for line in text.splitlines():
        f = line.split()
        kind, scen, day = f[0], int(f[1]), int(f[2])
        if kind == "T":
            out.append((kind, scen, day, (int(f[3]), int(f[4]), int(f[5]), float(f[6]))))
        else:
            out.append((kind, scen, day, tuple(int(v) for v in f[3:])))
    return out


def same(a, b):
    if a[:3] != b[:3] or len(a[3]) != len(b[3]):
        return False
    for u, v in zip(a[3], b[3]):
        if isinstance(u, float) or isinstance(v, float):
            if math.isnan(u) != math.isnan(v) or (not math.isnan(u) and abs(u - v) > 1e-6):
                return False
        elif u != v:
            return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("driver")
    ap.add_argument("--scenarios", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20210601)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    settings = [(0.65, 0.3, 0), (0.65, 0.3, 0), (0.65, 0.3, 3), (0.5, 0.25, 0),
                (0.8, 0.4, 0), (0.5, 0.5, 2), (1.0, 0.3, 0)]
    # every 50th sequence is larger: thousands of senders in dozens of groups
    scenarios = [(rng.choice(settings), random_sequence(rng, big=i % 50 == 49))
                 for i in range(args.scenarios)]

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "days.txt")
        write_input(path, scenarios)
        run = subprocess.run([args.driver, path, os.path.join(tmp, "state.nc")],
                             capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)
        print(f"dca_driver failed with exit code {run.returncode}", file=sys.stderr)
        return 1

    got = parse_driver(run.stdout)
    want = expected_lines(scenarios)
    for i, (g, w) in enumerate(zip(got, want)):
        if not same(g, w):
            print(f"row {i}: C gives {g}, the reference {w}", file=sys.stderr)
            return 1
    if len(got) != len(want):
        print(f"C gives {len(got)} rows, the reference {len(want)}", file=sys.stderr)
        return 1

    # The comparison only means something when every transition kind occurred.
    kinds = [0] * 7
    for kind, _, _, row in want:
        if kind == "T":
            kinds[row[2]] += 1
    novel = sum(1 for kind, _, _, c in want if kind == "C" and c[4] == 1)
    # emerged, not novel, after the first day: matched the past but the id was taken
    first_days = {(scen, days[0][0]) for scen, (_, days) in enumerate(scenarios) if days}
    fallback = sum(1 for kind, scen, day, c in want
                   if kind == "C" and c[3] == EMERGED and c[4] == 0
                   and (scen, day) not in first_days)
    summary = ", ".join(f"{KIND_NAMES[k]} {kinds[k]}" for k in range(7))
    print(f"{len(scenarios)} sequences, {len(want)} rows agree: {summary}, novel {novel}, "
          f"matched but id taken {fallback}")
    if min(kinds) < 5 or novel < 5 or fallback < 3:
        print("some case occurred too rarely: the test is too weak", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

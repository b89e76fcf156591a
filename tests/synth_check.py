#!/usr/bin/python3
"""Independent checks of a synthetic telescope written by darktrack-synth.

  synth_check.py captures DIR      count the pcaps with a parser of our own and compare with
                                   DIR/truth/summary.csv and senders.csv; check file names,
                                   the Mirai fingerprint and that groups interleave
  synth_check.py truth DIR         check every planted event against senders.csv
  synth_check.py separable DIR     train a reference Word2Vec (gensim) on the i-DarkVec
                                   corpus of the pcaps, day after day, and check that each
                                   planted group's members are each other's nearest
                                   neighbours from its second day on (exits 77 without gensim)
  synth_check.py determinism SYNTH WORKDIR [ARGS...]
                                   two runs with one seed give identical bytes; a second
                                   seed gives different captures
Exits 0 when every check passes, 1 with the failures listed otherwise.
"""
import collections
import csv
import datetime
import filecmp
import gzip
import os
import re
import struct
import subprocess
import sys

FAILURES = []
ACTIVE_MIN = 5
WINDOW = 5


def check(ok, message):
    if not ok:
        FAILURES.append(message)
    return ok


def finish(what):
    for f in FAILURES:
        print("FAIL:", f)
    print(f"{what}: {'FAILED' if FAILURES else 'ok'} ({len(FAILURES)} failures)")
    return 1 if FAILURES else 0


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def day_of(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%d")


def read_pcap(path):
    """Yields (seconds, microseconds, link type, frame bytes) of a pcap file (gzip or not)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        endian = "<"
    elif magic == b"\xa1\xb2\xc3\xd4":
        endian = ">"
    else:
        raise ValueError(f"{path}: not a microsecond pcap (magic {magic.hex()})")
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    offset = 24
    while offset < len(data):
        if offset + 16 > len(data):
            raise ValueError(f"{path}: truncated record header at byte {offset}")
        sec, usec, caplen, origlen = struct.unpack(endian + "IIII", data[offset:offset + 16])
        frame = data[offset + 16:offset + 16 + caplen]
        if len(frame) != caplen or caplen != origlen or usec >= 1000000:
            raise ValueError(f"{path}: bad record at byte {offset}")
        yield sec, usec, linktype, frame
        offset += 16 + caplen


def ip_checksum_ok(header):
    total = sum(struct.unpack("!10H", header[:20]))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total == 0xFFFF


def decode(linktype, frame):
    """(src, dst, proto, dport, seq) of an IPv4 frame; dport/seq None when absent."""
    if linktype == 1:
        if struct.unpack("!H", frame[12:14])[0] != 0x0800:
            raise ValueError("not IPv4 over Ethernet")
        ip = frame[14:]
    elif linktype in (101, 12, 228):
        ip = frame
    else:
        raise ValueError(f"unexpected link type {linktype}")
    if ip[0] >> 4 != 4 or not ip_checksum_ok(ip[:20]):
        raise ValueError("bad IPv4 header")
    ihl = (ip[0] & 15) * 4
    proto = ip[9]
    src = ".".join(str(b) for b in ip[12:16])
    dst = struct.unpack("!I", ip[16:20])[0]
    l4 = ip[ihl:]
    dport = seq = None
    if proto in (6, 17):
        dport = struct.unpack("!H", l4[2:4])[0]
    if proto == 6:
        seq = struct.unpack("!I", l4[4:8])[0]
    return src, dst, proto, dport, seq


NAME = re.compile(r"^telescope-(\d{4}-\d\d-\d\d)-(\d\d)\.pcap(\.gz)?$")


def load_captures(captures):
    """Every packet as (time, src, proto, dport, mirai), checking each file's hour range."""
    names = sorted(os.listdir(captures))
    starts = collections.defaultdict(list)
    for name in names:
        m = NAME.match(name)
        if check(m is not None, f"{name}: unexpected file name"):
            starts[m.group(1)].append(int(m.group(2)))
    packets = []
    for name in names:
        m = NAME.match(name)
        if m is None:
            continue
        date, hour = m.group(1), int(m.group(2))
        hours = sorted(starts[date])
        end = hours[hours.index(hour) + 1] if hour != hours[-1] else 24
        midnight = datetime.datetime.strptime(date, "%Y-%m-%d").replace(
            tzinfo=datetime.timezone.utc).timestamp()
        lo, hi = midnight + 3600 * hour, midnight + 3600 * end
        for sec, usec, link, frame in read_pcap(os.path.join(captures, name)):
            t = sec + usec / 1e6
            check(lo <= t < hi, f"{name}: packet at {t} outside hours {hour}-{end}")
            src, dst, proto, dport, seq = decode(link, frame)
            packets.append((t, src, proto, dport, seq is not None and seq == dst))
    packets.sort(key=lambda p: p[0])
    return packets


def compare_summary(packets, summary, senders):
    by_day = collections.defaultdict(collections.Counter)
    for t, src, *_ in packets:
        by_day[day_of(t)][src] += 1
    check(sorted(by_day) == [row["day"] for row in summary], "days differ from summary.csv")
    truth = collections.defaultdict(dict)
    for row in senders:
        check(row["ip"] not in truth[row["day"]], f"{row['day']} {row['ip']}: listed twice")
        truth[row["day"]][row["ip"]] = row
    for row in summary:
        counts = by_day[row["day"]]
        active = sum(1 for c in counts.values() if c > ACTIVE_MIN)
        found = (sum(counts.values()), len(counts), active)
        claimed = (int(row["packets"]), int(row["senders"]), int(row["active_senders"]))
        check(found == claimed, f"{row['day']}: pcaps give {found}, summary.csv {claimed}")
        listed = truth[row["day"]]
        check(set(listed) == set(counts), f"{row['day']}: senders.csv lists other senders")
        wrong = [ip for ip, c in counts.items()
                 if ip in listed and int(listed[ip]["active"]) != (c > ACTIVE_MIN)]
        check(not wrong, f"{row['day']}: active flag wrong for {len(wrong)} senders")
        print(f"{row['day']}: {found[0]} packets, {found[1]} senders, {found[2]} active")


def check_mirai(packets, senders):
    bots = {row["ip"] for row in senders if row["group"] == "mirai"}
    check(len(bots) > 0, "no mirai senders")
    for t, src, proto, dport, mirai in packets:
        if src in bots:
            if not check(proto == 6 and mirai and dport in (23, 2323),
                         f"bot {src} sent a packet without the fingerprint"):
                return
        elif not check(not mirai, f"{src} is not a bot but sent the fingerprint"):
            return


def check_cohesion(packets, senders):
    """Members of a scanner group must be each other's neighbours in the i-DarkVec corpus:
    per service, the time-ordered active senders with repeats collapsed, window 5."""
    day = senders[-1]["day"]
    group = {r["ip"]: r["group"] for r in senders if r["day"] == day}
    counts = collections.Counter(p[1] for p in packets if day_of(p[0]) == day)
    docs = collections.defaultdict(list)
    for t, src, proto, dport, _ in packets:
        if day_of(t) != day or counts[src] <= ACTIVE_MIN:
            continue
        doc = docs[(proto, dport)]
        if not doc or doc[-1] != src:
            doc.append(src)
    same = collections.Counter()
    total = collections.Counter()
    for doc in docs.values():
        for i, ip in enumerate(doc):
            for j in range(max(0, i - WINDOW), min(len(doc), i + WINDOW + 1)):
                if j != i:
                    total[group[ip]] += 1
                    same[group[ip]] += group[doc[j]] == group[ip]
    for g in sorted(total):
        if g.startswith("scan-") or g.startswith("backscatter") or g == "mirai":
            share = same[g] / total[g]
            print(f"{day} {g}: {share:.2f} of corpus neighbours in the same group")
            check(share >= 0.6, f"{day} {g}: only {share:.2f} of neighbours in its group")


def cmd_captures(out):
    summary = read_csv(os.path.join(out, "truth", "summary.csv"))
    senders = read_csv(os.path.join(out, "truth", "senders.csv"))
    packets = load_captures(os.path.join(out, "captures"))
    compare_summary(packets, summary, senders)
    check_mirai(packets, senders)
    check_cohesion(packets, senders)
    return finish("captures")


class Truth:
    def __init__(self, out):
        self.groups = {g["group"]: g for g in read_csv(os.path.join(out, "truth", "groups.csv"))}
        self.events = read_csv(os.path.join(out, "truth", "events.csv"))
        self.members = collections.defaultdict(set)   # (day, group) -> ips
        self.active = collections.defaultdict(set)
        self.group_of = {}                            # (day, ip) -> group
        for r in read_csv(os.path.join(out, "truth", "senders.csv")):
            self.members[(r["day"], r["group"])].add(r["ip"])
            if r["active"] == "1":
                self.active[(r["day"], r["group"])].add(r["ip"])
            self.group_of[(r["day"], r["ip"])] = r["group"]
        self.days = sorted({d for d, _ in self.members})

    def before(self, day, n=1):
        return self.days[self.days.index(day) - n]

    def ports(self, group):
        return set(self.groups[group]["ports"].split())


def check_event(t, day, event, names):
    d0 = t.before(day)
    if event in ("appear", "emerge"):
        (g,) = names
        check(all(not t.members[(d, g)] for d in t.days if d < day), f"{g} seen before {day}")
        check(len(t.active[(day, g)]) >= 10, f"{g}: fewer than 10 active on {day}")
    elif event == "shrink":
        (g,) = names
        check(len(t.active[(day, g)]) < len(t.active[(d0, g)]), f"{g} did not shrink on {day}")
    elif event == "split":
        p, a, b = names
        check(t.members[(d0, p)] == t.members[(day, a)] | t.members[(day, b)],
              f"split {p}: children are not the parent's members")
        check(not t.members[(day, a)] & t.members[(day, b)], f"split {p}: children overlap")
        check(not t.ports(a) & t.ports(b), f"split {p}: children share services")
        check(min(len(t.active[(day, a)]), len(t.active[(day, b)])) >= 10, "small children")
        check(not t.members[(day, p)], f"split {p}: parent still sends on {day}")
    elif event == "merge":
        a, b, c = names
        check(t.members[(d0, a)] | t.members[(d0, b)] == t.members[(day, c)],
              f"merge {c}: members are not the union of {a} and {b}")
        check(not t.members[(day, a)] and not t.members[(day, b)], f"merge {c}: parents left")
    elif event == "silent":
        (g,) = names
        check(len(t.active[(d0, g)]) >= 10, f"{g}: not active before its silence")
        back = [e["day"] for e in t.events if e["event"] == "return" and e["groups"] == g]
        quiet = [d for d in t.days if d >= day and (not back or d < back[0])]
        check(all(not t.members[(d, g)] for d in quiet), f"{g}: sends while silent")
    elif event == "return":
        (g,) = names
        silent = [e["day"] for e in t.events if e["event"] == "silent" and e["groups"] == g]
        check(len(silent) == 1, f"{g}: returns without a silence")
        if silent:
            check(t.members[(day, g)] == t.members[(t.before(silent[0]), g)],
                  f"{g}: other members after the return")
    elif event == "dissolve":
        (g,) = names
        old = t.members[(d0, g)]
        check(len(old) >= 10 and not t.members[(day, g)], f"{g}: did not dissolve on {day}")
        still = [ip for ip in old if t.group_of.get((day, ip)) is not None]
        check(all(t.group_of[(day, ip)] == "noise" for ip in still), f"{g}: members not noise")
        busy = [ip for ip in still if ip in t.active[(day, "noise")]]
        check(len(busy) < len(old) / 2, f"{g}: most former members still active")
    else:
        check(False, f"unknown event {event}")


def check_lifetimes(t):
    """A scanner group sends on every day of its life except silent ones, and only then."""
    for name, g in t.groups.items():
        if g["kind"] not in ("scan", "wide-scan"):
            continue
        quiet_from, quiet_to = g["silent_from"] or "9999", g["silent_to"] or "9999"
        for d in t.days:
            alive = g["first_day"] <= d <= g["last_day"] and not quiet_from <= d < quiet_to
            check(bool(t.active[(d, name)]) == alive, f"{name} on {d}: alive is {alive}")
            check(len(t.active[(d, name)]) == len(t.members[(d, name)]),
                  f"{name} on {d}: a scanner member sent 5 packets or fewer")


def check_mirai_churn(t):
    for d in t.days[1:]:
        before, now = t.members[(t.before(d), "mirai")], t.members[(d, "mirai")]
        stay = len(before & now) / len(before)
        check(0.3 <= stay <= 0.8, f"mirai on {d}: {stay:.2f} of yesterday's bots stayed")
        check(len(now - before) >= len(now) / 3, f"mirai on {d}: few new bots")


def check_labels(t, out):
    """ground-truth.csv gives each planted member the last group senders.csv shows it in."""
    labels = {r["ip"]: r["class"] for r in read_csv(os.path.join(out, "truth",
                                                                   "ground-truth.csv"))}
    latest = {}
    for (day, ip), g in sorted(t.group_of.items()):
        if g != "noise":
            latest[ip] = g
    wrong = [ip for ip, g in latest.items() if labels.get(ip) != g]
    check(not wrong, f"ground-truth.csv: {len(wrong)} members with another class, e.g. {wrong[:3]}")
    check("noise" not in labels.values(), "ground-truth.csv labels noise senders")


def cmd_truth(out):
    t = Truth(out)
    check_labels(t, out)
    kinds = collections.Counter(e["event"] for e in t.events)
    # Six days (the tiny preset) are enough for every kind of event; shorter runs lose some.
    for kind in ("appear", "split", "merge", "silent", "return", "dissolve", "emerge",
                 "shrink"):
        check(kinds[kind] >= 1 or len(t.days) < 6, f"no {kind} event planted")
    for e in t.events:
        names = e["groups"].split()
        check(all(n in t.groups for n in names), f"{e}: unknown group")
        check(e["day"] in t.days[1:], f"{e}: not on a day after the first")
        if not FAILURES:
            check_event(t, e["day"], e["event"], names)
    check_lifetimes(t)
    check_mirai_churn(t)
    print(f"{len(t.events)} events, {len(t.groups)} groups, {len(t.days)} days checked")
    return finish("truth")


def corpus_sentences(packets, top_services=2500, longest=10000):
    """The i-DarkVec corpus of one day: per service, time-ordered active senders."""
    counts = collections.Counter(p[1] for p in packets)
    busy = collections.Counter((p[2], p[3]) for p in packets if counts[p[1]] > ACTIVE_MIN)
    top = {service for service, _ in busy.most_common(top_services)}
    docs = collections.defaultdict(list)
    for t, src, proto, dport, _ in packets:
        if counts[src] <= ACTIVE_MIN:
            continue
        doc = docs[(proto, dport) if (proto, dport) in top else "other"]
        if not doc or doc[-1] != src:
            doc.append(src)
    sentences = [d[i:i + longest] for d in docs.values() for i in range(0, len(d), longest)]
    active = sorted(ip for ip, c in counts.items() if c > ACTIVE_MIN)
    return sentences, active


def neighbour_purity(vectors, labels, k=10):
    """Per label, the mean share of each member's k nearest (cosine) neighbours that
    carry its label."""
    import numpy
    x = vectors / numpy.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = x @ x.T
    numpy.fill_diagonal(similarity, -2.0)
    nearest = numpy.argsort(-similarity, axis=1)[:, :k]
    shares = collections.defaultdict(list)
    for i, label in enumerate(labels):
        shares[label].append(sum(labels[j] == label for j in nearest[i]) / k)
    return {label: sum(v) / len(v) for label, v in shares.items()}


def cmd_separable(out):
    try:
        import numpy
        from gensim.models import Word2Vec
    except ImportError:
        print("gensim or numpy missing: skipped")
        return 77
    packets = load_captures(os.path.join(out, "captures"))
    senders = read_csv(os.path.join(out, "truth", "senders.csv"))
    group = {(r["day"], r["ip"]): r["group"] for r in senders}
    by_day = collections.defaultdict(list)
    for p in packets:
        by_day[day_of(p[0])].append(p)
    model = None
    seen_before = set()
    for number, day in enumerate(sorted(by_day)):
        sentences, active = corpus_sentences(by_day[day])
        if model is None:
            model = Word2Vec(vector_size=50, window=WINDOW, negative=5, sg=1, min_count=1,
                             sample=0, workers=1, seed=1)
            model.build_vocab(sentences)
        else:
            model.build_vocab(sentences, update=True)
        model.train(sentences, total_examples=len(sentences), epochs=1)
        labels = [group[(day, ip)] for ip in active]
        purity = neighbour_purity(numpy.array([model.wv[ip] for ip in active]), labels)
        print(day, " ".join(f"{g}:{v:.2f}" for g, v in sorted(purity.items())))
        # One epoch a day needs a day or two to settle: judge from the third day on, and
        # each group from its second day on.
        for g, v in purity.items():
            if number >= 2 and g in seen_before and g != "noise":
                check(v >= 0.6, f"{day} {g}: neighbour purity only {v:.2f}")
        seen_before |= set(purity)
    return finish("separable")


def cmd_determinism(synth, work, args):
    runs = {}
    for label, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        runs[label] = os.path.join(work, label)
        subprocess.run([synth, "-q", "--seed", seed, "--out", runs[label]] + args, check=True)
    for sub in ("captures", "truth"):
        a, b = os.path.join(runs["a"], sub), os.path.join(runs["b"], sub)
        names = sorted(os.listdir(a))
        check(names == sorted(os.listdir(b)), f"{sub}: the two runs wrote other files")
        match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
        check(not mismatch and not errors, f"{sub}: files differ: {mismatch + errors}")
        check(len(match) > 0, f"{sub}: nothing written")
    a, c = os.path.join(runs["a"], "captures"), os.path.join(runs["c"], "captures")
    names = sorted(set(os.listdir(a)) & set(os.listdir(c)))
    match, _, _ = filecmp.cmpfiles(a, c, names, shallow=False)
    check(not match, f"another seed wrote identical captures: {match[:3]}")
    return finish("determinism")


def main(argv):
    if len(argv) >= 3 and argv[1] == "captures":
        return cmd_captures(argv[2])
    if len(argv) >= 3 and argv[1] == "truth":
        return cmd_truth(argv[2])
    if len(argv) >= 3 and argv[1] == "separable":
        return cmd_separable(argv[2])
    if len(argv) >= 4 and argv[1] == "determinism":
        return cmd_determinism(argv[2], argv[3], argv[4:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

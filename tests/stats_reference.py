#!/usr/bin/python3
"""Independent check of `darktrack stats`: writes small pcaps, computes the per-day table
and the corpus from the raw bytes with the rules of docs/corpus.md, runs darktrack under
mpiexec and compares. Standard library only.

usage: stats_reference.py check --darktrack BIN --mpiexec MPIEXEC --np N --workdir DIR
       stats_reference.py badargs --darktrack BIN --mpiexec MPIEXEC --workdir DIR
"""
import argparse
import collections
import os
import random
import struct
import subprocess
import sys

DAY = 86400
D0 = 18687 * DAY  # 2021-03-01 00:00:00 UTC
MIN_PACKETS = 3
TOP_SERVICES = 4
LINK_ETHERNET, LINK_RAW = 1, 101


# ---- writing captures -------------------------------------------------------------------

def checksum(data):
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4_packet(src, dst, proto, dport, seq):
    if proto == 6:
        payload = struct.pack("!HHIIBBHHH", 40000, dport, seq, 0, 5 << 4, 0x02, 1024, 0, 0)
    elif proto == 17:
        payload = struct.pack("!HHHH", 40000, dport, 8, 0)
    else:
        payload = struct.pack("!BBHHH", 8, 0, 0, 1, 1)
    header = struct.pack("!BBHHHBBHII", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, src,
                         dst)
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def ethernet(ethertype, payload, vlan=None):
    frame = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb"
    if vlan is not None:
        frame += struct.pack("!HH", 0x8100, vlan)
    return frame + struct.pack("!H", ethertype) + payload


def write_pcap(path, link, records):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link))
        for ts_us, data in records:
            f.write(struct.pack("<IIII", ts_us // 1000000, ts_us % 1000000, len(data),
                                len(data)))
            f.write(data)


def generate(workdir):
    """Three captures: a (Ethernet) 22:00 to 00:20 across midnight, b (raw IP) from 00:10
    overlapping a's tail, sub/c (Ethernet, VLAN, IPv6 and ARP mixed in) across the next
    midnight. Every timestamp is distinct, so time order is unambiguous."""
    rng = random.Random(20210301)
    senders = [(10 << 24) | (rng.randrange(1 << 16) << 8) | rng.randrange(256)
               for _ in range(70)]
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(senders))]
    mirai_senders = set(senders[3:9:2])
    services = [(23, 6), (80, 6), (22, 6), (443, 6), (53, 17), (123, 17), (0, 1), (8080, 6),
                (2323, 6), (53, 6)]
    service_weights = [9, 7, 5, 5, 4, 3, 3, 2, 1, 1]

    times = sorted(rng.sample(range(-7200 * 10**6, 26 * 3600 * 10**6), 3000))
    files = {"a": [], "b": [], "c": []}
    for t in times:
        src = rng.choices(senders, weights)[0]
        port, proto = rng.choices(services, service_weights)[0]
        dst = (192 << 24) | (0 << 16) | (2 << 8) | rng.randrange(256)
        seq = dst if src in mirai_senders and proto == 6 else rng.randrange(1 << 32)
        ip = ipv4_packet(src, dst, proto, port, seq)
        ts = D0 * 10**6 + t
        if t < 600 * 10**6:
            name = "a"
        elif t < 1200 * 10**6:
            name = rng.choice("ab")
        elif t < 7200 * 10**6:
            name = "b"
        else:
            name = "c"
        if name == "b":
            files[name].append((ts, ip))
        elif name == "c" and rng.random() < 0.1:
            files[name].append((ts, ethernet(0x86DD, b"\x60" + bytes(39))))
            files[name].append((ts + 1, ethernet(0x0806, bytes(28))))
        else:
            vlan = 7 if name == "c" and rng.random() < 0.3 else None
            files[name].append((ts, ethernet(0x0800, ip, vlan)))

    os.makedirs(os.path.join(workdir, "sub"), exist_ok=True)
    paths = {"a": os.path.join(workdir, "a.pcap"), "b": os.path.join(workdir, "b.pcap"),
             "c": os.path.join(workdir, "sub", "c.pcap")}
    write_pcap(paths["a"], LINK_ETHERNET, files["a"])
    write_pcap(paths["b"], LINK_RAW, files["b"])
    write_pcap(paths["c"], LINK_ETHERNET, files["c"])

    # d starts after day one was handed over, yet holds a packet of it: a late packet.
    used = set(times)
    late_src = senders[0]
    d = []
    for t in (3 * 3600 * 10**6 + 11, -3600 * 10**6 + 13, 3 * 3600 * 10**6 + 17):
        assert t not in used
        d.append((D0 * 10**6 + t, ipv4_packet(late_src, 0xC0000201, 6, 23, 1)))
    paths["d"] = os.path.join(workdir, "d.pcap")
    write_pcap(paths["d"], LINK_RAW, d)
    return paths


# ---- reading captures, independently of darktrack -----------------------------------------

def read_pcap(path):
    """Yields (ts_us, src, dst, proto, dport, mirai) for every IPv4 packet."""
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack("<I", data[:4])
    assert magic == 0xA1B2C3D4, "little-endian microsecond pcap expected"
    link, = struct.unpack("<I", data[20:24])
    at = 24
    while at + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack("<IIII", data[at:at + 16])
        frame = data[at + 16:at + 16 + incl]
        at += 16 + incl
        ip = frame
        if link == LINK_ETHERNET:
            ethertype, off = struct.unpack("!H", frame[12:14])[0], 14
            while ethertype in (0x8100, 0x88A8):
                ethertype, off = struct.unpack("!H", frame[off + 2:off + 4])[0], off + 4
            if ethertype != 0x0800:
                continue
            ip = frame[off:]
        if ip[0] >> 4 != 4:
            continue
        ihl = (ip[0] & 15) * 4
        proto = ip[9]
        src, dst = struct.unpack("!II", ip[12:20])
        dport, mirai = 0, False
        if proto in (6, 17):
            dport, = struct.unpack("!H", ip[ihl + 2:ihl + 4])
        if proto == 6:
            seq, = struct.unpack("!I", ip[ihl + 4:ihl + 8])
            mirai = seq == dst
        yield sec * 10**6 + usec, src, dst, proto, dport, mirai


def dotted(ip):
    return ".".join(str((ip >> s) & 255) for s in (24, 16, 8, 0))


def reference(paths, min_packets, top_services, max_sentence=10000):
    """Per day: the table row and the corpus lines, from the rules written out."""
    day_of = lambda ts_us: ts_us // (DAY * 10**6)
    firsts = {path: next(read_pcap(path))[0] for path in paths}
    days = collections.defaultdict(list)
    late = 0
    for path in paths:
        for pkt in read_pcap(path):
            # Once a capture starting on a later day is opened, earlier days are closed.
            if day_of(pkt[0]) < day_of(firsts[path]):
                late += 1
                continue
            days[day_of(pkt[0])].append(pkt)
    result = {}
    for day, pkts in sorted(days.items()):
        pkts.sort(key=lambda p: p[0])
        count = collections.Counter(p[1] for p in pkts)
        active = {ip for ip, n in count.items() if n > min_packets}
        mirai = {p[1] for p in pkts if p[5]} & active
        service_packets = collections.Counter((p[4], p[3]) for p in pkts)
        ranked = sorted(service_packets, key=lambda s: (-service_packets[s], s[0], s[1]))
        kept = ranked[:top_services]
        folded = len(ranked) > len(kept)
        docs = collections.OrderedDict((s, []) for s in kept + (["other"] if folded else []))
        for p in pkts:
            service = (p[4], p[3])
            doc = docs[service if service in kept else "other"]
            if p[1] in active and (not doc or doc[-1] != p[1]):
                doc.append(p[1])
        lines = []
        for doc in docs.values():
            for at in range(0, len(doc), max_sentence):
                lines.append(" ".join(dotted(ip) for ip in doc[at:at + max_sentence]))
        date = "%04d-%02d-%02d" % civil(day)
        row = [date, len(pkts), len(count), len(active), len(docs), len(lines),
               sum(len(d) for d in docs.values()), len(mirai)]
        result[date] = (row, lines)
    return result, late


def civil(day):
    import datetime
    d = datetime.date(1970, 1, 1) + datetime.timedelta(days=day)
    return d.year, d.month, d.day


# ---- running darktrack -------------------------------------------------------------------

def run(cmd, stdin=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=stdin)
    return proc.returncode, proc.stdout, proc.stderr


def check(args):
    paths = generate(args.workdir)
    expected, late = reference(paths.values(), MIN_PACKETS, TOP_SERVICES)
    assert late == 1, "the generated captures hold one late packet"
    failures = 0
    corpus = os.path.join(args.workdir, "corpus-{day}.txt")
    for fmt in ("csv", "text"):
        # Captures given in reverse time order, one through its directory, one twice.
        cmd = [args.mpiexec, "-n", str(args.np), args.darktrack, "stats", "--format", fmt,
               "--min-packets", str(MIN_PACKETS), "--top-services", str(TOP_SERVICES),
               "--corpus-out", corpus, paths["d"], os.path.join(args.workdir, "sub"),
               paths["b"], paths["a"], paths["a"]]
        rc, out, err = run(cmd)
        if rc != 0:
            print("darktrack failed (%d):\n%s" % (rc, err))
            return 1
        if "d.pcap: 1 packets are dated in days already finished" not in err:
            print("%s: no warning about the late packet in d.pcap:\n%s" % (fmt, err))
            failures += 1
        if "a.pcap: given more than once" not in err:
            print("%s: no warning about a.pcap given twice" % fmt)
            failures += 1
        lines = out.strip().splitlines()
        rows = [ln.split(",") if fmt == "csv" else ln.split() for ln in lines[1:]]
        got = {r[0]: [r[0]] + [int(x) for x in r[1:]] for r in rows}
        if sorted(got) != sorted(expected):
            print("%s: days %s, expected %s" % (fmt, sorted(got), sorted(expected)))
            failures += 1
        for date, (row, corpus_lines) in expected.items():
            if got.get(date) != row:
                print("%s: %s: got %s, expected %s" % (fmt, date, got.get(date), row))
                failures += 1
            with open(corpus.replace("{day}", date)) as f:
                text = f.read().splitlines()
            if text != corpus_lines:
                print("%s: corpus of %s differs (%d lines, expected %d)"
                      % (fmt, date, len(text), len(corpus_lines)))
                failures += 1
    failures += check_stdin(args, paths["c"])
    failures += check_damaged(args)
    print("checked %d days at %d ranks: %d failures" % (len(expected), args.np, failures))
    return 1 if failures else 0


def check_stdin(args, path):
    """One capture read from standard input ('-') gives the same table as the file."""
    expected, _ = reference([path], MIN_PACKETS, TOP_SERVICES)
    with open(path, "rb") as f:
        rc, out, err = run([args.mpiexec, "-n", str(args.np), args.darktrack, "stats",
                            "--format", "csv", "--min-packets", str(MIN_PACKETS),
                            "--top-services", str(TOP_SERVICES), "-"], stdin=f)
    rows = [ln.split(",") for ln in out.strip().splitlines()[1:]]
    got = {r[0]: [r[0]] + [int(x) for x in r[1:]] for r in rows}
    want = {date: row for date, (row, _) in expected.items()}
    if rc != 0 or got != want:
        print("stdin: exit %d, got %s, expected %s\n%s" % (rc, got, want, err))
        return 1
    return 0


def check_damaged(args):
    """A capture cut inside its last record keeps every packet before the cut; the run goes
    on with the next capture and counts one damaged capture."""
    records = [(D0 * 10**6 + i * 1000, ipv4_packet(0x0A000001 + i % 3, 0xC0000201, 6, 80, 1))
               for i in range(20)]
    cut = os.path.join(args.workdir, "cut.pcap")
    write_pcap(cut, LINK_RAW, records)
    with open(cut, "r+b") as f:
        f.truncate(os.path.getsize(cut) - 25)
    whole = os.path.join(args.workdir, "whole.pcap")
    write_pcap(whole, LINK_RAW, [(ts + 10**9, data) for ts, data in records[:5]])
    rc, out, err = run([args.mpiexec, "-n", str(args.np), args.darktrack, "stats", "--format",
                        "csv", "--min-packets", "0", cut, whole])
    rows = out.strip().splitlines()[1:]
    if rc != 0 or len(rows) != 1 or rows[0].split(",")[1] != "24" \
            or "cut.pcap" not in err or "1 damaged" not in err:
        print("damaged capture: exit %d, rows %s (want 19 + 5 packets)\n%s" % (rc, rows, err))
        return 1
    return 0


def badargs(args):
    paths = generate(args.workdir)
    not_capture = os.path.join(args.workdir, "notes.txt")
    with open(not_capture, "w") as f:
        f.write("not a capture\n" * 10)
    cases = [
        (["stats"], 2, "darktrack: error: "),
        (["stats", "--format", "xml", paths["a"]], 2, "darktrack: error: .*--format"),
        (["stats", "--min-packets", "abc", paths["a"]], 2, "darktrack: error: .*min-packets"),
        (["stats", "--no-such-option", paths["a"]], 2, "darktrack: error: "),
        (["stats", "--corpus-out", "-", paths["a"]], 2, "darktrack: error: "),
        (["stats", paths["a"], not_capture], 4, "darktrack: error: .*notes.txt"),
        (["stats", os.path.join(args.workdir, "missing.pcap")], 3,
         "darktrack: error: .*missing.pcap"),
    ]
    import re
    failures = 0
    for i, (extra, want_rc, pattern) in enumerate(cases):
        # Two ranks only where the ranks must agree on a failure found on rank 0 alone.
        for np in (1, 2) if i in (1, 5) else (1,):
            rc, out, err = run([args.mpiexec, "-n", str(np), args.darktrack] + extra)
            if rc != want_rc or not re.search(pattern, err) or out:
                print("%s at %d ranks: exit %d (want %d), stderr %r, stdout %r"
                      % (" ".join(extra), np, rc, want_rc, err[-600:], out[-200:]))
                failures += 1
            elif err.count("error:") != 1:
                print("%s at %d ranks: expected one error line, got %r" % (extra, np, err))
                failures += 1
    print("checked %d bad invocations: %d failures" % (len(cases), failures))
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["check", "badargs"])
    parser.add_argument("--darktrack", required=True)
    parser.add_argument("--mpiexec", required=True)
    parser.add_argument("--np", type=int, default=1)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    return check(args) if args.mode == "check" else badargs(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Compares darktrack's capture reader with tshark on every shared capture, packet by
packet: time, addresses, protocol, destination port, TCP flags, Mirai fingerprint; then the
packet and distinct-sender counts. Each file is also read gzip-compressed, and one through
standard input. Exits 77 (skipped) without the shared captures or tshark."""
import argparse
import gzip
import ipaddress
import os
import shutil
import subprocess
import sys
import tempfile

# Damaged on purpose; test_reader_shared.c checks what the reader says about each.
KNOWN_DAMAGED = {
    "invalid-version.pcap", "ipv4-invalid-header-length.pcap", "ipv4-truncated.pcap",
    "pcapng-option-too-long.pcapng", "timestamp-invalid-micro.pcap", "truncated-header.pcap",
}

TSHARK_FIELDS = ["frame.time_epoch", "ip.src", "ip.dst", "ip.proto", "ip.frag_offset",
                 "tcp.dstport", "udp.dstport", "tcp.flags", "tcp.seq_raw", "vlan.id"]


def tshark_packets(tshark, path):
    """What tshark says each IPv4 packet is, in the reader_dump line format, and whether
    it carries a VLAN tag. Reassembly is off so that fragments stay fragments;
    occurrence=f takes the outer header of ICMP errors and tunnels."""
    cmd = [tshark, "-n", "-r", path, "-o", "ip.defragment:FALSE", "-Y", "ip", "-T", "fields",
           "-E", "occurrence=f", "-E", "separator=/t"]
    for field in TSHARK_FIELDS:
        cmd += ["-e", field]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    lines = []
    for row in out.splitlines():
        f = dict(zip(TSHARK_FIELDS, row.split("\t")))
        sec, _, frac = f["frame.time_epoch"].partition(".")
        ts_ns = int(sec) * 1_000_000_000 + int((frac + "000000000")[:9])
        proto = int(f["ip.proto"])
        first = f["ip.frag_offset"] in ("", "0")
        port_field = {6: "tcp.dstport", 17: "udp.dstport"}.get(proto)
        port = f.get(port_field, "") if port_field and first else ""
        flags = int(f["tcp.flags"], 16) & 0xFF if proto == 6 and first and f["tcp.flags"] else 0
        dst = int(ipaddress.IPv4Address(f["ip.dst"]))
        seq = f["tcp.seq_raw"]
        mirai = int(proto == 6 and first and seq != "" and int(seq) == dst)
        lines.append((f"{ts_ns} {f['ip.src']} {f['ip.dst']} {proto} {port or 0} "
                      f"{int(port != '')} {flags} {mirai}", f.get("vlan.id", "") != ""))
    return lines


def reader_packets(dump, path, stdin_path=None, bpf=None):
    """reader_dump's packet lines and its counts line; fails on any warning or error."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    cmd = [dump] + (["--bpf", bpf] if bpf else []) + ["-" if stdin_path else path]
    try:
        run = subprocess.run(cmd, stdin=stdin, capture_output=True, text=True)
    finally:
        if stdin_path:
            stdin.close()
    if run.returncode != 0 or run.stderr:
        raise AssertionError(f"reader_dump {path}: exit {run.returncode}: {run.stderr}")
    lines = run.stdout.splitlines()
    return lines[:-1], lines[-1]


def compare(name, expected, got):
    """Prints the first differences; returns the number of mismatching packets."""
    bad = sum(1 for e, g in zip(expected, got) if e != g) + abs(len(expected) - len(got))
    if bad:
        print(f"{name}: {bad} packets differ (tshark {len(expected)}, reader {len(got)})")
        shown = 0
        for i, (e, g) in enumerate(zip(expected, got)):
            if e != g and shown < 5:
                print(f"  packet {i + 1}: tshark '{e}'\n              reader '{g}'")
                shown += 1
    return bad


def check_file(args, path, tmp, use_stdin):
    name = os.path.basename(path)
    tagged = tshark_packets(args.tshark, path)
    expected = [line for line, _ in tagged]
    got, counts = reader_packets(args.dump, path)
    failures = compare(name, expected, got)

    senders_expected = len({line.split()[1] for line in expected})
    senders_got = len({line.split()[1] for line in got})
    if senders_expected != senders_got or f"ipv4={len(expected)} " not in counts:
        print(f"{name}: {senders_got} senders / '{counts}' where tshark has "
              f"{len(expected)} packets from {senders_expected} senders")
        failures += 1
    if "malformed=0 damaged=0" not in counts:
        print(f"{name}: the reader found damage tshark did not: {counts}")
        failures += 1

    # The BPF filter "tcp" keeps the IPv4 packets whose outer protocol is TCP, except
    # behind VLAN tags, which BPF matches only with the "vlan" keyword.
    tcp_expected = [line for line, vlan in tagged if line.split()[3] == "6" and not vlan]
    tcp_got, tcp_counts = reader_packets(args.dump, path, bpf="tcp")
    if compare(name + " with --bpf tcp", tcp_expected, tcp_got):
        failures += 1
    if f"ipv4={len(tcp_expected)} " not in tcp_counts:
        print(f"{name} with --bpf tcp: counts '{tcp_counts}', tshark has {len(tcp_expected)}")
        failures += 1

    packed = os.path.join(tmp, name + ".gz")
    with open(path, "rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    zgot, zcounts = reader_packets(args.dump, packed, packed if use_stdin else None)
    if (zgot, zcounts) != (got, counts):
        print(f"{name}: gzip-compressed copy read differently"
              f"{' through standard input' if use_stdin else ''}")
        failures += 1
    print(f"{name}: {len(got)} IPv4 packets, {senders_got} senders; {counts}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dump", required=True, help="the reader_dump program")
    parser.add_argument("--tshark", default=shutil.which("tshark"))
    args = parser.parse_args()

    captures = os.path.join(os.environ.get("DT_SHARED_DIR", ""), "data", "captures")
    if not os.path.isdir(captures) or not args.tshark:
        print(f"no shared captures at {captures} or no tshark; skipped")
        return 77

    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(captures)):
            if name in KNOWN_DAMAGED:
                continue
            failures += check_file(args, os.path.join(captures, name), tmp, checked == 0)
            checked += 1
    print(f"{checked} captures compared with tshark, {failures} failures")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora (small hand-made captures and frames) next to this
script; their bytes are committed, this script says how they were made."""
import gzip
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ETHER = bytes.fromhex("020000000001020000000002") + b"\x08\x00"


def ipv4_tcp(src, dst, dport, seq, ihl=5, frag=0):
    options = b"\x01" * (4 * (ihl - 5))
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + 20, 1, frag, 64, 6, 0,
                         src.to_bytes(4, "big"), dst.to_bytes(4, "big")) + options
    return header + struct.pack("!HHIIBBHHH", 40000, dport, seq, 0, 0x50, 0x02, 1024, 0, 0)


def ipv4_udp(src, dst, dport, frag=0):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 1, frag, 64, 17, 0,
                       src.to_bytes(4, "big"), dst.to_bytes(4, "big")) + \
        struct.pack("!HHHH", 5353, dport, 8, 0)


def pcap(frames, linktype=1, nano=False, snaplen=65535):
    out = struct.pack("<IHHiIII", 0xA1B23C4D if nano else 0xA1B2C3D4, 2, 4, 0, 0, snaplen,
                      linktype)
    for i, frame in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + i, 500, len(frame), len(frame)) + frame
    return out


def pcapng(frames, linktype=1):
    out = struct.pack("<IIIHHqI", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28)
    out += struct.pack("<IIHHII", 1, 20, linktype, 0, 0, 20)
    for i, frame in enumerate(frames):
        pad = b"\0" * (-len(frame) % 4)
        total = 32 + len(frame) + len(pad)
        ts = 1700000000000000 + i
        out += struct.pack("<IIIIIII", 6, total, 0, ts >> 32, ts & 0xFFFFFFFF, len(frame),
                           len(frame)) + frame + pad + struct.pack("<I", total)
    return out


def main():
    a, b = 0xC0000201, 0xC6336407
    syn = ETHER + ipv4_tcp(a, b, 23, 12345)
    mirai = ETHER + ipv4_tcp(a, b, 23, b)
    vlan = ETHER[:12] + b"\x88\xa8\x00\x01\x81\x00\x00\x02\x08\x00" + ipv4_udp(a, b, 53)
    frag = ETHER + ipv4_udp(a, b, 53, frag=0x0010)
    options = ETHER + ipv4_tcp(a, b, 80, 1, ihl=7)
    sll = bytes.fromhex("00000001000602000000000100000800") + ipv4_udp(a, b, 123)
    sll2 = bytes.fromhex("0800000000000003000100060200000000010000") + ipv4_tcp(a, b, 22, 1)
    captures = {
        "ethernet.pcap": pcap([syn, mirai, vlan, frag, options]),
        "nano-sll.pcap": pcap([sll, sll[:20]], linktype=113, nano=True),
        "raw.pcap": pcap([ipv4_udp(a, b, 53), b"\x60" + b"\0" * 39], linktype=101),
        "loop.pcap": pcap([b"\x02\0\0\0" + ipv4_tcp(a, b, 443, 2)], linktype=0),
        "ethernet.pcapng": pcapng([syn, vlan]),
        "ethernet.pcap.gz": gzip.compress(pcap([syn, frag]), mtime=0),
        "cut.pcap": pcap([syn, mirai])[:-20],
        "bad-ihl.pcap": pcap([ETHER + b"\x43" + ipv4_tcp(a, b, 1, 1)[1:]]),
    }
    frames = {"ethernet": (0, syn), "vlan": (0, vlan), "fragment": (0, frag),
              "options": (0, options), "raw": (1, ipv4_udp(a, b, 53)), "sll": (4, sll),
              "sll2": (5, sll2), "null": (6, b"\x02\0\0\0" + ipv4_tcp(a, b, 25, 1)),
              "loop": (7, b"\0\0\0\x02" + ipv4_tcp(a, b, 25, 1)), "mirai": (0, mirai)}
    for directory, files in (("corpus-capture", captures), ("corpus-frame", {
            name: bytes([index]) + frame for name, (index, frame) in frames.items()})):
        os.makedirs(os.path.join(HERE, directory), exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(HERE, directory, name), "wb") as out:
                out.write(data)


if __name__ == "__main__":
    main()

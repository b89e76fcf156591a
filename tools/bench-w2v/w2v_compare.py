#!/usr/bin/python3
"""Word2Vec comparison helpers: planted corpora, gensim training, kNN accuracy.

Subcommands:
  planted CORPUS LABELS [--groups G ...]  write a planted-group corpus and its labels
  gensim CORPUS VECTORS [--workers N ...] train gensim, print its speed, save vectors
  knn LABELS VECTORS...                    leave-one-out cosine kNN accuracy of each file
  check DRIVER [ARGS...]                   the CTest check: darktrack's test driver and
                                           gensim on one planted corpus, same epochs;
                                           fails when darktrack is over 1 point below

Vectors files are darktrack's format (sender_ip, embedding), so both sides are scored by
the same code.
"""
import argparse
import random
import sys
import time


def ip_text(ip):
    return "%d.%d.%d.%d" % (ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255)


def ip_value(text):
    a, b, c, d = (int(x) for x in text.split("."))
    return a << 24 | b << 16 | c << 8 | d


def planted(args):
    """Groups of senders that share their own services, plus loners mixed in."""
    rng = random.Random(args.seed)
    groups = [[0x0A000000 | g << 16 | i for i in range(args.group_size)]
              for g in range(args.groups)]
    loners = [0x0B000000 | i for i in range(args.noise_senders)]
    sentences = []
    for members in groups:
        for _ in range(args.sentences_per_group):
            sentences.append([rng.choice(loners) if rng.random() < args.noise_share
                              else rng.choice(members) for _ in range(args.sentence_len)])
    for _ in range(args.noise_sentences):
        sentences.append([rng.choice(loners) for _ in range(args.sentence_len)])
    rng.shuffle(sentences)
    with open(args.corpus, "w") as out:
        for s in sentences:
            words = [w for i, w in enumerate(s) if i == 0 or s[i - 1] != w]
            out.write(" ".join(ip_text(w) for w in words) + "\n")
    with open(args.labels, "w") as out:
        for g, members in enumerate(groups):
            out.writelines("%s,%d\n" % (ip_text(ip), g) for ip in members)
        out.writelines("%s,-1\n" % ip_text(ip) for ip in loners)


def write_vectors(path, ips, vectors):
    import netCDF4
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.createDimension("sender", len(ips))
        nc.createDimension("embedding_dim", vectors.shape[1])
        nc.createVariable("sender_ip", "u4", ("sender",))[:] = ips
        nc.createVariable("embedding", "f4", ("sender", "embedding_dim"))[:] = vectors


def read_vectors(path):
    import netCDF4
    with netCDF4.Dataset(path) as nc:
        return nc["sender_ip"][:].data, nc["embedding"][:].data


def train_gensim(corpus, workers, dim, window, negative, epochs, seed, shrink):
    """Returns (ips, vectors, words, wall seconds and processor seconds of training)."""
    from gensim.models import Word2Vec
    model = Word2Vec(sg=1, hs=0, negative=negative, window=window, vector_size=dim,
                     min_count=1, sample=0, alpha=0.025, min_alpha=0.0001, workers=workers,
                     seed=seed, shrink_windows=shrink)
    model.build_vocab(corpus_file=corpus)
    words = model.corpus_total_words
    start, cpu_start = time.perf_counter(), time.process_time()
    model.train(corpus_file=corpus, total_words=words, total_examples=model.corpus_count,
                epochs=epochs)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    import numpy
    ips = numpy.array([ip_value(w) for w in model.wv.index_to_key], dtype=numpy.uint32)
    return ips, model.wv.vectors, words * epochs, seconds, cpu


def gensim(args):
    ips, vectors, words, seconds, cpu = train_gensim(args.corpus, args.workers, args.dim,
                                                args.window, args.negative, args.epochs,
                                                args.seed, args.shrink_windows)
    print("gensim workers=%d words=%d seconds=%.3f words_per_s=%.0f cpu_seconds=%.3f"
          % (args.workers, words, seconds, words / seconds, cpu))
    write_vectors(args.vectors, ips, vectors)


def read_labels(path):
    labels = {}
    with open(path) as f:
        for line in f:
            ip, label = line.strip().split(",")
            labels[ip_value(ip)] = int(label)
    return labels


def knn_accuracy(ips, vectors, labels, k=5):
    """Leave-one-out cosine kNN, majority vote (a tie goes to the nearest tied label), over
    the senders with a label >= 0; neighbours among all senders in the file."""
    import numpy
    lab = numpy.array([labels.get(int(ip), -1) for ip in ips])
    norms = numpy.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / numpy.where(norms > 0, norms, 1)
    right = asked = 0
    for first in range(0, len(ips), 512):
        sims = unit[first:first + 512] @ unit.T
        for r in range(sims.shape[0]):
            i = first + r
            if lab[i] < 0:
                continue
            sims[r, i] = -numpy.inf
            near = numpy.argpartition(-sims[r], k)[:k]
            near = near[numpy.argsort(-sims[r, near], kind="stable")]
            votes = [lab[j] for j in near]
            best = max(votes, key=lambda v: (votes.count(v), -votes.index(v)))
            asked += 1
            right += best == lab[i]
    return right / asked if asked else 0.0


def knn(args):
    labels = read_labels(args.labels)
    for path in args.vectors:
        ips, vectors = read_vectors(path)
        print("%s knn_accuracy=%.4f" % (path, knn_accuracy(ips, vectors, labels)))


def check(args):
    """Runs the test driver (one process) on a planted day, trains gensim on the exported
    corpus with the same settings and epochs, and scores both with knn_accuracy."""
    import os
    import subprocess
    import tempfile
    try:
        import gensim  # noqa: F401
        import netCDF4  # noqa: F401
    except ImportError as e:
        print("skipped: %s" % e)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        corpus, labels = os.path.join(tmp, "corpus.txt"), os.path.join(tmp, "labels.csv")
        ours, theirs = os.path.join(tmp, "darktrack.nc"), os.path.join(tmp, "gensim.nc")
        subprocess.run([args.driver, "--days", "1", "--dim", str(args.dim), "--warmup-epochs",
                        str(args.epochs), "--corpus-out", corpus, "--labels-out", labels,
                        "--vectors-out", ours] + args.driver_args, check=True)
        ips, vectors, _, _, _ = train_gensim(corpus, 1, args.dim, 5, 5, args.epochs, 1, False)
        write_vectors(theirs, ips, vectors)
        truth = read_labels(labels)
        a = knn_accuracy(*read_vectors(ours), truth)
        b = knn_accuracy(*read_vectors(theirs), truth)
    print("kNN accuracy: darktrack %.4f, gensim %.4f (%d epochs)" % (a, b, args.epochs))
    return 0 if a >= b - 0.01 else 1


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("planted")
    s.add_argument("corpus")
    s.add_argument("labels")
    for name, default in [("groups", 200), ("group-size", 30), ("noise-senders", 2000),
                          ("sentences-per-group", 8), ("sentence-len", 300),
                          ("noise-sentences", 200), ("seed", 1)]:
        s.add_argument("--" + name, type=int, default=default)
    s.add_argument("--noise-share", type=float, default=0.2)
    s.set_defaults(run=planted)

    s = sub.add_parser("gensim")
    s.add_argument("corpus")
    s.add_argument("vectors")
    for name, default in [("workers", 1), ("dim", 200), ("window", 5), ("negative", 5),
                          ("epochs", 1), ("seed", 1)]:
        s.add_argument("--" + name, type=int, default=default)
    s.add_argument("--shrink-windows", action="store_true",
                   help="gensim's default random window; darktrack uses the fixed window")
    s.set_defaults(run=gensim)

    s = sub.add_parser("knn")
    s.add_argument("labels")
    s.add_argument("vectors", nargs="+")
    s.set_defaults(run=knn)

    s = sub.add_parser("check")
    s.add_argument("driver")
    s.add_argument("--dim", type=int, default=50)
    s.add_argument("--epochs", type=int, default=10)
    s.add_argument("driver_args", nargs=argparse.REMAINDER)
    s.set_defaults(run=check)

    args = p.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

# R's dbscan::hdbscan on a cosine distance matrix, for the reference checks.
# Usage: Rscript hdbscan_reference.R MATRIX.bin N MIN_CLUSTER_SIZE MIN_SAMPLES OUT.csv
# MATRIX.bin holds N*N little-endian doubles. With MIN_SAMPLES equal to MIN_CLUSTER_SIZE
# this is hdbscan() itself; otherwise the same steps with the two parameters apart, from
# the package's own functions (hdbscan() takes a single minPts).
# Exit status 77 when the dbscan package cannot be loaded.
args <- commandArgs(trailingOnly = TRUE)
if (!suppressWarnings(suppressMessages(requireNamespace("dbscan", quietly = TRUE)))) {
    cat("R package dbscan not available\n", file = stderr())
    quit(status = 77)
}
n <- as.integer(args[2])
mcs <- as.integer(args[3])
ms <- as.integer(args[4])
m <- matrix(readBin(args[1], what = "double", n = n * n, size = 8, endian = "little"), n, n)
d <- as.dist(m)
if (ms == mcs) {
    res <- dbscan::hdbscan(d, minPts = mcs)
    cluster <- res$cluster
    glosh <- res$outlier_scores
    prob <- res$membership_prob
    core <- res$coredist
    stab <- res$cluster_scores
} else {
    core <- dbscan:::coredist(d, ms)
    mrd <- dbscan:::mrdist(d, ms, coredist = core)
    mst <- dbscan:::prims(mrd, n)
    hc <- dbscan:::hclustMergeOrder(mst, order(mst[, 3]))
    tree <- dbscan:::computeStability(hc, mcs, compute_glosh = TRUE)
    tree <- dbscan:::extractUnsupervised(tree)
    cl <- attr(tree, "cluster")
    sl <- attr(tree, "salient_clusters")
    cluster <- if (any(cl == 0)) match(cl, c(0, sl)) - 1 else match(cl, sl)
    glosh <- attr(tree, "glosh")
    prob <- rep(0, n)
    for (cid in sl) {
        max_f <- max(core[cl == cid])
        prob[cl == cid] <- (max_f - core[cl == cid]) / max_f
    }
    stab <- sapply(sl, function(s) tree[[as.character(s)]]$stability)
}
# Stability per R cluster number (1..k), in the order of cluster numbers.
k <- max(cluster)
stab_by_cluster <- rep(NA, k)
for (c in seq_len(k)) {
    members <- which(cluster == c)
    stab_by_cluster[c] <- if (ms == mcs) stab[[c]] else stab[[c]]
}
out <- data.frame(cluster = cluster, core = core, glosh = glosh, prob = prob)
write.csv(out, args[5], row.names = FALSE)
write.csv(data.frame(cluster = seq_len(k), stability = stab_by_cluster),
          paste0(args[5], ".stability"), row.names = FALSE)

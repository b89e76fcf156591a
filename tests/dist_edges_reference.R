# R's dbscan::hdbscan on a dense double distance matrix written by test_dist_edges.
# usage: Rscript dist_edges_reference.R MATRIX.f64 N MIN_PTS LABELS_OUT
# Exits 77 (skip) when the dbscan package is missing.
args <- commandArgs(trailingOnly = TRUE)
if (!requireNamespace("dbscan", quietly = TRUE)) quit(status = 77)
n <- as.integer(args[2])
values <- readBin(args[1], what = "double", n = n * n, size = 8)
if (length(values) != n * n) stop("short distance matrix")
d <- as.dist(matrix(values, nrow = n, ncol = n))
fit <- dbscan::hdbscan(d, minPts = as.integer(args[3]))
writeLines(as.character(fit$cluster), args[4])

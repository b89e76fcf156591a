# R's dbscan::hdbscan on the benchmark's vectors: the dense cosine distance matrix, then
# HDBSCAN, timed apart. usage: Rscript bench_r.R VECTORS.f32 N DIM MIN_PTS
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[2])
dim <- as.integer(args[3])
min_pts <- as.integer(args[4])
x <- matrix(readBin(args[1], what = "double", n = n * dim, size = 4), nrow = n, byrow = TRUE)
t0 <- proc.time()[["elapsed"]]
unit <- x / sqrt(rowSums(x * x))
rm(x)
d <- as.dist(tcrossprod(unit)) # the similarity, turned into the distance in place below
d[] <- pmax(0, 1 - d)
rm(unit)
invisible(gc())
t1 <- proc.time()[["elapsed"]]
fit <- dbscan::hdbscan(d, minPts = min_pts)
t2 <- proc.time()[["elapsed"]]
cat(sprintf("R n=%d dim=%d distances_s=%.3f hdbscan_s=%.3f total_s=%.3f clusters=%d noise=%d\n",
            n, dim, t1 - t0, t2 - t1, t2 - t0, max(fit$cluster), sum(fit$cluster == 0)))

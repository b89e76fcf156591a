/* Benchmark driver: the distributed MST of mutual reachability, and the floor it is
 * measured against (one single-precision GEMM pass over all pairs), on the same vectors. */
#include "dt_dist_edges.h"
#include "dt_rng.h"

#include <cblas.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* Clustered vectors like a day's embeddings: groups of senders around random directions,
 * a tenth of them scattered. Written as raw float32, row-major. */
static int write_vectors(const char *path, size_t n, int dim, int groups)
{
    dt_rng rng;
    dt_rng_init(&rng, 7, 0, DT_RNG_TEST, 9);
    float *centre = malloc((size_t)groups * (size_t)dim * sizeof(float));
    float *row = malloc((size_t)dim * sizeof(float));
    FILE *f = fopen(path, "wb");
    if (!centre || !row || !f)
        return 1;
    for (size_t t = 0; t < (size_t)groups * (size_t)dim; t++)
        centre[t] = (float)(dt_rng_uniform(&rng) * 2.0 - 1.0);
    for (size_t i = 0; i < n; i++) {
        int noise = dt_rng_uniform(&rng) < 0.1;
        size_t g = dt_rng_below(&rng, (uint64_t)groups);
        for (int d = 0; d < dim; d++) {
            double jitter = (dt_rng_uniform(&rng) - 0.5) * (noise ? 2.0 : 0.5);
            row[d] = (float)((noise ? 0.0 : (double)centre[g * (size_t)dim + (size_t)d]) + jitter);
        }
        fwrite(row, sizeof(float), (size_t)dim, f);
    }
    free(centre);
    free(row);
    return fclose(f) != 0;
}

static float *read_share(const char *path, size_t first, size_t count, int dim)
{
    float *x = malloc(count * (size_t)dim * sizeof(float) + 1);
    FILE *f = fopen(path, "rb");
    if (!x || !f || fseek(f, (long)(first * (size_t)dim * sizeof(float)), SEEK_SET) != 0 ||
        fread(x, sizeof(float), count * (size_t)dim, f) != count * (size_t)dim) {
        fprintf(stderr, "cannot read %zu rows at row %zu from %s\n", count, first, path);
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    fclose(f);
    return x;
}

/* The floor: every rank multiplies its rows by all rows, panel by panel, and keeps only a
 * row minimum so the product cannot be skipped. */
static double floor_pass(const float *mine, size_t count, size_t n, int dim)
{
    float *all = malloc(n * (size_t)dim * sizeof(float));
    float *mine_unit = malloc(count * (size_t)dim * sizeof(float) + 1);
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *counts = malloc((size_t)size * sizeof(int)), *displs = malloc((size_t)size * sizeof(int));
    int my_count = (int)(count * (size_t)dim);
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();

    for (size_t i = 0; i < count; i++) {
        const float *row = mine + i * (size_t)dim;
        double norm = 0.0;
        for (int d = 0; d < dim; d++)
            norm += (double)row[d] * (double)row[d];
        for (int d = 0; d < dim; d++)
            mine_unit[i * (size_t)dim + (size_t)d] = (float)((double)row[d] / sqrt(norm));
    }
    MPI_Allgather(&my_count, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    for (int r = 0; r < size; r++)
        displs[r] = r == 0 ? 0 : displs[r - 1] + counts[r - 1];
    MPI_Allgatherv(mine_unit, my_count, MPI_FLOAT, all, counts, displs, MPI_FLOAT, MPI_COMM_WORLD);

    size_t width = 1024;
    float *tile = malloc(count * width * sizeof(float) + 1);
    float sink = 0.0f;
    for (size_t first = 0; first < n; first += width) {
        size_t w = n - first < width ? n - first : width;
        cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)count, (int)w, dim, 1.0f,
                    mine_unit, dim, all + first * (size_t)dim, dim, 0.0f, tile,
                    count > 0 ? (int)count : 1);
        for (size_t t = 0; t < count * w; t++)
            sink = tile[t] > sink ? tile[t] : sink;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double seconds = MPI_Wtime() - start;
    if (sink < -2.0f)
        fprintf(stderr, "impossible similarity\n");
    free(all);
    free(mine_unit);
    free(tile);
    free(counts);
    free(displs);
    return seconds;
}

static long peak_rss_kib(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    long mine = usage.ru_maxrss, most = 0;
    MPI_Reduce(&mine, &most, 1, MPI_LONG, MPI_MAX, 0, MPI_COMM_WORLD);
    return most;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc < 5) {
        if (rank == 0)
            fprintf(stderr, "usage: %s write|mst|floor FILE ROWS DIM [MIN_SAMPLES [EDGES_OUT]]\n",
                    argv[0]);
        MPI_Finalize();
        return 2;
    }
    const char *mode = argv[1], *path = argv[2];
    size_t n = strtoul(argv[3], NULL, 10);
    int dim = (int)strtol(argv[4], NULL, 10);
    int min_samples = argc > 5 ? (int)strtol(argv[5], NULL, 10) : 10;
    int status = 0;

    if (strcmp(mode, "write") == 0) {
        if (rank == 0)
            status = write_vectors(path, n, dim, 40);
        MPI_Finalize();
        return status;
    }
    size_t first = n * (size_t)rank / (size_t)size;
    size_t count = n * (size_t)(rank + 1) / (size_t)size - first;
    float *mine = read_share(path, first, count, dim);

    if (strcmp(mode, "floor") == 0) {
        double seconds = floor_pass(mine, count, n, dim);
        if (rank == 0)
            printf("floor n=%zu dim=%d ranks=%d seconds=%.3f\n", n, dim, size, seconds);
    } else {
        dt_dist_mst_result result;
        dt_dist_mst_info info;
        MPI_Barrier(MPI_COMM_WORLD);
        dt_status st =
            dt_dist_mst(mine, count, n, dim, min_samples, MPI_COMM_WORLD, &result, &info);
        long rss = peak_rss_kib();
        if (st != DT_OK)
            fprintf(stderr, "dt_dist_mst failed: %s\n", dt_error_message());
        if (rank == 0 && st == DT_OK) {
            printf("mst n=%zu dim=%d ranks=%d grid=%dx%d seconds=%.3f passes=%d rounds=%d "
                   "refreshed=%zu exact=%zu pass_s=%.3f refresh_s=%.3f peak_rss_mib=%.1f\n",
                   n, dim, size, info.grid_rows, info.grid_cols, info.seconds, info.passes,
                   info.rounds, info.refreshed_rows, info.exact_queries, info.pass_seconds,
                   info.refresh_seconds, (double)rss / 1024.0);
            if (argc > 6) {
                FILE *f = fopen(argv[6], "w");
                for (size_t e = 0; f && e + 1 < n; e++)
                    fprintf(f, "%u %u %.17g\n", result.tree[e].a, result.tree[e].b,
                            result.tree[e].weight);
                if (f)
                    fclose(f);
            }
        }
        status = st != DT_OK;
        dt_dist_mst_result_free(&result);
    }
    free(mine);
    MPI_Finalize();
    return status;
}

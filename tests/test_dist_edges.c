/* The distributed mutual-reachability MST against a serial brute force in double. */
#include "dist_edges_data.h"
#include "dt_dist_edges.h"
#include "dt_dist_pass.h"
#include "dt_hdbscan.h"
#include "dt_mst.h"
#include "dt_test.h"

#include <mpi.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

/* The reference cosine distance, written out independently of mpi/: the dot product and
 * the squared lengths summed in index order in double, max(0, 1 - dot / sqrt(xx yy)). */
static double ref_distance(const float *x, const float *y, int dim)
{
    double dot = 0.0, xx = 0.0, yy = 0.0;
    for (int d = 0; d < dim; d++) {
        dot += (double)x[d] * (double)y[d];
        xx += (double)x[d] * (double)x[d];
        yy += (double)y[d] * (double)y[d];
    }
    double d = 1.0 - dot / sqrt(xx * yy);
    return d > 0.0 ? d : 0.0;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Core distance of every row: the (min_samples - 1)-th smallest distance to another row. */
static void ref_cores(const double *dist, size_t n, int min_samples, double *core)
{
    double *row = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                row[count++] = dist[i * n + j];
        qsort(row, count, sizeof(double), compare_double);
        core[i] = min_samples > 1 ? row[min_samples - 2] : 0.0;
    }
    free(row);
}

/* Edge order (weight, smaller end, larger end). */
static int edge_less(double w1, size_t a1, size_t b1, double w2, size_t a2, size_t b2)
{
    size_t lo1 = a1 < b1 ? a1 : b1, hi1 = a1 < b1 ? b1 : a1;
    size_t lo2 = a2 < b2 ? a2 : b2, hi2 = a2 < b2 ? b2 : a2;
    if (w1 != w2)
        return w1 < w2;
    return lo1 != lo2 ? lo1 < lo2 : hi1 < hi2;
}

/* Prim's algorithm on the dense mutual-reachability matrix; with a strict edge order the
 * tree is unique, so it must equal the distributed one edge for edge. */
static void ref_prim(const double *dist, const double *core, size_t n, dt_edge *tree)
{
    char *in = calloc(n, 1);
    double *w = malloc(n * sizeof(double));
    size_t *from = malloc(n * sizeof(size_t));
    for (size_t v = 0; v < n; v++)
        w[v] = INFINITY, from[v] = 0;
    size_t last = 0;
    in[0] = 1;
    for (size_t step = 0; step + 1 < n; step++) {
        size_t pick = n;
        for (size_t v = 0; v < n; v++) {
            if (in[v])
                continue;
            double mr = fmax(dist[last * n + v], fmax(core[last], core[v]));
            if (edge_less(mr, last, v, w[v], from[v], v))
                w[v] = mr, from[v] = last;
            if (pick == n || edge_less(w[v], from[v], v, w[pick], from[pick], pick))
                pick = v;
        }
        in[pick] = 1;
        tree[step] = (dt_edge){.a = (uint32_t)(from[pick] < pick ? from[pick] : pick),
                               .b = (uint32_t)(from[pick] < pick ? pick : from[pick]),
                               .weight = w[pick]};
        last = pick;
    }
    free(in);
    free(w);
    free(from);
}

static int compare_edges(const void *x, const void *y)
{
    const dt_edge *a = x, *b = y;
    if (edge_less(a->weight, a->a, a->b, b->weight, b->a, b->b))
        return -1;
    return edge_less(b->weight, b->a, b->b, a->weight, a->a, a->b) ? 1 : 0;
}

static double *distance_matrix(const float *x, size_t n, int dim)
{
    double *dist = malloc(n * n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            dist[i * n + j] = ref_distance(x + i * (size_t)dim, x + j * (size_t)dim, dim);
    return dist;
}

/* The tree and core distances equal the brute force's, bit for bit. */
static void check_against_brute_force(const double *dist, size_t n, int min_samples,
                                      const dt_edge *tree, const double *core)
{
    double *ref_core = malloc(n * sizeof(double));
    dt_edge *ref_tree = malloc(n * sizeof(dt_edge));
    ref_cores(dist, n, min_samples, ref_core);
    ref_prim(dist, ref_core, n, ref_tree);
    qsort(ref_tree, n - 1, sizeof(dt_edge), compare_edges);

    size_t core_diff = 0, edge_diff = 0;
    double total = 0.0, ref_total = 0.0;
    for (size_t i = 0; i < n; i++)
        core_diff += core[i] != ref_core[i];
    for (size_t e = 0; e + 1 < n; e++) {
        edge_diff += tree[e].a != ref_tree[e].a || tree[e].b != ref_tree[e].b ||
                     tree[e].weight != ref_tree[e].weight;
        total += tree[e].weight;
        ref_total += ref_tree[e].weight;
    }
    CHECK_EQ_INT(core_diff, 0);
    CHECK_EQ_INT(edge_diff, 0);
    CHECK_NEAR(total, ref_total, 1e-12 * fabs(ref_total));
    free(ref_core);
    free(ref_tree);
}

/* 1 when two labelings are the same partition with the same noise (-1) set. */
static int same_partition(const int32_t *x, const int32_t *y, size_t n)
{
    int32_t *map = malloc((n + 1) * sizeof(int32_t)), *back = malloc((n + 1) * sizeof(int32_t));
    int same = 1;
    for (size_t c = 0; c <= n; c++)
        map[c] = back[c] = INT32_MIN;
    for (size_t i = 0; i < n && same; i++) {
        if ((x[i] < 0) != (y[i] < 0)) {
            same = 0;
        } else if (x[i] >= 0) {
            if (map[x[i]] == INT32_MIN && back[y[i]] == INT32_MIN)
                map[x[i]] = y[i], back[y[i]] = x[i];
            same = map[x[i]] == y[i] && back[y[i]] == x[i];
        }
    }
    free(map);
    free(back);
    return same;
}

/* The distributed chain equals the serial builder's (src/dt_mst.c, Prim on the complete
 * graph) edge for edge, its core distances bit for bit, and HDBSCAN labels alike. */
static void check_against_serial(const float *x, size_t n, int dim, int min_samples,
                                 const dt_edge *tree, const double *core, int32_t *labels)
{
    double *serial_core = malloc(n * sizeof(double));
    dt_edge *chain = malloc(n * sizeof(dt_edge));
    dt_hdbscan_result mine, serial;
    memset(&mine, 0, sizeof mine);
    memset(&serial, 0, sizeof serial);
    CHECK_EQ_INT(dt_mst_build(n, (size_t)dim, x, min_samples, serial_core, chain), DT_OK);
    CHECK_EQ_INT(dt_hdbscan_from_mst(n, tree, core, min_samples, &mine), DT_OK);
    CHECK_EQ_INT(dt_hdbscan_from_mst(n, chain, serial_core, min_samples, &serial), DT_OK);

    size_t core_diff = 0, chain_diff = 0;
    for (size_t i = 0; i < n; i++)
        core_diff += core[i] != serial_core[i];
    for (size_t e = 0; e + 1 < n; e++)
        chain_diff +=
            tree[e].a != chain[e].a || tree[e].b != chain[e].b || tree[e].weight != chain[e].weight;
    CHECK_EQ_INT(core_diff, 0);
    CHECK_EQ_INT(chain_diff, 0);
    if (mine.labels && serial.labels) {
        CHECK(same_partition(mine.labels, serial.labels, n));
        CHECK(mine.n_clusters > 1);
        memcpy(labels, mine.labels, n * sizeof(int32_t));
    }
    dt_hdbscan_result_free(&mine);
    dt_hdbscan_result_free(&serial);
    free(serial_core);
    free(chain);
}

/* R's dbscan::hdbscan on the same double distances gives the same partition and noise.
 * Returns 77 when R or its dbscan package is missing. */
static int check_against_r(const char *rscript, const char *script, const double *dist, size_t n,
                           int min_pts, const int32_t *labels)
{
    char matrix_path[] = "/tmp/dist_edges_matrixXXXXXX",
         labels_path[] = "/tmp/dist_edges_labelsXXXXXX";
    int fd_matrix = mkstemp(matrix_path), fd_labels = mkstemp(labels_path);
    FILE *f = fdopen(fd_matrix, "wb");
    fwrite(dist, sizeof(double), n * n, f);
    fclose(f);
    close(fd_labels);
    char command[1024];
    snprintf(command, sizeof command, "'%s' '%s' '%s' %zu %d '%s'", rscript, script, matrix_path, n,
             min_pts, labels_path);
    int code = system(command);
    int skip = WIFEXITED(code) && WEXITSTATUS(code) == 77;
    CHECK(skip || (WIFEXITED(code) && WEXITSTATUS(code) == 0));

    int32_t *r_labels = malloc(n * sizeof(int32_t));
    size_t got = 0;
    f = fopen(labels_path, "r");
    for (long v = 0; f && got < n && fscanf(f, "%ld", &v) == 1; got++)
        r_labels[got] = (int32_t)v - 1; /* R numbers clusters from 1, noise 0 */
    if (f)
        fclose(f);
    if (!skip) {
        CHECK_EQ_INT(got, n);
        CHECK(got == n && same_partition(labels, r_labels, n));
    }
    free(r_labels);
    unlink(matrix_path);
    unlink(labels_path);
    return skip ? 77 : 0;
}

/* Rank r's share: uneven on purpose (rank r gets a weight r + 1), contiguous. */
static void my_share(size_t n, int rank, int size, size_t *first, size_t *count)
{
    size_t weights = (size_t)size * (size_t)(size + 1) / 2, before = 0;
    for (int r = 0; r < rank; r++)
        before += (size_t)(r + 1);
    *first = n * before / weights;
    *count = n * (before + (size_t)rank + 1) / weights - *first;
}

/* Rank 0's checks; returns 77 when the R comparison was asked for but cannot run. */
static int check_on_root(char **argv, int argc, const float *x, size_t n, int dim, int min_samples,
                         const dt_dist_mst_result *result)
{
    const dt_edge *tree = result->tree;
    const double *core = result->core;
    double *dist = distance_matrix(x, n, dim);
    int32_t *labels = calloc(n, sizeof(int32_t));
    int code = 0;
    check_against_brute_force(dist, n, min_samples, tree, core);
    check_against_serial(x, n, dim, min_samples, result->chain, core, labels);
    if (argc > 6)
        code = check_against_r(argv[5], argv[6], dist, n, min_samples, labels);
    free(dist);
    free(labels);
    return code;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 5 && argc != 7) {
        fprintf(stderr, "usage: %s DATASET ROWS DIM MIN_SAMPLES [RSCRIPT SCRIPT.R]\n", argv[0]);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    size_t n = strtoul(argv[2], NULL, 10);
    int dim = (int)strtol(argv[3], NULL, 10), min_samples = (int)strtol(argv[4], NULL, 10);
    float *x = malloc(n * (size_t)dim * sizeof(float));
    if (!data_make(argv[1], x, n, dim, 42))
        MPI_Abort(MPI_COMM_WORLD, 2);

    /* DT_TEST_TILE_BYTES shrinks the panels, so that a pass spans many of them. */
    const char *tile_bytes = getenv("DT_TEST_TILE_BYTES");
    if (tile_bytes)
        dt_dist_pass_set_tile_bytes(strtoul(tile_bytes, NULL, 10));
    size_t first = 0, count = 0;
    my_share(n, rank, size, &first, &count);
    dt_dist_mst_result result;
    dt_dist_mst_info info;
    dt_status st = dt_dist_mst(x + first * (size_t)dim, count, n, dim, min_samples, MPI_COMM_WORLD,
                               &result, &info);
    if (st != DT_OK)
        fprintf(stderr, "dt_dist_mst failed: %s\n", dt_error_message());
    int code = 0;
    if (rank == 0) {
        CHECK_EQ_INT(st, DT_OK);
        fprintf(stderr,
                "%s n=%zu ranks=%d grid %dx%d: %d passes, %d rounds, %zu refreshed, "
                "%zu exact, %.2fs\n",
                argv[1], n, size, info.grid_rows, info.grid_cols, info.passes, info.rounds,
                info.refreshed_rows, info.exact_queries, info.seconds);
        if (st == DT_OK)
            code = check_on_root(argv, argc, x, n, dim, min_samples, &result);
        int failed = dt_test_finish(argv[1]);
        code = failed ? 1 : code;
    }
    dt_dist_mst_result_free(&result);
    free(x);
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return code;
}

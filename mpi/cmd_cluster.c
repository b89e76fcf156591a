/* darktrack cluster: HDBSCAN (cosine distance) of vectors from a file, with silhouettes. */
#include "dt_cli.h"
#include "dt_cluster_edges.h"
#include "dt_clusters_file.h"
#include "dt_commands.h"
#include "dt_hdbscan.h"
#include "dt_log.h"
#include "dt_mpi.h"
#include "dt_silhouette.h"
#include "dt_vectors.h"
#include "dt_vectors_text.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const dt_cli_option cluster_options[] = {
    {"output", 'o', 1, "FILE",
     "the clusters: netCDF when FILE ends in .nc, else CSV ('-': stdout)"},
    {"format", 0, 1, "csv|netcdf", "output format, overriding the file name"},
};

static const dt_cli_spec cluster_spec = {
    .command = "cluster",
    .usage = "[options] -o OUT VECTORS",
    .summary = "HDBSCAN with cosine distance on vectors from a netCDF vectors file (as\n"
               "--save-embeddings writes) or a text file (optional IPv4, then the components,\n"
               "one point a line); labels, GLOSH outlier scores, probabilities, stabilities\n"
               "and silhouettes go to OUT, a summary to stderr.",
    .options = cluster_options,
    .n_options = sizeof cluster_options / sizeof cluster_options[0],
    .uses_params = 1,
    .min_args = 1,
};

/* Everything one run holds; rank 0 owns the arrays. */
typedef struct {
    const char *input;
    const char *output;
    int netcdf_out;
    int min_cluster_size;
    int min_samples;
    size_t n;
    size_t dim;
    int ips_are_rows;
    uint32_t *ips;
    float *x;
    double *core;
    dt_edge *mst;
    dt_hdbscan_result result;
    double *silhouette;
    double *cluster_silhouette;
    double seconds_edges;
    double seconds_tree;
    double seconds_silhouette;
} cluster_job;

static dt_status choose_output(const dt_cli *cli, cluster_job *job)
{
    job->output = dt_cli_value(cli, "output");
    if (!job->output)
        return dt_fail(DT_ERR_USAGE, "cluster: no output file: give -o OUT (see --help)");
    const char *format = dt_cli_value(cli, "format");
    size_t len = strlen(job->output);
    job->netcdf_out = len > 3 && strcmp(job->output + len - 3, ".nc") == 0;
    if (format && strcmp(format, "netcdf") == 0)
        job->netcdf_out = 1;
    else if (format && strcmp(format, "csv") == 0)
        job->netcdf_out = 0;
    else if (format)
        return dt_fail(DT_ERR_USAGE, "cluster: --format is '%s'; expected csv or netcdf", format);
    if (job->netcdf_out && strcmp(job->output, "-") == 0)
        return dt_fail(DT_ERR_USAGE, "cluster: netCDF cannot go to standard output");
    return DT_OK;
}

/* Rank 0: reads the vectors, netCDF or text by the file's first bytes. */
static dt_status load_vectors(cluster_job *job)
{
    if (dt_vectors_is_netcdf(job->input)) {
        DT_CHECK(dt_vectors_read(job->input, &job->n, &job->dim, &job->ips, &job->x));
    } else {
        int has_ips = 0;
        DT_CHECK(
            dt_vectors_text_read(job->input, &job->n, &job->dim, &job->ips, &job->x, &has_ips));
        job->ips_are_rows = !has_ips;
    }
    if ((size_t)job->min_samples > job->n)
        return dt_fail(DT_ERR_USAGE, "%s: %zu vectors; min_samples %d needs at least as many",
                       job->input, job->n, job->min_samples);
    dt_info("cluster: %zu vectors of %zu components from %s", job->n, job->dim, job->input);
    DT_CHECK(dt_malloc(&job->core, job->n, sizeof *job->core, "core distances"));
    DT_CHECK(dt_malloc(&job->mst, job->n, sizeof *job->mst, "tree edges"));
    return DT_OK;
}

/* Rank 0: the hierarchy, the clusters and their silhouettes. */
static dt_status cluster_tree(cluster_job *job)
{
    double t0 = dt_wall_seconds();
    DT_CHECK(dt_hdbscan_from_mst(job->n, job->mst, job->core, job->min_cluster_size, &job->result));
    double t1 = dt_wall_seconds();
    size_t k = job->result.n_clusters > 0 ? (size_t)job->result.n_clusters : 1;
    DT_CHECK(dt_malloc(&job->silhouette, job->n, sizeof *job->silhouette, "silhouettes"));
    DT_CHECK(dt_malloc(&job->cluster_silhouette, k, sizeof *job->cluster_silhouette,
                       "cluster silhouettes"));
    DT_CHECK(dt_silhouette(job->n, job->dim, job->x, job->result.labels, job->result.n_clusters,
                           job->silhouette, job->cluster_silhouette));
    job->seconds_tree = t1 - t0;
    job->seconds_silhouette = dt_wall_seconds() - t1;
    return DT_OK;
}

static void print_summary(const cluster_job *job)
{
    const dt_hdbscan_result *r = &job->result;
    size_t noise = 0, members = 0;
    double total = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->labels[i] < 0) {
            noise++;
            continue;
        }
        members++;
        total += job->silhouette[i];
    }
    dt_info("cluster: edges %.3f s, tree %.3f s, silhouette %.3f s", job->seconds_edges,
            job->seconds_tree, job->seconds_silhouette);
    dt_info("cluster: %d clusters, %zu noise of %zu points (%.1f%%), mean silhouette %.4f "
            "(min_cluster_size %d, min_samples %d)",
            r->n_clusters, noise, r->n, r->n ? 100.0 * (double)noise / (double)r->n : 0.0,
            members && r->n_clusters > 1 ? total / (double)members : 0.0, job->min_cluster_size,
            job->min_samples);
    for (int32_t c = 0; c < r->n_clusters && dt_log_enabled(DT_LOG_DEBUG); c++)
        dt_debug("cluster %d: %d points, stability %.6g, silhouette %.4f", c, r->size[c],
                 r->stability[c], job->cluster_silhouette[c]);
}

static dt_status write_output(const cluster_job *job)
{
    dt_clusters_summary s = {
        .source = strcmp(job->input, "-") == 0 ? "standard input" : job->input,
        .ips = job->ips,
        .ips_are_rows = job->ips_are_rows,
        .core = job->core,
        .result = &job->result,
        .silhouette = job->silhouette,
        .cluster_silhouette = job->cluster_silhouette,
        .min_cluster_size = job->min_cluster_size,
        .min_samples = job->min_samples,
    };
    if (job->netcdf_out)
        DT_CHECK(dt_clusters_write_netcdf(job->output, &s));
    else
        DT_CHECK(dt_clusters_write_csv(job->output, &s));
    if (strcmp(job->output, "-") != 0)
        dt_info("cluster: wrote %s (%s)", job->output, job->netcdf_out ? "netCDF" : "CSV");
    return DT_OK;
}

static void free_job(cluster_job *job)
{
    free(job->ips);
    free(job->x);
    free(job->core);
    free(job->mst);
    free(job->silhouette);
    free(job->cluster_silhouette);
    dt_hdbscan_result_free(&job->result);
}

/* Collective: rank 0 reads, every rank learns the size, all compute the edges. */
static dt_status run_job(MPI_Comm comm, int rank, cluster_job *job)
{
    dt_status st = rank == 0 ? load_vectors(job) : DT_OK;
    DT_CHECK(dt_mpi_agree(comm, st));
    uint64_t shape[2] = {job->n, job->dim};
    DT_CHECK(dt_mpi_check(MPI_Bcast(shape, 2, MPI_UINT64_T, 0, comm), "MPI_Bcast of the shape"));
    job->n = (size_t)shape[0];
    job->dim = (size_t)shape[1];

    double t0 = dt_wall_seconds();
    DT_CHECK(
        dt_cluster_edges(comm, job->n, job->dim, job->x, job->min_samples, job->core, job->mst));
    job->seconds_edges = dt_wall_seconds() - t0;

    st = DT_OK;
    if (rank == 0) {
        st = cluster_tree(job);
        if (st == DT_OK)
            st = write_output(job);
        if (st == DT_OK)
            print_summary(job);
    }
    DT_CHECK(dt_mpi_agree(comm, st));
    return DT_OK;
}

dt_status dt_cmd_cluster(int argc, char **argv, MPI_Comm comm)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    dt_cli cli;
    cluster_job job = {0};
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_cli_parse(&cluster_spec, argc, argv, rank, &cli));
    dt_log_init(cli.log_level, rank);
    if (cli.exit_now)
        goto out;

    DT_CHECK_GOTO(st, choose_output(&cli, &job));
    job.input = cli.args[0];
    job.min_cluster_size = cli.params.min_cluster_size;
    job.min_samples = dt_params_min_samples(&cli.params);
    DT_CHECK_GOTO(st, run_job(comm, rank, &job));

out:
    free_job(&job);
    dt_cli_free(&cli);
    return st;
}

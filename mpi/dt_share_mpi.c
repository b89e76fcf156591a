/* Broadcasting a day's senders and scattering its sentences in word-balanced blocks. */
#include "dt_share_mpi.h"

#include "dt_mpi.h"
#include "dt_w2v.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Elements per collective call: well inside MPI's int counts and displacements. */
enum { PIECE = 1 << 24 };

void dt_day_share_free(dt_day_share *share)
{
    free(share->active_ip);
    free(share->counts);
    free(share->start);
    free(share->words);
    memset(share, 0, sizeof *share);
}

/* Broadcasts count elements from rank 0 in pieces. Collective. */
static dt_status bcast_pieces(void *buf, uint64_t count, MPI_Datatype type, size_t elem,
                              MPI_Comm comm)
{
    for (uint64_t done = 0; done < count; done += PIECE) {
        int n = (int)(count - done < PIECE ? count - done : PIECE);
        DT_CHECK(dt_mpi_check(MPI_Bcast((char *)buf + done * elem, n, type, 0, comm),
                              "MPI_Bcast of the day's senders"));
    }
    return DT_OK;
}

typedef struct {
    const uint64_t *counts; /* elements each rank receives */
    int ranks;
    int rank;
    MPI_Datatype type;
    size_t elem;
} scatter_plan;

/* One round of a pieced scatter: rank 0 stages every rank's piece `round` side by side. */
static dt_status scatter_round(const scatter_plan *plan, const char *send, const uint64_t *first,
                               uint64_t round, size_t width, char *staging, int *sizes, int *displs,
                               char *recv, MPI_Comm comm)
{
    uint64_t skip = round * (uint64_t)width;
    for (int r = 0; r < plan->ranks; r++) {
        uint64_t left = plan->counts[r] > skip ? plan->counts[r] - skip : 0;
        sizes[r] = (int)(left < width ? left : width);
        displs[r] = r * (int)width;
        if (plan->rank == 0 && sizes[r] > 0)
            memcpy(staging + (size_t)displs[r] * plan->elem, send + (first[r] + skip) * plan->elem,
                   (size_t)sizes[r] * plan->elem);
    }
    return dt_mpi_check(MPI_Scatterv(staging, sizes, displs, plan->type, recv + skip * plan->elem,
                                     sizes[plan->rank], plan->type, 0, comm),
                        "MPI_Scatterv of the day's sentences");
}

/* Scatters consecutive blocks of send (rank 0) of plan->counts[r] elements to each rank's
 * recv, in rounds whose counts and displacements fit in int. Collective. */
static dt_status scatter_blocks(const scatter_plan *plan, const void *send, void *recv,
                                MPI_Comm comm)
{
    uint64_t most = 0;
    for (int r = 0; r < plan->ranks; r++)
        most = plan->counts[r] > most ? plan->counts[r] : most;
    size_t width = (size_t)INT_MAX / (size_t)plan->ranks;
    width = width < PIECE ? width : PIECE;
    width = most < width ? (size_t)most : width;
    if (most == 0)
        return DT_OK;

    uint64_t *first = NULL;
    char *staging = NULL;
    int *sizes = NULL, *displs = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&first, (size_t)plan->ranks, sizeof *first, "block offsets"));
    DT_CHECK_GOTO(st, dt_malloc(&sizes, (size_t)plan->ranks, sizeof *sizes, "block sizes"));
    DT_CHECK_GOTO(st, dt_malloc(&displs, (size_t)plan->ranks, sizeof *displs, "block sizes"));
    size_t staged = plan->rank == 0 ? (size_t)plan->ranks * width : 1;
    DT_CHECK_GOTO(st, dt_malloc(&staging, staged, plan->elem, "the scatter staging buffer"));
    for (int r = 0; r < plan->ranks; r++)
        first[r] = r == 0 ? 0 : first[r - 1] + plan->counts[r - 1];

    for (uint64_t round = 0; round * width < most; round++)
        DT_CHECK_GOTO(
            st, scatter_round(plan, send, first, round, width, staging, sizes, displs, recv, comm));
out:
    free(first);
    free(staging);
    free(sizes);
    free(displs);
    return st;
}

/* Rank 0: checks the corpus and counts each sender's words. */
static dt_status check_day(const dt_day *day, uint64_t *counts)
{
    DT_CHECK(dt_w2v_check_corpus(day));
    size_t used = day->n_sentences ? day->sentence_start[day->n_sentences] : 0;
    return dt_w2v_count_words(day->words, used, day->n_active, counts);
}

/* Rank 0: the first sentence of each rank's block, balanced by words (P + 1 entries). */
static void cut_blocks(const dt_day *day, int ranks, size_t *first)
{
    size_t words = day->n_sentences ? day->sentence_start[day->n_sentences] : 0;
    size_t s = 0;
    first[0] = 0;
    for (int r = 1; r < ranks; r++) {
        size_t parts = (size_t)ranks;
        size_t target = words / parts * (size_t)r + words % parts * (size_t)r / parts;
        while (s < day->n_sentences && day->sentence_start[s] < target)
            s++;
        first[r] = s;
    }
    first[ranks] = day->n_sentences;
}

/* Rank 0: the header every rank needs, then the per-rank block sizes (sentences, words). */
static dt_status share_header(const dt_day *day, int rank, MPI_Comm comm, dt_day_share *share)
{
    uint64_t header[4] = {0, 0, 0, 0};
    dt_status st = DT_OK;
    if (rank == 0) {
        st = dt_malloc(&share->counts, day->n_active, sizeof *share->counts, "word counts");
        if (st == DT_OK)
            st = check_day(day, share->counts);
        header[0] = (uint64_t)(int64_t)day->day;
        header[1] = day->n_active;
        header[2] = day->n_sentences;
    }
    DT_CHECK(dt_mpi_agree(comm, st));
    DT_CHECK(dt_mpi_check(MPI_Bcast(header, 4, MPI_UINT64_T, 0, comm), "MPI_Bcast of the day"));
    share->day = (int32_t)(int64_t)header[0];
    share->n_active = (size_t)header[1];

    if (rank != 0)
        st = dt_malloc(&share->counts, share->n_active, sizeof *share->counts, "word counts");
    if (st == DT_OK)
        st = dt_malloc(&share->active_ip, share->n_active, sizeof(uint32_t), "active senders");
    if (st == DT_OK && rank == 0 && share->n_active > 0)
        memcpy(share->active_ip, day->active_ip, share->n_active * sizeof(uint32_t));
    DT_CHECK(dt_mpi_agree(comm, st));
    DT_CHECK(bcast_pieces(share->active_ip, share->n_active, MPI_UINT32_T, sizeof(uint32_t), comm));
    return bcast_pieces(share->counts, share->n_active, MPI_UINT64_T, sizeof(uint64_t), comm);
}

/* Rank 0: each rank's sentence and word counts, and the sentence lengths in order. */
static dt_status plan_blocks(const dt_day *day, int ranks, uint64_t *sizes, uint64_t **lengths)
{
    size_t *first = NULL;
    DT_CHECK(dt_malloc(&first, (size_t)ranks + 1, sizeof *first, "block bounds"));
    cut_blocks(day, ranks, first);
    for (int r = 0; r < ranks; r++) {
        sizes[r] = first[r + 1] - first[r];
        sizes[ranks + r] = day->sentence_start[first[r + 1]] - day->sentence_start[first[r]];
    }
    free(first);

    DT_CHECK(dt_malloc(lengths, day->n_sentences, sizeof **lengths, "sentence lengths"));
    for (size_t s = 0; s < day->n_sentences; s++)
        (*lengths)[s] = day->sentence_start[s + 1] - day->sentence_start[s];
    return DT_OK;
}

static dt_status receive_blocks(const dt_day *day, int rank, int ranks, MPI_Comm comm,
                                dt_day_share *share)
{
    uint64_t *sizes = NULL, *lengths = NULL, *mine = NULL;
    dt_status st = dt_calloc(&sizes, 2 * (size_t)ranks, sizeof *sizes, "block sizes");
    if (st == DT_OK && rank == 0 && day->n_sentences > 0)
        st = plan_blocks(day, ranks, sizes, &lengths);
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Bcast(sizes, 2 * ranks, MPI_UINT64_T, 0, comm),
                                   "MPI_Bcast of the block sizes"));

    share->n_sentences = (size_t)sizes[rank];
    share->n_words = (size_t)sizes[ranks + rank];
    st = dt_malloc(&mine, share->n_sentences, sizeof *mine, "sentence lengths");
    if (st == DT_OK)
        st = dt_malloc(&share->start, share->n_sentences + 1, sizeof *share->start, "offsets");
    if (st == DT_OK)
        st = dt_malloc(&share->words, share->n_words, sizeof *share->words, "words");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));

    scatter_plan by_sentence = {sizes, ranks, rank, MPI_UINT64_T, sizeof(uint64_t)};
    scatter_plan by_word = {sizes + ranks, ranks, rank, MPI_UINT32_T, sizeof(uint32_t)};
    DT_CHECK_GOTO(st, scatter_blocks(&by_sentence, lengths, mine, comm));
    DT_CHECK_GOTO(st, scatter_blocks(&by_word, rank == 0 ? day->words : NULL, share->words, comm));
    share->start[0] = 0;
    for (size_t s = 0; s < share->n_sentences; s++)
        share->start[s + 1] = share->start[s] + (size_t)mine[s];
out:
    free(mine);
    free(sizes);
    free(lengths);
    return st;
}

dt_status dt_share_day_mpi(const dt_day *day, MPI_Comm comm, dt_day_share *share)
{
    memset(share, 0, sizeof *share);
    int rank = 0, ranks = 1;
    DT_CHECK(dt_mpi_check(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank"));
    DT_CHECK(dt_mpi_check(MPI_Comm_size(comm, &ranks), "MPI_Comm_size"));

    DT_CHECK(share_header(day, rank, comm, share));
    DT_CHECK(receive_blocks(day, rank, ranks, comm, share));
    return DT_OK;
}

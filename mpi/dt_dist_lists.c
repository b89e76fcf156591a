/* Candidate max-heaps and their merge across the ranks of a BLACS process row. */
#include "dt_dist_lists.h"

#include "dt_mpi.h"

#include <stdlib.h>
#include <string.h>

dt_status dt_cand_lists_alloc(dt_cand_lists *lists, size_t rows, int k)
{
    memset(lists, 0, sizeof *lists);
    lists->rows = rows;
    lists->k = k;
    DT_CHECK(dt_malloc(&lists->entries, rows * (size_t)k + 1, sizeof(dt_cand), "candidates"));
    DT_CHECK(dt_malloc(&lists->count, rows + 1, sizeof(int), "candidate counts"));
    DT_CHECK(dt_malloc(&lists->worst, rows + 1, sizeof(double), "candidate bounds"));
    DT_CHECK(dt_malloc(&lists->worst_up, rows + 1, sizeof(float), "candidate bounds"));
    dt_cand_lists_clear(lists);
    return DT_OK;
}

void dt_cand_lists_free(dt_cand_lists *lists)
{
    free(lists->entries);
    free(lists->count);
    free(lists->worst);
    free(lists->worst_up);
    memset(lists, 0, sizeof *lists);
}

void dt_cand_lists_clear(dt_cand_lists *lists)
{
    for (size_t r = 0; r < lists->rows; r++) {
        lists->count[r] = 0;
        lists->worst[r] = (double)INFINITY;
        lists->worst_up[r] = INFINITY;
    }
}

static int cand_after(const dt_cand *x, const dt_cand *y)
{
    return x->key > y->key || (x->key == y->key && x->j > y->j);
}

static void sift_down(dt_cand *heap, int count, int at)
{
    for (;;) {
        int largest = at, left = 2 * at + 1, right = left + 1;
        if (left < count && cand_after(&heap[left], &heap[largest]))
            largest = left;
        if (right < count && cand_after(&heap[right], &heap[largest]))
            largest = right;
        if (largest == at)
            return;
        dt_cand swap = heap[at];
        heap[at] = heap[largest];
        heap[largest] = swap;
        at = largest;
    }
}

static void sift_up(dt_cand *heap, int at)
{
    while (at > 0) {
        int parent = (at - 1) / 2;
        if (!cand_after(&heap[at], &heap[parent]))
            return;
        dt_cand swap = heap[at];
        heap[at] = heap[parent];
        heap[parent] = swap;
        at = parent;
    }
}

void dt_cand_lists_push(dt_cand_lists *lists, size_t row, double key, uint32_t j)
{
    dt_cand_lists_push_exact(lists, row, key, j, NAN);
}

void dt_cand_lists_push_exact(dt_cand_lists *lists, size_t row, double key, uint32_t j,
                              double exact)
{
    dt_cand *heap = lists->entries + row * (size_t)lists->k;
    dt_cand cand = {.key = key, .exact = exact, .j = j, .unused = 0};
    int *count = &lists->count[row];
    if (*count < lists->k) {
        heap[*count] = cand;
        sift_up(heap, (*count)++);
    } else {
        heap[0] = cand;
        sift_down(heap, lists->k, 0);
    }
    if (*count == lists->k) {
        lists->worst[row] = heap[0].key;
        lists->worst_up[row] = nextafterf((float)heap[0].key, INFINITY);
    }
}

static int cand_compare(const void *x, const void *y)
{
    const dt_cand *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

void dt_cand_sort(dt_cand *cands, int count)
{
    qsort(cands, (size_t)count, sizeof(dt_cand), cand_compare);
}

/* Packs the tile rows each member holds, in member order, padding lists to k entries. */
static void pack_for_members(const dt_cand_lists *tile, int members, dt_cand *packed,
                             int *send_rows)
{
    size_t k = (size_t)tile->k, at = 0;
    for (int m = 0; m < members; m++) {
        send_rows[m] = 0;
        for (size_t li = (size_t)m; li < tile->rows; li += (size_t)members) {
            dt_cand *slot = packed + at * k;
            memcpy(slot, tile->entries + li * k, (size_t)tile->count[li] * sizeof(dt_cand));
            for (int t = tile->count[li]; t < tile->k; t++)
                slot[t].j = DT_CAND_NONE;
            at++;
            send_rows[m]++;
        }
    }
}

/* Merges the members' partial lists of one row (members x k slots) into held row h. */
static void merge_row(dt_cand *partials, int members, dt_cand_lists *held, size_t h,
                      double *kth_key)
{
    int k = held->k, total = 0, some_full = 0;
    for (int m = 0; m < members; m++) {
        int filled = 0;
        for (int t = 0; t < k; t++)
            if (partials[m * k + t].j != DT_CAND_NONE) {
                partials[total++] = partials[m * k + t];
                filled++;
            }
        some_full |= filled == k;
    }
    dt_cand_sort(partials, total);

    int kept = total < k ? total : k;
    memcpy(held->entries + h * (size_t)k, partials, (size_t)kept * sizeof(dt_cand));
    held->count[h] = kept;
    kth_key[h] = (some_full || total > k) ? partials[k - 1].key : (double)INFINITY;
}

dt_status dt_cand_lists_merge(const dt_cand_lists *tile, MPI_Comm row_comm, dt_cand_lists *held,
                              double *kth_key)
{
    int members = 0, me = 0;
    MPI_Comm_size(row_comm, &members);
    MPI_Comm_rank(row_comm, &me);
    MPI_Datatype list_type = MPI_DATATYPE_NULL;
    int *send_rows = NULL, *send_displ = NULL, *recv_rows = NULL, *recv_displ = NULL;
    dt_cand *packed = NULL, *received = NULL, *row_buf = NULL;
    size_t k = (size_t)tile->k;

    dt_status st = dt_malloc(&send_rows, (size_t)members, sizeof(int), "merge counts");
    if (st == DT_OK)
        st = dt_malloc(&send_displ, (size_t)members, sizeof(int), "merge counts");
    if (st == DT_OK)
        st = dt_malloc(&recv_rows, (size_t)members, sizeof(int), "merge counts");
    if (st == DT_OK)
        st = dt_malloc(&recv_displ, (size_t)members, sizeof(int), "merge counts");
    if (st == DT_OK)
        st = dt_malloc(&packed, tile->rows * k + 1, sizeof(dt_cand), "packed candidates");
    if (st == DT_OK)
        st = dt_malloc(&received, held->rows * (size_t)members * k + 1, sizeof(dt_cand),
                       "received candidates");
    if (st == DT_OK)
        st = dt_malloc(&row_buf, (size_t)members * k, sizeof(dt_cand), "merge buffer");
    DT_CHECK_GOTO(st, dt_mpi_agree(row_comm, st));

    pack_for_members(tile, members, packed, send_rows);
    for (int m = 0; m < members; m++) {
        send_displ[m] = m == 0 ? 0 : send_displ[m - 1] + send_rows[m - 1];
        recv_rows[m] = (int)held->rows;
        recv_displ[m] = m * (int)held->rows;
    }
    MPI_Type_contiguous((int)(k * sizeof(dt_cand)), MPI_BYTE, &list_type);
    MPI_Type_commit(&list_type);
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Alltoallv(packed, send_rows, send_displ, list_type, received,
                                                 recv_rows, recv_displ, list_type, row_comm),
                                   "merging candidate lists across a process row"));

    for (size_t h = 0; h < held->rows; h++) {
        for (int m = 0; m < members; m++)
            memcpy(row_buf + (size_t)m * k, received + ((size_t)m * held->rows + h) * k,
                   k * sizeof(dt_cand));
        merge_row(row_buf, members, held, h, kth_key);
    }

out:
    if (list_type != MPI_DATATYPE_NULL)
        MPI_Type_free(&list_type);
    free(send_rows);
    free(send_displ);
    free(recv_rows);
    free(recv_displ);
    free(packed);
    free(received);
    free(row_buf);
    return st;
}

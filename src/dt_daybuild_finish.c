/* Finishing a day: active senders, ranked services, the i-DarkVec corpus and the
 * per-sender service table, from the builder's tallies and time-ordered events. */
#include "dt_daybuild.h"

#include "dt_daybuild_internal.h"

#include <stdlib.h>
#include <string.h>

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint32_t clamp_u32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Active senders (more than min_packets packets) in address order; *sender_word maps each
 * sender slot to its word, DT_NOT_ACTIVE for the others. */
static dt_status select_active(const dt_daybuild *b, dt_day *out, uint32_t **sender_word)
{
    dt_status st = DT_OK;
    uint32_t n_senders = b->senders.count;
    uint64_t threshold = (uint64_t)b->params.min_packets;
    uint64_t *by_ip = NULL;
    DT_CHECK_GOTO(st, dt_malloc(&by_ip, n_senders, sizeof *by_ip, "active senders"));

    uint32_t n = 0;
    for (uint32_t s = 0; s < n_senders; s++)
        if (DT_TALLY_PACKETS(b->sender_tally[s]) > threshold)
            by_ip[n++] = (uint64_t)b->sender_ip[s] << 32 | s;
    qsort(by_ip, n, sizeof *by_ip, compare_u64);

    DT_CHECK_GOTO(st, dt_malloc(&out->active_ip, n, sizeof *out->active_ip, "active senders"));
    DT_CHECK_GOTO(
        st, dt_malloc(&out->active_packets, n, sizeof *out->active_packets, "active senders"));
    DT_CHECK_GOTO(st,
                  dt_malloc(&out->active_mirai, n, sizeof *out->active_mirai, "active senders"));
    DT_CHECK_GOTO(st, dt_malloc(sender_word, n_senders, sizeof **sender_word, "sender words"));
    for (uint32_t s = 0; s < n_senders; s++)
        (*sender_word)[s] = DT_NOT_ACTIVE;

    for (uint32_t w = 0; w < n; w++) {
        uint32_t s = (uint32_t)by_ip[w];
        uint64_t tally = b->sender_tally[s];
        out->active_ip[w] = b->sender_ip[s];
        out->active_packets[w] = clamp_u32(DT_TALLY_PACKETS(tally));
        out->active_mirai[w] = (tally & DT_TALLY_MIRAI) != 0;
        (*sender_word)[s] = w;
    }
    out->n_active = n;

out:
    free(by_ip);
    return st;
}

typedef struct {
    uint64_t packets;
    uint32_t key; /* port << 8 | protocol: ascending key is ascending port, then protocol */
    uint32_t slot;
} service_entry;

/* Busiest first; equal packets by lower port, then lower protocol. */
static int compare_services(const void *a, const void *b)
{
    const service_entry *x = a, *y = b;
    if (x->packets != y->packets)
        return x->packets < y->packets ? 1 : -1;
    return (x->key > y->key) - (x->key < y->key);
}

/* The kept services and "other"; *service_rank maps each service slot to its index. */
static dt_status rank_services(const dt_daybuild *b, dt_day *out, uint32_t **service_rank)
{
    dt_status st = DT_OK;
    uint32_t n = b->services.count;
    service_entry *entries = NULL;
    DT_CHECK_GOTO(st, dt_malloc(&entries, n, sizeof *entries, "service ranking"));
    for (uint32_t s = 0; s < n; s++)
        entries[s] = (service_entry){b->service_packets[s], b->service_key[s], s};
    qsort(entries, n, sizeof *entries, compare_services);

    uint32_t kept = n < (uint32_t)b->params.top_services ? n : (uint32_t)b->params.top_services;
    out->n_services = kept + (n > kept);
    DT_CHECK_GOTO(st,
                  dt_calloc(&out->services, out->n_services, sizeof *out->services, "services"));
    DT_CHECK_GOTO(st, dt_malloc(service_rank, n, sizeof **service_rank, "service ranks"));

    for (uint32_t r = 0; r < n; r++) {
        uint32_t slot = entries[r].slot;
        if (r < kept) {
            out->services[r] = (dt_service){.port = (uint16_t)(entries[r].key >> 8),
                                            .proto = (uint8_t)entries[r].key,
                                            .packets = entries[r].packets};
            (*service_rank)[slot] = r;
        } else {
            out->services[kept].is_other = 1;
            out->services[kept].packets += entries[r].packets;
            (*service_rank)[slot] = kept;
        }
    }

out:
    free(entries);
    return st;
}

/* An active sender's packet, translated to the day's numbering. */
typedef struct {
    uint32_t word; /* index of the active sender */
    uint32_t rank; /* index of the service */
} active_event;

/* The active senders' events in time order, translated once so that the passes below read
 * 8 bytes an event and look nothing up; doc_start gets each service's event count at
 * [rank + 1]. */
static dt_status translate_events(const dt_daybuild *b, const uint32_t *sender_word,
                                  const uint32_t *service_rank, uint32_t n_services,
                                  size_t *doc_start, active_event **out, size_t *n)
{
    DT_CHECK(dt_malloc(out, b->n_events, sizeof **out, "active events"));
    memset(doc_start, 0, (n_services + 1) * sizeof *doc_start);
    size_t k = 0;
    for (size_t i = 0; i < b->n_events; i++) {
        uint32_t w = sender_word[b->events[i].sender];
        if (w == DT_NOT_ACTIVE)
            continue;
        uint32_t r = service_rank[b->events[i].service];
        (*out)[k++] = (active_event){w, r};
        doc_start[r + 1]++;
    }
    *n = k;
    return DT_OK;
}

/* Groups the active events' words by service rank, keeping time order within a group (a
 * counting sort, which is stable). doc_start holds the group sizes at [rank + 1] on entry
 * and the n_services + 1 group offsets into *grouped on return. */
static dt_status group_by_service(const active_event *ae, size_t n, uint32_t n_services,
                                  size_t *doc_start, uint32_t **grouped)
{
    for (uint32_t f = 0; f < n_services; f++)
        doc_start[f + 1] += doc_start[f];

    DT_CHECK(dt_malloc(grouped, n, sizeof **grouped, "corpus words"));
    for (size_t i = 0; i < n; i++)
        (*grouped)[doc_start[ae[i].rank]++] = ae[i].word;

    /* The fill advanced each start to the next one's; shift them back. */
    memmove(doc_start + 1, doc_start, n_services * sizeof *doc_start);
    doc_start[0] = 0;
    return DT_OK;
}

/* Counts, for each word, the services it sent to: walking the groups in rank order, a word
 * met for the first time in group f gets an entry (f, 1), met again adds a packet. So each
 * word's entries come out by increasing rank without sorting. With fill NULL only the
 * entries per word are counted into start[w + 1]. last is scratch of n_active entries. */
static void walk_sender_services(const uint32_t *grouped, const size_t *doc_start,
                                 uint32_t n_services, uint32_t *last, size_t *start, size_t *fill,
                                 dt_day *out)
{
    for (uint32_t w = 0; w < out->n_active; w++)
        last[w] = UINT32_MAX;
    for (uint32_t f = 0; f < n_services; f++)
        for (size_t i = doc_start[f]; i < doc_start[f + 1]; i++) {
            uint32_t w = grouped[i];
            if (last[w] == f) {
                if (fill && out->sender_service_packets[fill[w] - 1] != UINT32_MAX)
                    out->sender_service_packets[fill[w] - 1]++;
                continue;
            }
            last[w] = f;
            if (!fill) {
                start[w + 1]++;
                continue;
            }
            out->sender_service[fill[w]] = f;
            out->sender_service_packets[fill[w]++] = 1;
        }
}

/* The per-sender service table (CSR): each active sender's packets by service, from the
 * groups before their repeats are collapsed. */
static dt_status build_sender_services(const uint32_t *grouped, const size_t *doc_start,
                                       dt_day *out)
{
    dt_status st = DT_OK;
    uint32_t n_active = out->n_active, n_services = out->n_services;
    uint32_t *last = NULL;
    size_t *fill = NULL;
    DT_CHECK_GOTO(st, dt_malloc(&last, n_active, sizeof *last, "sender services"));
    DT_CHECK_GOTO(st, dt_calloc(&out->sender_service_start, (size_t)n_active + 1,
                                sizeof *out->sender_service_start, "sender services"));
    size_t *start = out->sender_service_start;

    walk_sender_services(grouped, doc_start, n_services, last, start, NULL, out);
    for (uint32_t w = 0; w < n_active; w++)
        start[w + 1] += start[w];

    size_t total = start[n_active];
    DT_CHECK_GOTO(
        st, dt_malloc(&out->sender_service, total, sizeof *out->sender_service, "sender services"));
    DT_CHECK_GOTO(st, dt_malloc(&out->sender_service_packets, total,
                                sizeof *out->sender_service_packets, "sender services"));
    DT_CHECK_GOTO(st, dt_malloc(&fill, n_active, sizeof *fill, "sender services"));
    memcpy(fill, start, n_active * sizeof *fill);
    walk_sender_services(grouped, doc_start, n_services, last, start, fill, out);

out:
    free(last);
    free(fill);
    return st;
}

/* Collapses consecutive repeats within each document, in place: the write position never
 * passes the read position. doc_start is rewritten to the collapsed offsets. */
static size_t collapse_repeats(uint32_t *words, size_t *doc_start, uint32_t n_services)
{
    size_t n_words = 0;
    size_t read_begin = doc_start[0];
    for (uint32_t f = 0; f < n_services; f++) {
        size_t read_end = doc_start[f + 1];
        size_t doc_begin = n_words;
        for (size_t i = read_begin; i < read_end; i++)
            if (n_words == doc_begin || words[n_words - 1] != words[i])
                words[n_words++] = words[i];
        doc_start[f] = doc_begin;
        read_begin = read_end;
    }
    doc_start[n_services] = n_words;
    return n_words;
}

/* Cuts each document into consecutive sentences of at most max_sentence words. */
static dt_status cut_sentences(const size_t *doc_start, uint32_t n_services, size_t max_sentence,
                               dt_day *out)
{
    size_t n = 0;
    for (uint32_t f = 0; f < n_services; f++)
        n += (doc_start[f + 1] - doc_start[f] + max_sentence - 1) / max_sentence;

    DT_CHECK(dt_malloc(&out->sentence_start, n + 1, sizeof *out->sentence_start, "sentences"));
    DT_CHECK(dt_malloc(&out->sentence_service, n, sizeof *out->sentence_service, "sentences"));
    size_t s = 0;
    for (uint32_t f = 0; f < n_services; f++)
        for (size_t at = doc_start[f]; at < doc_start[f + 1]; at += max_sentence) {
            out->sentence_start[s] = at;
            out->sentence_service[s++] = f;
        }
    out->sentence_start[n] = doc_start[n_services];
    out->n_sentences = n;
    return DT_OK;
}

/* The corpus (design step 3) and the per-sender service table: one document per service,
 * its active senders in time order with consecutive repeats collapsed, cut into
 * sentences. */
static dt_status build_corpus(const dt_daybuild *b, const uint32_t *sender_word,
                              const uint32_t *service_rank, dt_day *out)
{
    dt_status st = DT_OK;
    uint32_t n_services = out->n_services;
    size_t *doc_start = NULL;
    active_event *ae = NULL;
    size_t n_ae = 0;
    DT_CHECK_GOTO(st, dt_malloc(&doc_start, n_services + 1, sizeof *doc_start, "documents"));
    DT_CHECK_GOTO(
        st, translate_events(b, sender_word, service_rank, n_services, doc_start, &ae, &n_ae));
    DT_CHECK_GOTO(st, group_by_service(ae, n_ae, n_services, doc_start, &out->words));
    free(ae);
    ae = NULL;

    DT_CHECK_GOTO(st, build_sender_services(out->words, doc_start, out));
    out->n_words = collapse_repeats(out->words, doc_start, n_services);
    DT_CHECK_GOTO(st, dt_realloc(&out->words, out->n_words, sizeof *out->words, "corpus"));
    DT_CHECK_GOTO(st, cut_sentences(doc_start, n_services, (size_t)b->params.max_sentence, out));

out:
    free(ae);
    free(doc_start);
    return st;
}

/* The tables' keys and values as arrays indexed by slot. */
static dt_status unpack_tables(dt_daybuild *b)
{
    DT_CHECK(dt_malloc(&b->sender_ip, b->senders.count, sizeof *b->sender_ip, "senders"));
    DT_CHECK(dt_malloc(&b->sender_tally, b->senders.count, sizeof *b->sender_tally, "senders"));
    DT_CHECK(dt_malloc(&b->service_key, b->services.count, sizeof *b->service_key, "services"));
    DT_CHECK(
        dt_malloc(&b->service_packets, b->services.count, sizeof *b->service_packets, "services"));
    dt_u32map_unpack(&b->senders, b->sender_ip, b->sender_tally);
    dt_u32map_unpack(&b->services, b->service_key, b->service_packets);
    return DT_OK;
}

dt_status dt_daybuild_finish(dt_daybuild *b, dt_day *out)
{
    memset(out, 0, sizeof *out);
    dt_status st = DT_OK;
    uint32_t *sender_word = NULL, *service_rank = NULL;
    out->day = b->params.day;
    out->packets = b->packets;
    out->senders_seen = b->senders.count;

    DT_CHECK_GOTO(st, unpack_tables(b));
    if (b->unsorted)
        DT_CHECK_GOTO(st, dt_timesort(b->events, b->n_events));
    DT_CHECK_GOTO(st, select_active(b, out, &sender_word));
    DT_CHECK_GOTO(st, rank_services(b, out, &service_rank));
    DT_CHECK_GOTO(st, build_corpus(b, sender_word, service_rank, out));

out:
    free(sender_word);
    free(service_rank);
    if (st != DT_OK)
        dt_day_free(out);
    return st;
}

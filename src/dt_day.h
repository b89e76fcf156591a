/* One UTC day of traffic: its aggregates and its i-DarkVec corpus. */
#ifndef DT_DAY_H
#define DT_DAY_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* A (destination port, protocol) service; the fold-in service "other" has
 * proto = 0 and port = 0 and is flagged with is_other. Popularity counts the packets of
 * every sender, active or not, as i-DarkVec does (docs/corpus.md). */
typedef struct {
    uint16_t port;
    uint8_t proto;
    uint8_t is_other;
    uint64_t packets; /* packets of active and inactive senders */
} dt_service;

typedef struct {
    int32_t day;           /* days since 1970-01-01 (UTC) */
    int64_t packets;       /* IPv4 packets of the day after the BPF filter */
    uint32_t senders_seen; /* distinct source addresses */

    /* Active senders (more than min_packets packets), sorted by address. Word w of the
     * corpus is active sender w. */
    uint32_t n_active;
    uint32_t *active_ip;      /* host byte order */
    uint32_t *active_packets; /* packets that day */
    uint8_t *active_mirai;    /* 1 when any of its packets had the Mirai fingerprint */

    /* Services by packets, busiest first (ties: lower port, then lower protocol); at most
     * top_services of them, then "other" last when anything folded into it. */
    uint32_t n_services;
    dt_service *services;

    /* The corpus: sentence s holds words[sentence_start[s] .. sentence_start[s+1]). One
     * document per service (active senders in time order, consecutive repeats collapsed),
     * cut into consecutive sentences of at most max_sentence words (never truncated).
     * Documents follow the services' order; a service without active senders has none.
     * Equal timestamps keep the packets' arrival order. */
    size_t n_sentences;
    size_t *sentence_start; /* n_sentences + 1 offsets */
    size_t n_words;
    uint32_t *words;            /* indexes into the active arrays */
    uint32_t *sentence_service; /* per sentence: index into services */

    /* Per active sender, its packets by service (CSR): for active sender w, entries
     * sender_service_start[w] .. sender_service_start[w+1] of sender_service (index into
     * services) and sender_service_packets. Lets later stages name a cluster's ports. */
    size_t *sender_service_start;
    uint32_t *sender_service;
    uint32_t *sender_service_packets;
} dt_day;

/* Frees what d owns and zeroes it; NULL and a zeroed day are accepted. A consumer that
 * keeps a day handed to it moves the struct out and zeroes the original. */
void dt_day_free(dt_day *d);

/* Active senders with the Mirai fingerprint. */
uint32_t dt_day_mirai_count(const dt_day *d);

/* Writes the day as ISO date YYYY-MM-DD into buf (at least 11 bytes; days far outside
 * years 0..9999 print as a plain number). */
void dt_day_format_date(int32_t day, char *buf, size_t len);

#endif

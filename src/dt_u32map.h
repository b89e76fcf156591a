/* An open-addressing hash table from 32-bit keys to dense indexes in insertion order, with
 * a 64-bit value kept in the slot itself, so a lookup and an update touch one cache line. */
#ifndef DT_U32MAP_H
#define DT_U32MAP_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* One table slot: the key, its index plus one (0 marks an empty slot, so every key, 0
 * included, can be stored) and the caller's value (0 when the key is added). */
typedef struct {
    uint32_t key;
    uint32_t index1;
    uint64_t value;
} dt_u32map_slot;

/* Interns keys: the n-th distinct key gets index n - 1. Linear probing over a power-of-two
 * table kept at most 3/4 full, so a lookup usually touches one cache line. */
typedef struct {
    dt_u32map_slot *slots;
    uint32_t mask;  /* table size - 1 */
    uint32_t shift; /* 32 - log2(table size), for Fibonacci hashing */
    uint32_t count; /* distinct keys stored */
} dt_u32map;

/* Prepares an empty map sized for about expected keys; it grows as needed. Free with
 * dt_u32map_free. Errors: DT_ERR_NOMEM. */
dt_status dt_u32map_init(dt_u32map *m, size_t expected);

/* Frees the table and zeroes m; a zeroed map is accepted. */
void dt_u32map_free(dt_u32map *m);

/* Doubles the table (called by dt_u32map_intern when it is 3/4 full). */
dt_status dt_u32map_grow(dt_u32map *m);

/* Copies keys and values into arrays indexed by each key's index (count entries each;
 * either may be NULL). */
void dt_u32map_unpack(const dt_u32map *m, uint32_t *keys, uint64_t *values);

/* Fibonacci hashing: the top bits of key times 2^32 / golden ratio. */
static inline uint32_t dt_u32map_home(const dt_u32map *m, uint32_t key)
{
    return (uint32_t)(key * 2654435769u) >> m->shift;
}

/* Insertions left before the table passes 3/4 full and must grow. */
static inline size_t dt_u32map_room(const dt_u32map *m)
{
    size_t limit = ((size_t)m->mask + 1) / 4 * 3;
    return limit > m->count ? limit - m->count : 0;
}

/* The slot of key, inserting it (as index count, value 0) when absent; *added says which.
 * The slot pointer stays valid until the next insertion. At most 2^32 - 2 keys.
 * Errors: DT_ERR_NOMEM when the table cannot grow. */
static inline dt_status dt_u32map_intern(dt_u32map *m, uint32_t key, dt_u32map_slot **slot,
                                         int *added)
{
    uint32_t at = dt_u32map_home(m, key);
    for (;;) {
        dt_u32map_slot *s = &m->slots[at];
        if (s->index1 == 0)
            break;
        if (s->key == key) {
            *slot = s;
            *added = 0;
            return DT_OK;
        }
        at = (at + 1) & m->mask;
    }

    if (dt_u32map_room(m) == 0) {
        DT_CHECK(dt_u32map_grow(m));
        return dt_u32map_intern(m, key, slot, added);
    }
    m->slots[at].key = key;
    m->slots[at].index1 = ++m->count;
    m->slots[at].value = 0;
    *slot = &m->slots[at];
    *added = 1;
    return DT_OK;
}

#endif

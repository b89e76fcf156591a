/* An open-addressing hash table from 32-bit keys to dense indexes: setup and growth. */
#include "dt_u32map.h"

#include <stdlib.h>
#include <string.h>

static dt_status allocate(dt_u32map *m, uint32_t log2_size)
{
    dt_u32map_slot *slots = NULL;
    DT_CHECK(dt_calloc(&slots, (size_t)1 << log2_size, sizeof *slots, "hash table"));
    m->slots = slots;
    m->mask = (uint32_t)(((size_t)1 << log2_size) - 1);
    m->shift = 32 - log2_size;
    return DT_OK;
}

dt_status dt_u32map_init(dt_u32map *m, size_t expected)
{
    memset(m, 0, sizeof *m);
    uint32_t log2_size = 4;
    while (log2_size < 31 && ((size_t)1 << log2_size) < 2 * expected)
        log2_size++;
    return allocate(m, log2_size);
}

void dt_u32map_free(dt_u32map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

dt_status dt_u32map_grow(dt_u32map *m)
{
    uint32_t log2_size = 32 - m->shift + 1;
    if (log2_size > 31)
        return dt_fail(DT_ERR_NOMEM, "hash table of %u keys cannot grow further", m->count);

    dt_u32map old = *m;
    DT_CHECK(allocate(m, log2_size));

    /* Reinsert every key at its new home; indexes keep their values. */
    for (size_t i = 0; i <= old.mask; i++) {
        if (old.slots[i].index1 == 0)
            continue;
        uint32_t at = dt_u32map_home(m, old.slots[i].key);
        while (m->slots[at].index1 != 0)
            at = (at + 1) & m->mask;
        m->slots[at] = old.slots[i];
    }
    free(old.slots);
    return DT_OK;
}

void dt_u32map_unpack(const dt_u32map *m, uint32_t *keys, uint64_t *values)
{
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        const dt_u32map_slot *s = &m->slots[i];
        if (s->index1 == 0)
            continue;
        if (keys)
            keys[s->index1 - 1] = s->key;
        if (values)
            values[s->index1 - 1] = s->value;
    }
}

/* IPv4 address maps and random public addresses. */
#include "synth_addr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t slot_of(uint32_t ip, size_t capacity)
{
    return (size_t)(dt_mix64(ip) & (capacity - 1));
}

dt_status synth_ipmap_init(synth_ipmap *map, size_t expected)
{
    size_t capacity = 64;
    while (capacity < 2 * expected)
        capacity *= 2;

    memset(map, 0, sizeof *map);
    DT_CHECK(dt_calloc(&map->keys, capacity, sizeof *map->keys, "address map keys"));
    dt_status st = dt_calloc(&map->values, capacity, sizeof *map->values, "address map");
    if (st != DT_OK) {
        free(map->keys);
        map->keys = NULL;
        return st;
    }
    map->capacity = capacity;
    return DT_OK;
}

void synth_ipmap_free(synth_ipmap *map)
{
    free(map->keys);
    free(map->values);
    memset(map, 0, sizeof *map);
}

void synth_ipmap_clear(synth_ipmap *map)
{
    memset(map->keys, 0, map->capacity * sizeof *map->keys);
    memset(map->values, 0, map->capacity * sizeof *map->values);
    map->count = 0;
}

uint32_t *synth_ipmap_find(const synth_ipmap *map, uint32_t ip)
{
    size_t mask = map->capacity - 1;
    for (size_t i = slot_of(ip, map->capacity);; i = (i + 1) & mask) {
        if (map->keys[i] == ip)
            return &map->values[i];
        if (map->keys[i] == 0)
            return NULL;
    }
}

/* Doubles the table and reinserts every key. */
static dt_status grow(synth_ipmap *map)
{
    synth_ipmap bigger;
    DT_CHECK(synth_ipmap_init(&bigger, map->capacity));

    size_t mask = bigger.capacity - 1;
    for (size_t i = 0; i < map->capacity; i++) {
        if (map->keys[i] == 0)
            continue;
        size_t j = slot_of(map->keys[i], bigger.capacity);
        while (bigger.keys[j] != 0)
            j = (j + 1) & mask;
        bigger.keys[j] = map->keys[i];
        bigger.values[j] = map->values[i];
    }
    bigger.count = map->count;

    synth_ipmap_free(map);
    *map = bigger;
    return DT_OK;
}

dt_status synth_ipmap_upsert(synth_ipmap *map, uint32_t ip, uint32_t **slot, int *added)
{
    if (ip == 0)
        return dt_fail(DT_ERR_INTERNAL, "address 0.0.0.0 cannot be a map key");
    if (2 * (map->count + 1) > map->capacity)
        DT_CHECK(grow(map));

    size_t mask = map->capacity - 1;
    size_t i = slot_of(ip, map->capacity);
    while (map->keys[i] != 0 && map->keys[i] != ip)
        i = (i + 1) & mask;

    *added = map->keys[i] == 0;
    if (*added) {
        map->keys[i] = ip;
        map->count++;
    }
    *slot = &map->values[i];
    return DT_OK;
}

int synth_addr_is_public(uint32_t ip, uint32_t avoid_prefix24)
{
    uint32_t a = ip >> 24, b = (ip >> 16) & 0xff;
    uint32_t host = ip & 0xff;

    if (a == 0 || a == 10 || a == 127 || a >= 224)
        return 0;
    if ((a == 100 && (b & 0xc0) == 64) || (a == 169 && b == 254))
        return 0;
    if ((a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168))
        return 0;
    if ((ip >> 8) == 0xc00000u || (ip >> 8) == 0xc00002u || (ip >> 8) == 0xc63364u)
        return 0; /* 192.0.0/24, 192.0.2/24 and 198.51.100/24 are reserved */
    if ((ip >> 8) == (avoid_prefix24 >> 8))
        return 0;
    return host != 0 && host != 255;
}

dt_status synth_addr_fresh(dt_rng *rng, uint32_t avoid_prefix24, synth_ipmap *used, uint32_t *ip)
{
    for (;;) {
        uint32_t candidate = (uint32_t)dt_rng_next(rng);
        if (!synth_addr_is_public(candidate, avoid_prefix24))
            continue;

        uint32_t *slot;
        int added;
        DT_CHECK(synth_ipmap_upsert(used, candidate, &slot, &added));
        if (added) {
            *ip = candidate;
            return DT_OK;
        }
    }
}

void synth_addr_format(uint32_t ip, char *buf, size_t size)
{
    snprintf(buf, size, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

int synth_addr_parse(const char *text, uint32_t *ip)
{
    uint32_t value = 0;
    const char *p = text;
    for (int part = 0; part < 4; part++) {
        if (*p < '0' || *p > '9')
            return 0;
        char *end;
        unsigned long octet = strtoul(p, &end, 10);
        if (octet > 255 || end - p > 3)
            return 0;
        value = (value << 8) | (uint32_t)octet;
        p = end;
        if (part < 3 && *p++ != '.')
            return 0;
    }
    if (*p != '\0')
        return 0;
    *ip = value;
    return 1;
}

/* IPv4 address sets, counters and random public addresses for the synthetic telescope. */
#ifndef SYNTH_ADDR_H
#define SYNTH_ADDR_H

#include "dt_rng.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* An open-addressing map from IPv4 address (host order, never 0) to a 32-bit value. A set
 * is a map whose values are ignored. Grows as needed; free with synth_ipmap_free. */
typedef struct {
    uint32_t *keys;   /* 0 marks an empty slot */
    uint32_t *values; /* parallel to keys */
    size_t capacity;  /* a power of two */
    size_t count;
} synth_ipmap;

/* Prepares an empty map sized for about `expected` keys. */
dt_status synth_ipmap_init(synth_ipmap *map, size_t expected);

void synth_ipmap_free(synth_ipmap *map);

/* Forgets every key, keeping the memory. */
void synth_ipmap_clear(synth_ipmap *map);

/* The value slot of ip, or NULL when ip is absent. */
uint32_t *synth_ipmap_find(const synth_ipmap *map, uint32_t ip);

/* The value slot of ip, inserting it with value 0 when absent; *added says which. */
dt_status synth_ipmap_upsert(synth_ipmap *map, uint32_t ip, uint32_t **slot, int *added);

/* 1 when ip is a unicast address that may appear as a sender on the public Internet
 * (not private, loopback, link-local, shared, multicast, reserved or in `avoid`/24). */
int synth_addr_is_public(uint32_t ip, uint32_t avoid_prefix24);

/* A random public address that is not yet in `used`, which it is added to. */
dt_status synth_addr_fresh(dt_rng *rng, uint32_t avoid_prefix24, synth_ipmap *used, uint32_t *ip);

/* Writes dotted-quad text of ip into buf (at least 16 bytes). */
void synth_addr_format(uint32_t ip, char *buf, size_t size);

/* Parses a dotted quad; returns 1 on success. */
int synth_addr_parse(const char *text, uint32_t *ip);

#endif

/* Deterministic random streams derived from (seed, day, purpose, index). */
#ifndef DT_RNG_H
#define DT_RNG_H

#include <stdint.h>

/* xoshiro256** state. Never seeded from the clock: every stream is a pure function of
 * its key, so runs are reproducible. */
typedef struct {
    uint64_t s[4];
} dt_rng;

/* Purposes keep the streams of different stages independent. */
enum {
    DT_RNG_W2V_INIT = 1,  /* initial vectors of new senders */
    DT_RNG_W2V_TRAIN = 2, /* negative sampling and window shrinking */
    DT_RNG_SYNTH = 3,     /* the synthetic telescope */
    DT_RNG_TEST = 4       /* tests */
};

/* Seeds rng from the key (seed, day, purpose, index). */
void dt_rng_init(dt_rng *rng, uint64_t seed, int64_t day, uint32_t purpose, uint64_t index);

uint64_t dt_rng_next(dt_rng *rng);

/* Uniform in [0, 1). */
double dt_rng_uniform(dt_rng *rng);

/* Uniform in [0, bound) without modulo bias; bound > 0. */
uint64_t dt_rng_below(dt_rng *rng, uint64_t bound);

/* SplitMix64 mixing step, useful as a hash of 64-bit keys. */
uint64_t dt_mix64(uint64_t x);

#endif

/* xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64. */
#include "dt_rng.h"

uint64_t dt_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void dt_rng_init(dt_rng *rng, uint64_t seed, int64_t day, uint32_t purpose, uint64_t index)
{
    uint64_t key = dt_mix64(seed);
    key = dt_mix64(key ^ (uint64_t)day);
    key = dt_mix64(key ^ purpose);
    key = dt_mix64(key ^ index);
    for (int i = 0; i < 4; i++) {
        key = dt_mix64(key);
        rng->s[i] = key;
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t dt_rng_next(dt_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double dt_rng_uniform(dt_rng *rng)
{
    return (double)(dt_rng_next(rng) >> 11) * 0x1.0p-53;
}

uint64_t dt_rng_below(dt_rng *rng, uint64_t bound)
{
    /* Lemire's nearly divisionless method would do; rejection keeps it obvious. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x;
    do {
        x = dt_rng_next(rng);
    } while (x >= limit);
    return x % bound;
}

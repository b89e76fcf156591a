/* Random streams: reproducible for a key, distinct across keys, unbiased enough. */
#include "dt_rng.h"
#include "dt_test.h"

DT_TEST_MAIN_STATE;

int main(void)
{
    dt_rng a, b, c;
    dt_rng_init(&a, 7, 3, DT_RNG_TEST, 0);
    dt_rng_init(&b, 7, 3, DT_RNG_TEST, 0);
    dt_rng_init(&c, 7, 4, DT_RNG_TEST, 0);
    int same = 1, differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = dt_rng_next(&a);
        same &= x == dt_rng_next(&b);
        differ += x != dt_rng_next(&c);
    }
    CHECK(same);
    CHECK(differ > 990);

    /* Ten bins of 100,000 draws: each within 2% of its expectation. */
    long bins[10] = {0};
    for (int i = 0; i < 100000; i++)
        bins[dt_rng_below(&a, 10)]++;
    for (int i = 0; i < 10; i++)
        CHECK(bins[i] > 9800 && bins[i] < 10200);

    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = dt_rng_uniform(&a);
        CHECK(u >= 0 && u < 1);
        sum += u;
    }
    CHECK_NEAR(sum / 100000, 0.5, 0.01);
    return dt_test_finish("test_rng");
}

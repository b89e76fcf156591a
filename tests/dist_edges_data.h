/* Synthetic vector sets for the distributed-edges tests: clustered blobs with noise, with
 * exact duplicates, and low-dimensional integer points full of tied distances. */
#ifndef DIST_EDGES_DATA_H
#define DIST_EDGES_DATA_H

#include "dt_rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A standard normal deviate (Box-Muller). */
static double data_normal(dt_rng *rng)
{
    double u = dt_rng_uniform(rng), v = dt_rng_uniform(rng);
    return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

/* Blobs: about 90% of the rows around one of `groups` random centres, the rest spread
 * everywhere; rows x dim floats. */
static void data_blobs(float *x, size_t rows, int dim, int groups, double spread, uint64_t seed)
{
    dt_rng rng;
    dt_rng_init(&rng, seed, 0, DT_RNG_TEST, 1);
    float *centre = malloc((size_t)groups * (size_t)dim * sizeof(float));
    for (size_t t = 0; t < (size_t)groups * (size_t)dim; t++)
        centre[t] = (float)data_normal(&rng);
    for (size_t i = 0; i < rows; i++) {
        int noise = dt_rng_uniform(&rng) < 0.1;
        size_t g = dt_rng_below(&rng, (uint64_t)groups);
        for (int d = 0; d < dim; d++) {
            double base = noise ? 0.0 : (double)centre[g * (size_t)dim + (size_t)d];
            double scale = noise ? 1.0 : spread;
            x[i * (size_t)dim + (size_t)d] = (float)(base + scale * data_normal(&rng));
        }
    }
    free(centre);
}

/* Blobs, then exact copies: one group of `big` identical rows (when big > 1), ten groups of 3
 * copies, and a row that is a positive multiple of another (same direction, cosine
 * distance 0). */
static void data_duplicates(float *x, size_t rows, int dim, size_t big, uint64_t seed)
{
    data_blobs(x, rows, dim, 5, 0.4, seed);
    size_t row_bytes = (size_t)dim * sizeof(float);
    for (size_t c = 1; c < big && c * 7 < rows; c++)
        memcpy(x + c * 7 * (size_t)dim, x, row_bytes);
    for (size_t g = 0; g < 10; g++)
        for (size_t c = 1; c < 3; c++) {
            size_t from = rows / 2 + g * 11, to = from + c * 3;
            if (to < rows)
                memcpy(x + to * (size_t)dim, x + from * (size_t)dim, row_bytes);
        }
    for (int d = 0; d < dim; d++)
        x[(rows - 1) * (size_t)dim + (size_t)d] = 4.0f * x[(rows - 2) * (size_t)dim + (size_t)d];
}

/* Points with integer coordinates 1..6 in a few dimensions: some rows share a direction
 * (cosine distance 0) and many pairs share a distance exactly. */
static void data_grid(float *x, size_t rows, int dim, uint64_t seed)
{
    dt_rng rng;
    dt_rng_init(&rng, seed, 0, DT_RNG_TEST, 2);
    for (size_t i = 0; i < rows; i++) {
        int zero = 1;
        for (int d = 0; d < dim; d++) {
            float v = (float)dt_rng_below(&rng, 6) + 1.0f;
            x[i * (size_t)dim + (size_t)d] = v;
            zero &= v == 0.0f;
        }
        if (zero)
            x[i * (size_t)dim] = 1.0f;
    }
}

/* Fills x by the data set's name; returns 0 for an unknown name. */
static int data_make(const char *name, float *x, size_t rows, int dim, uint64_t seed)
{
    if (strcmp(name, "blobs") == 0)
        data_blobs(x, rows, dim, 8, 0.35, seed);
    else if (strcmp(name, "duplicates") == 0)
        data_duplicates(x, rows, dim, 50, seed);
    else if (strcmp(name, "copies") == 0)
        data_duplicates(x, rows, dim, 1, seed);
    else if (strcmp(name, "spread") == 0)
        data_blobs(x, rows, dim, 1, 40.0, seed);
    else if (strcmp(name, "grid") == 0)
        data_grid(x, rows, dim, seed);
    else
        return 0;
    return 1;
}

#endif

/* Vectors files: a round trip keeps every bit; bad files give clear errors. */
#include "dt_status.h"
#include "dt_test.h"
#include "dt_vectors.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

static void test_round_trip(const char *path)
{
    enum { N = 7, DIM = 5 };
    uint32_t ips[N];
    float data[N * DIM];
    for (uint32_t i = 0; i < N; i++)
        ips[i] = 0xC0A80000u + i * 77u;
    for (int i = 0; i < N * DIM; i++)
        data[i] = (float)i * 0.37f - 3.1f;

    CHECK(dt_vectors_write(path, N, DIM, ips, data) == DT_OK);
    size_t n = 0, dim = 0;
    uint32_t *got_ips = NULL;
    float *got = NULL;
    CHECK(dt_vectors_read(path, &n, &dim, &got_ips, &got) == DT_OK);
    CHECK_EQ_INT(n, N);
    CHECK_EQ_INT(dim, DIM);
    if (got && got_ips) {
        CHECK(memcmp(got_ips, ips, sizeof ips) == 0);
        CHECK(memcmp(got, data, sizeof data) == 0);
    }
    free(got_ips);
    free(got);
}

static void test_bad_files(const char *dir)
{
    char path[4096];
    size_t n, dim;
    uint32_t *ips = NULL;
    float *data = NULL;

    snprintf(path, sizeof path, "%s/missing.nc", dir);
    CHECK(dt_vectors_read(path, &n, &dim, &ips, &data) == DT_ERR_IO);
    CHECK(strstr(dt_error_message(), "missing.nc") != NULL);

    snprintf(path, sizeof path, "%s/dt_garbage_%ld.nc", dir, (long)getpid());
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("not a netCDF file\n", f);
        fclose(f);
    }
    dt_status st = dt_vectors_read(path, &n, &dim, &ips, &data);
    CHECK(st == DT_ERR_IO || st == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "dt_garbage_") != NULL);
    CHECK(ips == NULL && data == NULL);
    remove(path);
}

int main(void)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/dt_test_vectors_%ld.nc", dir, (long)getpid());
    test_round_trip(path);
    remove(path);
    test_bad_files(dir);
    return dt_test_finish("test_vectors");
}

/* Plain-text vectors: addresses, headers, comments, and errors that name the line. */
#include "dt_test.h"
#include "dt_vectors.h"
#include "dt_vectors_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

static const char *write_text(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "test_vectors_text.%ld.txt", (long)getpid());
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_addresses_and_header(void)
{
    const char *path = write_text("ip,x0,x1,x2\n# a comment\n\n"
                                  "10.0.0.1, 1.5, -2, 3e-1\n"
                                  "192.168.1.255\t0 0.25 1\n");
    size_t n = 0, dim = 0;
    uint32_t *ips = NULL;
    float *x = NULL;
    int has_ips = 0;
    CHECK_EQ_INT(dt_vectors_text_read(path, &n, &dim, &ips, &x, &has_ips), DT_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(dim, 3);
    CHECK_EQ_INT(has_ips, 1);
    CHECK_EQ_INT(ips[0], 0x0A000001u);
    CHECK_EQ_INT(ips[1], 0xC0A801FFu);
    CHECK_NEAR(x[0], 1.5, 0);
    CHECK_NEAR(x[2], 0.3, 1e-7);
    CHECK_NEAR(x[4], 0.25, 0);
    CHECK(!dt_vectors_is_netcdf(path));
    free(ips);
    free(x);
    remove(path);
}

static void test_rows_without_addresses(void)
{
    const char *path = write_text("1 2\n3 4\n5 6\n");
    size_t n = 0, dim = 0;
    uint32_t *ips = NULL;
    float *x = NULL;
    int has_ips = 1;
    CHECK_EQ_INT(dt_vectors_text_read(path, &n, &dim, &ips, &x, &has_ips), DT_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(has_ips, 0);
    CHECK_EQ_INT(ips[2], 2);
    free(ips);
    free(x);
    remove(path);
}

static void expect_error(const char *text, dt_status code, const char *fragment)
{
    const char *path = write_text(text);
    size_t n = 0, dim = 0;
    uint32_t *ips = NULL;
    float *x = NULL;
    int has_ips = 0;
    CHECK_EQ_INT(dt_vectors_text_read(path, &n, &dim, &ips, &x, &has_ips), code);
    CHECK(ips == NULL && x == NULL);
    if (!strstr(dt_error_message(), fragment))
        fprintf(stderr, "message '%s' lacks '%s'\n", dt_error_message(), fragment);
    CHECK(strstr(dt_error_message(), fragment) != NULL);
    remove(path);
}

static void test_errors(void)
{
    expect_error("1 2 3\n4 5\n", DT_ERR_FORMAT, ":2: 2 components; the first row has 3");
    expect_error("1 2\n4 x\n", DT_ERR_FORMAT, ":2: field 2 is 'x'");
    expect_error("1 2\n1.2.3.4 4 5\n", DT_ERR_FORMAT, ":2: starts with an address");
    expect_error("1 nan\n", DT_ERR_FORMAT, "finite");
    expect_error("# nothing\n", DT_ERR_FORMAT, "no vectors");
    size_t n, dim;
    uint32_t *ips;
    float *x;
    int has;
    CHECK_EQ_INT(dt_vectors_text_read("/nonexistent/v.txt", &n, &dim, &ips, &x, &has), DT_ERR_IO);
}

static void test_netcdf_detected(void)
{
    char path[64];
    snprintf(path, sizeof path, "test_vectors_text.%ld.nc", (long)getpid());
    uint32_t ips[2] = {1, 2};
    float x[4] = {1, 0, 0, 1};
    CHECK_EQ_INT(dt_vectors_write(path, 2, 2, ips, x), DT_OK);
    CHECK(dt_vectors_is_netcdf(path));
    remove(path);
}

int main(void)
{
    test_addresses_and_header();
    test_rows_without_addresses();
    test_errors();
    test_netcdf_detected();
    return dt_test_finish("test_vectors_text");
}

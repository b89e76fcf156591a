/* Parameters: defaults, option text, INI files and their error messages. */
#include "dt_params.h"
#include "dt_test.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_defaults_match_paper(void)
{
    dt_params p;
    dt_params_defaults(&p);
    CHECK_EQ_INT(p.min_packets, 5);
    CHECK_EQ_INT(p.top_services, 2500);
    CHECK_EQ_INT(p.dim, 200);
    CHECK_EQ_INT(p.window, 5);
    CHECK_EQ_INT(p.negative, 5);
    CHECK_EQ_INT(p.forget_after, 31);
    CHECK_EQ_INT(p.min_cluster_size, 10);
    CHECK_EQ_INT(dt_params_min_samples(&p), 10);
    CHECK_NEAR(p.tau0, 0.65, 0);
    CHECK_NEAR(p.tau1, 0.3, 0);
    CHECK(dt_params_validate(&p) == DT_OK);
}

static void test_set_and_errors(void)
{
    dt_params p;
    dt_params_defaults(&p);
    CHECK(dt_params_set(&p, "min-cluster-size", "25", "--min-cluster-size") == DT_OK);
    CHECK(dt_params_set(&p, "min_samples", "7", "test") == DT_OK);
    CHECK_EQ_INT(p.min_cluster_size, 25);
    CHECK_EQ_INT(dt_params_min_samples(&p), 7);

    CHECK(dt_params_set(&p, "dim", "12x", "--dim") == DT_ERR_USAGE);
    CHECK(strstr(dt_error_message(), "12x") != NULL);
    CHECK(dt_params_set(&p, "no-such", "1", "--no-such") == DT_ERR_USAGE);
    CHECK(strstr(dt_error_message(), "no-such") != NULL);

    CHECK(dt_params_set(&p, "tau1", "0.9", "test") == DT_OK);
    CHECK(dt_params_validate(&p) == DT_ERR_USAGE);
    dt_params_free(&p);
}

static void test_ini_round_trip(void)
{
    char path[] = "/tmp/dt_params_XXXXXX";
    int fd = mkstemp(path);
    close(fd);

    dt_params p;
    dt_params_defaults(&p);
    CHECK(dt_params_set(&p, "bpf", "tcp or udp", "test") == DT_OK);
    CHECK(dt_params_set(&p, "tau0", "0.7", "test") == DT_OK);
    FILE *f = fopen(path, "w");
    dt_params_print(&p, f);
    fclose(f);

    dt_params q;
    dt_params_defaults(&q);
    CHECK(dt_params_load_ini(&q, path) == DT_OK);
    CHECK_STR(q.bpf, "tcp or udp");
    CHECK_NEAR(q.tau0, 0.7, 0);

    write_file(path, "[darktrack]\ndim = 16\nwindow = five\n");
    CHECK(dt_params_load_ini(&q, path) == DT_ERR_USAGE);
    char where[256];
    snprintf(where, sizeof where, "%s:3", path);
    CHECK(strstr(dt_error_message(), where) != NULL);

    dt_params_free(&p);
    dt_params_free(&q);
    unlink(path);
}

int main(void)
{
    test_defaults_match_paper();
    test_set_and_errors();
    test_ini_round_trip();
    return dt_test_finish("test_params");
}

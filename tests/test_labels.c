/* Ground-truth labels: the CSV reader and its errors, class precedence, majority and
 * purity. With a path argument it also loads the shared ground truth (skipped, exit 77,
 * when the file is absent) and checks counts taken from it with coreutils. */
#include "dt_labels.h"
#include "dt_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

static char path[] = "/tmp/dt_labels_XXXXXX";

static void write_csv(const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
    return (uint32_t)(a << 24 | b << 16 | c << 8 | d);
}

static void test_load_and_classes(void)
{
    write_csv("ip,class\r\n"
              "10.0.0.1,zeta\r\n"
              " 10.0.0.2 , alpha \n"
              "\n"
              "10.0.0.3,alpha\n"
              "10.0.0.3,alpha\n"
              "10.0.0.4,mirai-like\n"
              "10.0.0.5,unknown\n");
    dt_labels l;
    CHECK(dt_labels_load(&l, path) == DT_OK);

    /* Sorted CSV classes, then the two fixed ones; the reserved names are not repeated. */
    CHECK_EQ_INT(l.n_names, 4);
    CHECK_STR(l.names[0], "alpha");
    CHECK_STR(l.names[1], "zeta");
    CHECK_STR(l.names[2], "mirai-like");
    CHECK_STR(l.names[3], "unknown");
    CHECK_EQ_INT(l.mirai, 2);
    CHECK_EQ_INT(l.unknown, 3);
    char *joined = NULL;
    CHECK(dt_labels_join(&l, ",", &joined) == DT_OK);
    CHECK_STR(joined, "alpha,zeta,mirai-like,unknown");
    free(joined);

    /* The CSV class wins over the fingerprint; without a CSV class the fingerprint gives
     * mirai-like; "unknown" in the CSV is no entry at all. */
    CHECK_EQ_INT(dt_labels_of(&l, ip4(10, 0, 0, 1), 0), 1);
    CHECK_EQ_INT(dt_labels_of(&l, ip4(10, 0, 0, 1), 1), 1);
    CHECK_EQ_INT(dt_labels_of(&l, ip4(10, 0, 0, 2), 0), 0);
    CHECK_EQ_INT(dt_labels_of(&l, ip4(10, 0, 0, 4), 0), 2);
    CHECK_EQ_INT(dt_labels_of(&l, ip4(10, 0, 0, 5), 1), 2);
    CHECK_EQ_INT(dt_labels_of(&l, ip4(10, 0, 0, 5), 0), 3);
    CHECK_EQ_INT(dt_labels_of(&l, ip4(10, 0, 0, 9), 1), 2);
    CHECK_EQ_INT(dt_labels_of(&l, ip4(10, 0, 0, 9), 0), 3);
    dt_labels_free(&l);

    CHECK(dt_labels_load(&l, NULL) == DT_OK);
    CHECK_EQ_INT(l.n_names, 2);
    CHECK_STR(l.names[0], "mirai-like");
    CHECK_EQ_INT(dt_labels_of(&l, 5, 0), 1);
    dt_labels_free(&l);
}

/* Loads text and expects DT_ERR_FORMAT with "path:line" and a phrase in the message. */
static void expect_bad(const char *text, int line, const char *phrase)
{
    write_csv(text);
    dt_labels l;
    CHECK(dt_labels_load(&l, path) == DT_ERR_FORMAT);
    char where[64];
    snprintf(where, sizeof where, "%s:%d:", path, line);
    const char *msg = dt_error_message();
    CHECK(strstr(msg, where) != NULL);
    CHECK(strstr(msg, phrase) != NULL);
    if (!strstr(msg, where) || !strstr(msg, phrase))
        fprintf(stderr, "  message was: %s\n", msg);
    CHECK(l.names == NULL && l.n_known == 0);
}

static void test_bad_files(void)
{
    expect_bad("address,label\n1.2.3.4,x\n", 1, "header");
    expect_bad("ip,class\n1.2.3,x\n", 2, "not an IPv4 address");
    expect_bad("ip,class\n1.2.3.4,x\n256.1.1.1,x\n", 3, "not an IPv4 address");
    expect_bad("ip,class\n1.2.3.4\n", 2, "expected \"ip,class\"");
    expect_bad("ip,class\n1.2.3.4,a,b\n", 2, "expected \"ip,class\"");
    expect_bad("ip,class\n1.2.3.4,\n", 2, "bad class");
    expect_bad("ip,class\n1.2.3.4,two words\n", 2, "bad class");
    expect_bad("ip,class\n1.2.3.4,a\n5.6.7.8,b\n1.2.3.4,b\n", 4, "line 2 gave it a");

    write_csv("");
    dt_labels l;
    CHECK(dt_labels_load(&l, path) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "empty file") != NULL);
    CHECK(dt_labels_load(&l, "/nonexistent/gt.csv") == DT_ERR_IO);
    CHECK(strstr(dt_error_message(), "/nonexistent/gt.csv") != NULL);
}

static void test_majority_and_purity(void)
{
    write_csv("ip,class\n"
              "10.0.0.1,alpha\n10.0.0.2,alpha\n10.0.0.3,alpha\n"
              "10.0.1.1,alpha\n10.0.1.2,alpha\n10.0.1.3,zeta\n10.0.1.4,zeta\n"
              "10.0.9.9,alpha\n");
    dt_labels l;
    CHECK(dt_labels_load(&l, path) == DT_OK);

    /* Cluster 0: 3 alpha + 2 unknown -> alpha (0), purity 3/5.
     * Cluster 1: 2 alpha + 2 zeta -> a tie, the smaller index alpha (0), purity 2/4.
     * Cluster 2: 4 unknown -> unknown (3), purity 1: unknown can be the majority.
     * Cluster 3: 2 fingerprinted + 1 unknown -> mirai-like (2), purity 2/3.
     * The noise sender 10.0.9.9 (alpha) votes nowhere. */
    uint32_t ip[] = {ip4(10, 0, 0, 1), ip4(10, 0, 0, 2), ip4(10, 0, 0, 3), ip4(10, 0, 0, 7),
                     ip4(10, 0, 0, 8), ip4(10, 0, 1, 1), ip4(10, 0, 1, 2), ip4(10, 0, 1, 3),
                     ip4(10, 0, 1, 4), ip4(10, 0, 2, 1), ip4(10, 0, 2, 2), ip4(10, 0, 2, 3),
                     ip4(10, 0, 2, 4), ip4(10, 0, 3, 1), ip4(10, 0, 3, 2), ip4(10, 0, 3, 3),
                     ip4(10, 0, 9, 9)};
    int32_t cl[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, -1};
    uint8_t mirai[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0};
    dt_cluster_row rows[4];
    memset(rows, 0, sizeof rows);
    CHECK(dt_labels_clusters(&l, ip, mirai, cl, 17, rows, 4) == DT_OK);
    CHECK_EQ_INT(rows[0].label, 0);
    CHECK_NEAR(rows[0].purity, 0.6, 1e-6);
    CHECK_EQ_INT(rows[1].label, 0);
    CHECK_NEAR(rows[1].purity, 0.5, 1e-6);
    CHECK_EQ_INT(rows[2].label, 3);
    CHECK_NEAR(rows[2].purity, 1.0, 1e-6);
    CHECK_EQ_INT(rows[3].label, 2);
    CHECK_NEAR(rows[3].purity, 2.0 / 3.0, 1e-6);

    /* Without fingerprints cluster 3 is all unknown. */
    CHECK(dt_labels_clusters(&l, ip, NULL, cl, 17, rows, 4) == DT_OK);
    CHECK_EQ_INT(rows[3].label, 3);
    CHECK_NEAR(rows[3].purity, 1.0, 1e-6);

    cl[16] = 4;
    CHECK(dt_labels_clusters(&l, ip, mirai, cl, 17, rows, 4) == DT_ERR_INTERNAL);
    dt_labels_free(&l);
}

/* The shared ground truth: 35 classes and 9,125 distinct addresses (counted with
 * cut | sort -u); 1,035 addresses repeat with the same class, which is accepted. */
static int test_shared(const char *csv)
{
    if (access(csv, R_OK) != 0) {
        fprintf(stderr, "test_labels: %s absent, skipped\n", csv);
        return 77;
    }
    dt_labels l;
    CHECK(dt_labels_load(&l, csv) == DT_OK);
    CHECK_EQ_INT(l.n_names, 37);
    CHECK_EQ_INT(l.n_known, 9125);
    CHECK_STR(l.names[0], "alphastrike");
    CHECK_STR(l.names[34], "u_stanford");
    int32_t q = dt_labels_of(&l, ip4(71, 6, 232, 5), 1);
    CHECK(q >= 0 && q < (int32_t)l.n_names && strcmp(l.names[q], "quadmetrics") == 0);
    dt_labels_free(&l);
    return dt_test_finish("test_labels (shared)");
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return test_shared(argv[1]);
    int fd = mkstemp(path);
    close(fd);
    test_load_and_classes();
    test_bad_files();
    test_majority_and_purity();
    unlink(path);
    return dt_test_finish("test_labels");
}

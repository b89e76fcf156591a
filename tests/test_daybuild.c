/* The corpus rules on hand-written packet sequences; every expectation below was worked out
 * by hand from the rules in docs/corpus.md, not taken from the code's output. */
#include "corpus_helpers.h"
#include "dt_daybuild.h"
#include "dt_rng.h"
#include "dt_test.h"

DT_TEST_MAIN_STATE;

enum { TCP = DT_PROTO_TCP, UDP = DT_PROTO_UDP };

static dt_daybuild_params params_of(int min_packets, int top_services, int max_sentence)
{
    dt_daybuild_params p = {TEST_DAY, min_packets, top_services, max_sentence};
    return p;
}

/* Builds a day from n packets added in the given order. */
static void build(const dt_daybuild_params *p, const dt_packet *pkts, size_t n, dt_day *out)
{
    dt_daybuild *b = NULL;
    CHECK(dt_daybuild_new(p, 0, &b) == DT_OK);
    for (size_t i = 0; i < n; i++)
        CHECK(dt_daybuild_add(b, &pkts[i]) == DT_OK);
    CHECK(dt_daybuild_finish(b, out) == DT_OK);
    dt_daybuild_free(b);
}

static void check_sentence(const dt_day *d, size_t s, const char *expected)
{
    char buf[256];
    CHECK(s < d->n_sentences);
    if (s < d->n_sentences)
        CHECK_STR(sentence_text(d, s, buf, sizeof buf), expected);
}

/* Threshold and collapse: D (.9) sends exactly min_packets = 2 packets and is inactive;
 * its packets sit between two of B's on port 80, so B's repeat collapses. */
static void test_threshold_and_collapse(void)
{
    uint32_t a = ip4(10, 0, 0, 1), b = ip4(10, 0, 0, 2), c = ip4(10, 0, 0, 3);
    uint32_t d = ip4(10, 0, 0, 9);
    const dt_packet pkts[] = {
        packet_at(1, 0, a, 80, TCP),  packet_at(2, 0, a, 80, TCP),  packet_at(3, 0, b, 80, TCP),
        packet_at(4, 0, d, 80, TCP),  packet_at(5, 0, b, 80, TCP),  packet_at(6, 0, c, 80, TCP),
        packet_at(7, 0, d, 80, TCP),  packet_at(8, 0, a, 80, TCP),  packet_at(10, 0, b, 23, TCP),
        packet_at(11, 0, c, 23, TCP), packet_at(12, 0, c, 23, TCP),
    };
    dt_daybuild_params p = params_of(2, 2500, 10000);
    dt_day day;
    build(&p, pkts, sizeof pkts / sizeof pkts[0], &day);

    CHECK_EQ_INT(day.day, TEST_DAY);
    CHECK_EQ_INT(day.packets, 11);
    CHECK_EQ_INT(day.senders_seen, 4);
    CHECK_EQ_INT(day.n_active, 3);
    CHECK_EQ_INT(day.active_ip[0], a);
    CHECK_EQ_INT(day.active_ip[2], c);
    CHECK_EQ_INT(day.active_packets[0], 3);
    CHECK_EQ_INT(day.active_packets[1], 3);
    CHECK_EQ_INT(day.active_packets[2], 3);

    /* Port 80 counts D's packets too: 8 against port 23's 3. */
    CHECK_EQ_INT(day.n_services, 2);
    CHECK_EQ_INT(day.services[0].port, 80);
    CHECK_EQ_INT(day.services[0].packets, 8);
    CHECK_EQ_INT(day.services[1].port, 23);
    CHECK_EQ_INT(day.services[1].is_other, 0);

    CHECK_EQ_INT(day.n_sentences, 2);
    check_sentence(&day, 0, "1 2 3 1");
    check_sentence(&day, 1, "2 3");
    CHECK_EQ_INT(day.n_words, 6);
    CHECK_EQ_INT(day.sentence_service[1], 1);

    /* Per sender: A 80x3; B 80x2, 23x1; C 80x1, 23x2. */
    CHECK_EQ_INT(day.sender_service_start[1], 1);
    CHECK_EQ_INT(day.sender_service_start[3], 5);
    CHECK_EQ_INT(day.sender_service_packets[0], 3);
    CHECK_EQ_INT(day.sender_service[2], 1);
    CHECK_EQ_INT(day.sender_service_packets[2], 1);
    CHECK_EQ_INT(day.sender_service_packets[4], 2);
    dt_day_free(&day);
}

/* Packets added out of time order; equal times keep their arrival order. */
static void test_time_order(void)
{
    const dt_packet pkts[] = {
        packet_at(5, 0, ip4(10, 0, 0, 5), 80, TCP), packet_at(3, 7, ip4(10, 0, 0, 3), 80, TCP),
        packet_at(3, 7, ip4(10, 0, 0, 4), 80, TCP), packet_at(1, 0, ip4(10, 0, 0, 1), 80, TCP),
        packet_at(5, 0, ip4(10, 0, 0, 6), 80, TCP), packet_at(3, 7, ip4(10, 0, 0, 3), 80, TCP),
    };
    dt_daybuild_params p = params_of(0, 2500, 10000);
    dt_day day;
    build(&p, pkts, sizeof pkts / sizeof pkts[0], &day);
    CHECK_EQ_INT(day.n_active, 5);
    CHECK_EQ_INT(day.n_sentences, 1);
    check_sentence(&day, 0, "1 3 4 3 5 6");
    dt_day_free(&day);
}

/* Ten packets, two per service: every service ties, so rank is by port, then protocol. */
static void tie_packets(dt_packet *pkts)
{
    const dt_packet list[] = {
        packet_at(1, 0, ip4(10, 0, 0, 1), 80, TCP), packet_at(2, 0, ip4(10, 0, 0, 1), 53, UDP),
        packet_at(3, 0, ip4(10, 0, 0, 2), 23, TCP), packet_at(4, 0, ip4(10, 0, 0, 3), 22, TCP),
        packet_at(5, 0, ip4(10, 0, 0, 2), 80, TCP), packet_at(6, 0, ip4(10, 0, 0, 3), 23, TCP),
        packet_at(7, 0, ip4(10, 0, 0, 1), 22, TCP), packet_at(8, 0, ip4(10, 0, 0, 4), 53, UDP),
        packet_at(9, 0, ip4(10, 0, 0, 5), 53, TCP), packet_at(10, 0, ip4(10, 0, 0, 5), 53, TCP),
    };
    memcpy(pkts, list, sizeof list);
}

static void test_top_services_ties(int reversed)
{
    dt_packet pkts[10], added[10];
    tie_packets(pkts);
    for (int i = 0; i < 10; i++)
        added[i] = pkts[reversed ? 9 - i : i];

    /* Top 2: 22/TCP and 23/TCP; 53/TCP, 53/UDP and 80/TCP fold into other (6 packets). */
    dt_daybuild_params p = params_of(0, 2, 10000);
    dt_day day;
    build(&p, added, 10, &day);
    CHECK_EQ_INT(day.n_services, 3);
    CHECK_EQ_INT(day.services[0].port, 22);
    CHECK_EQ_INT(day.services[1].port, 23);
    CHECK_EQ_INT(day.services[2].is_other, 1);
    CHECK_EQ_INT(day.services[2].port, 0);
    CHECK_EQ_INT(day.services[2].proto, 0);
    CHECK_EQ_INT(day.services[2].packets, 6);
    CHECK_EQ_INT(day.n_sentences, 3);
    check_sentence(&day, 0, "3 1");
    check_sentence(&day, 1, "2 3");
    check_sentence(&day, 2, "1 2 4 5"); /* .1 to 80 then to 53/UDP: one word in other */
    dt_day_free(&day);

    /* Top 3: 53/TCP wins the tie with 53/UDP on the protocol number. */
    p.top_services = 3;
    build(&p, added, 10, &day);
    CHECK_EQ_INT(day.n_services, 4);
    CHECK_EQ_INT(day.services[2].port, 53);
    CHECK_EQ_INT(day.services[2].proto, TCP);
    CHECK_EQ_INT(day.services[3].packets, 4);
    check_sentence(&day, 2, "5");
    check_sentence(&day, 3, "1 2 4");
    dt_day_free(&day);

    /* Top 5: nothing folds, so there is no other service. */
    p.top_services = 5;
    build(&p, added, 10, &day);
    CHECK_EQ_INT(day.n_services, 5);
    CHECK_EQ_INT(day.services[4].port, 80);
    CHECK_EQ_INT(day.services[4].is_other, 0);
    dt_day_free(&day);
}

/* 25,000 distinct senders in a row on one service: sentences of 10,000, 10,000 and 5,000
 * words, together the whole document in time order. Addresses are a permutation of time
 * order, so word k (the k-th packet) is sender (k * 7919) mod 25,000 by address. */
static void test_long_document(void)
{
    enum { N = 25000 };
    dt_daybuild_params p = params_of(0, 2500, 10000);
    dt_daybuild *b = NULL;
    CHECK(dt_daybuild_new(&p, 0, &b) == DT_OK);
    for (uint32_t k = 0; k < N; k++) {
        dt_packet pkt = packet_at(k, 0, ip4(10, 0, 0, 0) + (k * 7919u) % N, 23, TCP);
        CHECK(dt_daybuild_add(b, &pkt) == DT_OK);
    }
    dt_day day;
    CHECK(dt_daybuild_finish(b, &day) == DT_OK);
    dt_daybuild_free(b);

    CHECK_EQ_INT(day.n_sentences, 3);
    CHECK_EQ_INT(day.n_words, N);
    CHECK_EQ_INT(day.sentence_start[0], 0);
    CHECK_EQ_INT(day.sentence_start[1], 10000);
    CHECK_EQ_INT(day.sentence_start[2], 20000);
    CHECK_EQ_INT(day.sentence_start[3], 25000);
    size_t wrong = 0;
    for (uint32_t k = 0; k < N; k++)
        wrong += day.words[k] != (k * 7919u) % N;
    CHECK_EQ_INT(wrong, 0);
    dt_day_free(&day);
}

/* The fingerprint marks an active sender when any one of its packets carries it. */
static void test_mirai(void)
{
    dt_packet pkts[17];
    for (int i = 0; i < 6; i++) {
        pkts[i] = packet_at(i, 0, ip4(10, 0, 0, 7), 23, TCP);
        pkts[i].mirai = i == 3;
        pkts[6 + i] = packet_at(i, 1, ip4(10, 0, 0, 8), 23, TCP);
    }
    for (int i = 0; i < 5; i++) {
        pkts[12 + i] = packet_at(i, 2, ip4(10, 0, 0, 9), 23, TCP);
        pkts[12 + i].mirai = 1;
    }
    dt_daybuild_params p = params_of(5, 2500, 10000);
    dt_day day;
    build(&p, pkts, 17, &day);
    CHECK_EQ_INT(day.n_active, 2);
    CHECK_EQ_INT(day.active_mirai[0], 1);
    CHECK_EQ_INT(day.active_mirai[1], 0);
    CHECK_EQ_INT(dt_day_mirai_count(&day), 1);
    dt_day_free(&day);
}

/* The service a packet lands in, found by brute force from the day's service list. */
static uint32_t service_of(const dt_day *d, const dt_packet *p)
{
    for (uint32_t f = 0; f < d->n_services; f++)
        if (!d->services[f].is_other && d->services[f].port == p->dport &&
            d->services[f].proto == p->proto)
            return f;
    return d->n_services - 1;
}

/* The per-sender service table against a count over every packet for every entry, on
 * random traffic; and each sender's entries strictly increasing, covering its packets. */
static void test_sender_services_random(void)
{
    enum { N = 3000 };
    static dt_packet pkts[N];
    dt_rng rng;
    dt_rng_init(&rng, 11, 0, 0, 0);
    for (int i = 0; i < N; i++) {
        uint16_t port = (uint16_t)(20 + dt_rng_below(&rng, 12));
        uint8_t proto = dt_rng_below(&rng, 4) == 0 ? UDP : TCP;
        pkts[i] = packet_at(i / 7, 0, ip4(10, 0, 1, (unsigned)dt_rng_below(&rng, 30)), port, proto);
    }
    dt_daybuild_params p = params_of(100, 5, 10000); /* about half the senders */
    dt_day day;
    build(&p, pkts, N, &day);
    CHECK(day.n_active > 5 && day.n_active < 30);
    CHECK_EQ_INT(day.n_services, 6);

    size_t wrong = 0;
    for (uint32_t w = 0; w < day.n_active; w++) {
        uint64_t covered = 0;
        for (size_t e = day.sender_service_start[w]; e < day.sender_service_start[w + 1]; e++) {
            uint32_t f = day.sender_service[e];
            uint32_t count = 0;
            for (int i = 0; i < N; i++)
                count += pkts[i].src == day.active_ip[w] && service_of(&day, &pkts[i]) == f;
            wrong += count != day.sender_service_packets[e] || count == 0;
            wrong += e > day.sender_service_start[w] && day.sender_service[e - 1] >= f;
            covered += count;
        }
        wrong += covered != day.active_packets[w];
    }
    CHECK_EQ_INT(wrong, 0);
    dt_day_free(&day);
}

static void test_empty_and_bad(void)
{
    dt_daybuild_params p = params_of(5, 2500, 10000);
    dt_day day;
    build(&p, NULL, 0, &day);
    CHECK_EQ_INT(day.packets, 0);
    CHECK_EQ_INT(day.n_active, 0);
    CHECK_EQ_INT(day.n_services, 0);
    CHECK_EQ_INT(day.n_sentences, 0);
    CHECK_EQ_INT(day.sentence_start[0], 0);
    dt_day_free(&day);

    dt_daybuild *b = NULL;
    p.top_services = 0;
    CHECK(dt_daybuild_new(&p, 0, &b) == DT_ERR_USAGE);
    CHECK(b == NULL);
}

static void test_dates(void)
{
    char buf[16];
    dt_day_format_date(TEST_DAY, buf, sizeof buf);
    CHECK_STR(buf, "2021-03-01");
    dt_day_format_date(0, buf, sizeof buf);
    CHECK_STR(buf, "1970-01-01");
    dt_day_format_date(11016, buf, sizeof buf); /* a leap day */
    CHECK_STR(buf, "2000-02-29");
    dt_day_format_date(-1, buf, sizeof buf);
    CHECK_STR(buf, "1969-12-31");
}

int main(void)
{
    test_threshold_and_collapse();
    test_time_order();
    test_top_services_ties(0);
    test_top_services_ties(1);
    test_long_document();
    test_mirai();
    test_sender_services_random();
    test_empty_and_bad();
    test_dates();
    return dt_test_finish("test_daybuild");
}

/* libFuzzer target: a whole capture file, read through darktrack's reader to the end. */
#define _GNU_SOURCE
#include "dt_capture.h"
#include "dt_log.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    dt_log_init(DT_LOG_ERROR, 0); /* the warnings are built, not printed */
    return 0;
}

/* The input goes through a memory-backed file, so the reader takes its real path: a
 * descriptor handed to zlib and then to libpcap. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-capture", MFD_CLOEXEC);
    if (fd < 0)
        abort();
    if (size && write(fd, data, size) != (ssize_t)size)
        abort();
    if (lseek(fd, 0, SEEK_SET) != 0)
        abort();

    dt_capture *cap = NULL;
    if (dt_capture_open_fd(fd, "fuzz-input", NULL, &cap) != DT_OK)
        return 0;

    int64_t ts;
    int has;
    dt_packet pkt;
    int got = 1;
    if (dt_capture_peek_time(cap, &ts, &has) == DT_OK) {
        while (got && dt_capture_next(cap, &pkt, &got) == DT_OK) {
        }
    }

    /* The counts must add up whatever the file held. */
    const dt_capture_counts *c = dt_capture_get_counts(cap);
    if (c->records != c->ipv4 + c->ipv6 + c->other + c->filtered + c->malformed)
        abort();
    dt_capture_close(cap);
    return 0;
}

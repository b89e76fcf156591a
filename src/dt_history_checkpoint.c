/* The checkpoint side of the commit protocol: names, the one to resume from, pruning. */
#include "dt_day.h"
#include "dt_history.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void dt_history_checkpoint_path(const char *history, int32_t day, char *buf, size_t len)
{
    char date[16];
    dt_day_format_date(day, date, sizeof date);
    snprintf(buf, len, "%s.ckpt-%s.nc", history, date);
}

int dt_history_resume_checkpoint(const dt_history *h, char *buf, size_t len)
{
    int32_t last = 0;
    if (!dt_history_last_day(h, &last))
        return 0;
    dt_history_checkpoint_path(dt_history_path(h), last, buf, len);
    return 1;
}

dt_status dt_history_prune_checkpoints(const dt_history *h)
{
    size_t n = 0;
    const int32_t *days = dt_history_days(h, &n);
    for (size_t i = 0; i + 2 < n; i++) {
        char path[4096];
        dt_history_checkpoint_path(dt_history_path(h), days[i], path, sizeof path);
        if (unlink(path) != 0 && errno != ENOENT)
            return dt_fail(DT_ERR_IO, "%s: cannot remove an old checkpoint: %s", path,
                           strerror(errno));
    }
    return DT_OK;
}

/* Reading a corpus written as text: one sentence a line, words as dotted IPv4 addresses. */
#ifndef W2V_TEXT_H
#define W2V_TEXT_H

#include "dt_day.h"
#include "dt_status.h"

/* Reads path into d: active senders are the distinct addresses in address order, words
 * index them, one sentence per non-empty line. Errors: DT_ERR_IO, DT_ERR_FORMAT naming the
 * line and the word that is not an IPv4 address. Free with w2v_text_free. */
dt_status w2v_text_read(const char *path, dt_day *d);

void w2v_text_free(dt_day *d);

#endif

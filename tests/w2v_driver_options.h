/* Options of the Word2Vec test driver: Word2Vec parameters, the planted corpus, checks. */
#ifndef W2V_DRIVER_OPTIONS_H
#define W2V_DRIVER_OPTIONS_H

#include "dt_params.h"
#include "dt_train_mpi.h"
#include "dt_w2v.h"
#include "w2v_support.h"

typedef struct {
    dt_params params;
    w2v_planted planted;
    int days;
    int split_at; /* > 0: also run days 1..split_at, checkpoint, reload, run the rest */
    int repeat;   /* run twice from scratch and compare */
    int serial;   /* also train serially (one rank only) and compare */
    int corrupt;  /* rank 0 damages the last day's corpus: every rank must fail cleanly */
    double min_knn;
    dt_train_merge merge;
    dt_w2v_kernel kernel;
    const char *vectors_out;
    const char *corpus_out;
    const char *labels_out;
    const char *checkpoint;
} options;

/* Fills opt from "--name value" or "--name=value" arguments; names not listed in the
 * driver's table are darktrack parameters (dt_params_set). Returns 1, or 0 after printing
 * what is wrong. */
int w2v_driver_parse(int argc, char **argv, options *opt);

#endif

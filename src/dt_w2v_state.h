/* Internal access to the model's rows for the checkpoint reader. */
#ifndef DT_W2V_STATE_H
#define DT_W2V_STATE_H

#include "dt_w2v.h"

/* Sets the row count to rows, growing the arrays; new rows are uninitialised and the
 * address map must be rebuilt with dt_w2v_model_reindex once they are filled. */
dt_status dt_w2v_model_set_rows(dt_w2v_model *m, size_t rows);

/* Rebuilds the address map from the rows. Errors: DT_ERR_FORMAT for a repeated address. */
dt_status dt_w2v_model_reindex(dt_w2v_model *m);

#endif

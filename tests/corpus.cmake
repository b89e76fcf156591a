# Tests of the day builder, the corpus rules, day binning, ingest and darktrack stats.
dt_add_unit_test(test_daybuild SOURCES test_daybuild.c LABELS corpus)
dt_add_unit_test(test_daybin SOURCES test_daybin.c LABELS corpus)

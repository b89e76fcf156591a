# Tests of the core helpers: parameters, INI files, status messages, random streams.
dt_add_unit_test(test_params SOURCES test_params.c)
dt_add_unit_test(test_rng SOURCES test_rng.c)

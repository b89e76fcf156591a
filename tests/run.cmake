# Tests of the run driver's own pieces.
dt_add_unit_test(test_cluster_services SOURCES test_cluster_services.c)

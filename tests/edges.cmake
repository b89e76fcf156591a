# Tests of the distributed core distances and mutual-reachability MST (mpi/dt_dist_*):
# against a dense double brute force, the serial builder with HDBSCAN on top, and R's
# dbscan::hdbscan (skipped, code 77, when R or dbscan is missing).
set(DT_EDGES_SOURCES ../mpi/dt_blacs.c ../mpi/dt_mpi.c ../mpi/dt_dist_rows.c
    ../mpi/dt_dist_lists.c ../mpi/dt_dist_pass.c ../mpi/dt_dist_exact.c ../mpi/dt_dist_core.c
    ../mpi/dt_dist_query.c ../mpi/dt_dist_edges.c)

add_executable(test_dist_edges test_dist_edges.c ${DT_EDGES_SOURCES})
dt_strict_target(test_dist_edges)
target_include_directories(test_dist_edges PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
                           ${PROJECT_SOURCE_DIR}/mpi)
target_link_libraries(test_dist_edges PRIVATE darktrack_core MPI::MPI_C ${DT_SCALAPACK_TARGET}
                      ${LAPACK_LIBRARIES} ${BLAS_LIBRARIES} ${DT_MATH_LIBRARY})

add_executable(test_dist_edges_bad test_dist_edges_bad.c ${DT_EDGES_SOURCES})
dt_strict_target(test_dist_edges_bad)
target_include_directories(test_dist_edges_bad PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
                           ${PROJECT_SOURCE_DIR}/mpi)
target_link_libraries(test_dist_edges_bad PRIVATE darktrack_core MPI::MPI_C
                      ${DT_SCALAPACK_TARGET} ${LAPACK_LIBRARIES} ${BLAS_LIBRARIES}
                      ${DT_MATH_LIBRARY})
dt_add_mpi_test(dist_edges_bad_input RANKS 1 2 4 LABELS hdbscan TIMEOUT 60
                COMMAND $<TARGET_FILE:test_dist_edges_bad>)

set(DT_EDGES_R)
if(DT_RSCRIPT)
    set(DT_EDGES_R ${DT_RSCRIPT} ${CMAKE_CURRENT_SOURCE_DIR}/dist_edges_reference.R)
endif()

# test name, data set, rows, dimension, min_samples (= min_cluster_size, R's minPts), and
# whether R's partition is compared. Not compared where exact copies give core distances of
# 0: dt_hdbscan_from_mst (on the serial chain as on ours) parts from R there
# (docs/hdbscan-distributed.md, Limitations).
set(DT_EDGES_CASES
    "blobs blobs 1200 48 10 R" "copies copies 900 32 5 R" "ties grid 700 4 8 R"
    "spread spread 1500 200 10 R" "duplicates duplicates 900 32 5 -" "zeros grid 1000 3 12 -")
foreach(case IN LISTS DT_EDGES_CASES)
    separate_arguments(case_args UNIX_COMMAND "${case}")
    list(POP_FRONT case_args case_name)
    list(POP_BACK case_args with_r)
    set(r_args)
    if(with_r STREQUAL "R")
        set(r_args ${DT_EDGES_R})
    endif()
    dt_add_mpi_test(dist_edges_${case_name} RANKS 1 2 4 LABELS hdbscan TIMEOUT 120
                    COMMAND $<TARGET_FILE:test_dist_edges> ${case_args} ${r_args})
    foreach(np 1 2 4)
        set_tests_properties(dist_edges_${case_name}.np${np} PROPERTIES SKIP_RETURN_CODE 77)
    endforeach()
endforeach()

# Many narrow panels (64 columns), an uneven last one, grid rows of unequal heights.
dt_add_mpi_test(dist_edges_panels RANKS 1 2 4 LABELS hdbscan TIMEOUT 120
                COMMAND $<TARGET_FILE:test_dist_edges> blobs 1001 24 7)
foreach(np 1 2 4)
    set_tests_properties(dist_edges_panels.np${np} PROPERTIES
        ENVIRONMENT "${DT_MPI_ENV};DT_TEST_TILE_BYTES=4096")
endforeach()

dt_add_unit_test(test_chain SOURCES test_chain.c LABELS hdbscan)

# `darktrack cluster` end to end: the same output at 2 and 4 ranks as at 1.
foreach(np 2 4)
    add_test(NAME dist_edges_cluster.np${np}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/dist_edges_cluster.sh ${MPIEXEC_EXECUTABLE}
                     $<TARGET_FILE:darktrack> ${DT_PYTHON3}
                     ${CMAKE_CURRENT_BINARY_DIR}/dist_edges_cluster.np${np} ${np})
    set_tests_properties(dist_edges_cluster.np${np} PROPERTIES LABELS "mpi;hdbscan"
                         PROCESSORS ${np} TIMEOUT 120 ENVIRONMENT "${DT_MPI_ENV}")
endforeach()

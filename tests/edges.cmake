# Tests of the distributed core distances and mutual-reachability MST (mpi/dt_dist_*).
set(DT_EDGES_SOURCES ../mpi/dt_blacs.c ../mpi/dt_mpi.c ../mpi/dt_dist_rows.c
    ../mpi/dt_dist_lists.c ../mpi/dt_dist_pass.c ../mpi/dt_dist_exact.c ../mpi/dt_dist_core.c
    ../mpi/dt_dist_query.c ../mpi/dt_dist_edges.c)

add_executable(test_dist_edges test_dist_edges.c ${DT_EDGES_SOURCES})
dt_strict_target(test_dist_edges)
target_include_directories(test_dist_edges PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
                           ${PROJECT_SOURCE_DIR}/mpi)
target_link_libraries(test_dist_edges PRIVATE darktrack_core MPI::MPI_C ${DT_SCALAPACK_TARGET}
                      ${LAPACK_LIBRARIES} ${BLAS_LIBRARIES} ${DT_MATH_LIBRARY})

dt_add_mpi_test(dist_edges_blobs RANKS 1 2 4 LABELS hdbscan TIMEOUT 120
                COMMAND $<TARGET_FILE:test_dist_edges> blobs 1200 48 10)
dt_add_mpi_test(dist_edges_duplicates RANKS 1 2 4 LABELS hdbscan TIMEOUT 120
                COMMAND $<TARGET_FILE:test_dist_edges> duplicates 900 32 5)
dt_add_mpi_test(dist_edges_grid RANKS 1 2 4 LABELS hdbscan TIMEOUT 120
                COMMAND $<TARGET_FILE:test_dist_edges> grid 700 3 8)

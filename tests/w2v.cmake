# Word2Vec tests: vectors files, the model and its checkpoint, the kernels against a
# per-pair reference, quality on planted groups at 1, 2 and 4 ranks, determinism, gensim.
dt_add_unit_test(test_vectors SOURCES test_vectors.c)
dt_add_unit_test(test_w2v SOURCES test_w2v.c w2v_support.c)

# dt_add_mpi_program(NAME SOURCES ...): a test program linking MPI and the distributed
# layer's Word2Vec files (mpi/ builds only the darktrack program, not a library).
function(dt_add_mpi_program name)
    cmake_parse_arguments(T "" "" "SOURCES" ${ARGN})
    add_executable(${name} ${T_SOURCES})
    dt_strict_target(${name})
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
                               ${PROJECT_SOURCE_DIR}/mpi ${DT_CBLAS_INCLUDE_DIR})
    target_link_libraries(${name} PRIVATE darktrack_core MPI::MPI_C ${BLAS_LIBRARIES})
endfunction()

set(DT_W2V_MPI_SOURCES ${PROJECT_SOURCE_DIR}/mpi/dt_train_mpi.c
    ${PROJECT_SOURCE_DIR}/mpi/dt_share_mpi.c ${PROJECT_SOURCE_DIR}/mpi/dt_mpi.c)
dt_add_mpi_program(w2v_mpi_driver SOURCES w2v_mpi_driver.c w2v_driver_options.c w2v_support.c
                   ${DT_W2V_MPI_SOURCES})

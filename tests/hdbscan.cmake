# HDBSCAN: the tree on hand-built trees, the serial edges against a brute force, the
# silhouette against its definition, the text vectors reader, and the reference checks of
# `darktrack cluster` against R's dbscan::hdbscan and scikit-learn (docs/hdbscan.md).
dt_add_unit_test(test_hdbscan SOURCES test_hdbscan.c LABELS hdbscan)
dt_add_unit_test(test_mst SOURCES test_mst.c LABELS hdbscan)
dt_add_unit_test(test_silhouette SOURCES test_silhouette.c LABELS hdbscan)
dt_add_unit_test(test_vectors_text SOURCES test_vectors_text.c LABELS hdbscan)

# dt_add_hdbscan_reference(DATASET MIN_CLUSTER_SIZE MIN_SAMPLES): one data set generated
# by hdbscan_reference.py with a fixed seed, clustered by darktrack and by R's dbscan.
# Skips (77) when R's dbscan or scikit-learn cannot be loaded.
set(DT_RSCRIPT_OR_NAME ${DT_RSCRIPT})
if(NOT DT_RSCRIPT)
    set(DT_RSCRIPT_OR_NAME Rscript)
endif()
function(dt_add_hdbscan_reference dataset mcs ms)
    set(name hdbscan_reference.${dataset}.${mcs}.${ms})
    add_test(NAME ${name}
             COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/hdbscan_reference.py
                     $<TARGET_FILE:darktrack> ${DT_RSCRIPT_OR_NAME}
                     ${CMAKE_CURRENT_SOURCE_DIR}/hdbscan_reference.R
                     ${CMAKE_CURRENT_BINARY_DIR}/${name} ${dataset} ${mcs} ${ms})
    set_tests_properties(${name} PROPERTIES LABELS "hdbscan;reference" SKIP_RETURN_CODE 77
                         TIMEOUT 120 ENVIRONMENT "${DT_MPI_ENV}")
endfunction()

dt_add_hdbscan_reference(separated 10 10)
dt_add_hdbscan_reference(touching 10 10)
dt_add_hdbscan_reference(touching 15 5)
dt_add_hdbscan_reference(densities 10 10)
dt_add_hdbscan_reference(densities 8 12)
dt_add_hdbscan_reference(duplicates 10 10)
dt_add_hdbscan_reference(duplicates 5 5)
# Exact copies at distance 0: against R on the same data with the copies a hair apart.
dt_add_hdbscan_reference(copies 10 10)
dt_add_hdbscan_reference(copies 8 12)
dt_add_hdbscan_reference(one_large 10 10)
dt_add_hdbscan_reference(one_large 5 5)
# A stand-in for Word2Vec vectors, through the netCDF files, and real ones: the vectors
# darktrack run saved (--save-embeddings) for the third day of the small synthetic
# telescope, at 2 ranks (a fixture of tests/e2e.cmake's telescope).
dt_add_hdbscan_reference(embeddings 10 10)
dt_add_hdbscan_reference(embeddings 15 5)
set(DT_HDBSCAN_DAY_VECTORS ${CMAKE_CURRENT_BINARY_DIR}/e2e/day-vectors.nc)
add_test(NAME hdbscan_day_vectors_setup
         COMMAND bash -c "rm -f \"$1\" \"$1\".* && \"$2\" -n 2 \"$3\" run -q --save-embeddings \
                 --max-days 3 -o \"$1\" \"$4\" && \"$5\" \"$6\" \"$1\" 2 \"$7\""
                 day-vectors ${CMAKE_CURRENT_BINARY_DIR}/e2e/day-vectors-history.nc
                 ${MPIEXEC_EXECUTABLE} $<TARGET_FILE:darktrack>
                 ${CMAKE_CURRENT_BINARY_DIR}/e2e/small/captures ${DT_PYTHON3}
                 ${CMAKE_CURRENT_SOURCE_DIR}/history_day_vectors.py ${DT_HDBSCAN_DAY_VECTORS})
set_tests_properties(hdbscan_day_vectors_setup PROPERTIES FIXTURES_SETUP day_vectors
    FIXTURES_REQUIRED telescope_small LABELS "hdbscan;mpi" PROCESSORS 2 TIMEOUT 300
    ENVIRONMENT "${DT_MPI_ENV}")
add_test(NAME hdbscan_reference.day_vectors
         COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/hdbscan_reference.py
                 $<TARGET_FILE:darktrack> ${DT_RSCRIPT_OR_NAME}
                 ${CMAKE_CURRENT_SOURCE_DIR}/hdbscan_reference.R
                 ${CMAKE_CURRENT_BINARY_DIR}/hdbscan_reference.day_vectors
                 file:${DT_HDBSCAN_DAY_VECTORS} 10 10)
set_tests_properties(hdbscan_reference.day_vectors PROPERTIES LABELS "hdbscan;reference"
                     FIXTURES_REQUIRED day_vectors
                     SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "${DT_MPI_ENV}")

add_test(NAME hdbscan_bad_input
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/hdbscan_bad_input.sh $<TARGET_FILE:darktrack>
                 ${CMAKE_CURRENT_BINARY_DIR}/hdbscan_bad_input)
set_tests_properties(hdbscan_bad_input PROPERTIES LABELS "hdbscan" ENVIRONMENT "${DT_MPI_ENV}")

# darktrack cluster under mpiexec: the same output at 1, 2 and 4 ranks.
foreach(np 1 2 4)
    add_test(NAME hdbscan_cluster_ranks.np${np}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/hdbscan_ranks.sh ${MPIEXEC_EXECUTABLE}
                     ${MPIEXEC_NUMPROC_FLAG} ${np} $<TARGET_FILE:darktrack>
                     ${CMAKE_CURRENT_BINARY_DIR}/hdbscan_cluster_ranks.np${np})
    set_tests_properties(hdbscan_cluster_ranks.np${np} PROPERTIES LABELS "mpi;hdbscan"
                         PROCESSORS ${np} TIMEOUT 120 ENVIRONMENT "${DT_MPI_ENV}")
endforeach()

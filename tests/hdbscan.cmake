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
dt_add_hdbscan_reference(one_large 10 10)
dt_add_hdbscan_reference(one_large 5 5)
# Stand-in for a synthetic-telescope day's Word2Vec vectors, through the netCDF files.
dt_add_hdbscan_reference(embeddings 10 10)
dt_add_hdbscan_reference(embeddings 15 5)

add_test(NAME hdbscan_bad_input
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/hdbscan_bad_input.sh $<TARGET_FILE:darktrack>
                 ${CMAKE_CURRENT_BINARY_DIR}/hdbscan_bad_input)
set_tests_properties(hdbscan_bad_input PROPERTIES LABELS "hdbscan" ENVIRONMENT "${DT_MPI_ENV}")

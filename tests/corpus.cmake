# Tests of the day builder, the corpus rules, day binning, ingest and darktrack stats.
dt_add_unit_test(test_daybuild SOURCES test_daybuild.c LABELS corpus)
dt_add_unit_test(test_daybin SOURCES test_daybin.c LABELS corpus)

# darktrack stats against an independent Python reading of pcaps the script writes itself
# (captures given in reverse order, across two midnights, one late packet), at 1, 2 and 4
# ranks; and bad invocations. The script starts mpiexec itself to compare the outputs.
if(DT_PYTHON3)
    foreach(np 1 2 4)
        add_test(NAME stats_reference.np${np}
                 COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/stats_reference.py check
                         --darktrack $<TARGET_FILE:darktrack> --mpiexec ${MPIEXEC_EXECUTABLE}
                         --np ${np} --workdir ${CMAKE_CURRENT_BINARY_DIR}/stats_reference.np${np})
        set_tests_properties(stats_reference.np${np} PROPERTIES
            LABELS "mpi;corpus" PROCESSORS ${np} TIMEOUT 120 ENVIRONMENT "${DT_MPI_ENV}")
    endforeach()
    add_test(NAME stats_bad_arguments
             COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/stats_reference.py badargs
                     --darktrack $<TARGET_FILE:darktrack> --mpiexec ${MPIEXEC_EXECUTABLE}
                     --workdir ${CMAKE_CURRENT_BINARY_DIR}/stats_bad_arguments)
    set_tests_properties(stats_bad_arguments PROPERTIES
        LABELS "mpi;corpus" PROCESSORS 2 TIMEOUT 120 ENVIRONMENT "${DT_MPI_ENV}")
endif()

# Tests of the batch jobs (under a real one-node Slurm on localhost) and of the plots.
set(DT_PLOTS_DIR ${PROJECT_SOURCE_DIR}/tools/plots)
set(DT_JOBS_OUT ${CMAKE_CURRENT_BINARY_DIR}/jobs-out)
file(MAKE_DIRECTORY ${DT_JOBS_OUT})

# A history with planted days, clusters and transitions, written by the real history writer.
add_executable(plots_fixture_write plots_fixture_write.c)
dt_strict_target(plots_fixture_write)
target_link_libraries(plots_fixture_write PRIVATE darktrack_core)

add_test(NAME plots_fixture COMMAND plots_fixture_write ${DT_JOBS_OUT}/plots-fixture.nc)
set_tests_properties(plots_fixture PROPERTIES LABELS plots FIXTURES_SETUP plots_fixture)

# Every figure's data equals the planted numbers; draw_all.py writes every PNG; the
# activity table (Figure 8) holds exactly the cluster's packets of a capture the test writes;
# the sweep summary's figures equal those computed by hand.
add_test(NAME plots_data
         COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test_plots.py
                 ${DT_JOBS_OUT}/plots-fixture.nc ${DT_JOBS_OUT}/plots ${DT_PLOTS_DIR})
set_tests_properties(plots_data PROPERTIES LABELS plots FIXTURES_REQUIRED plots_fixture
    SKIP_RETURN_CODE 77 TIMEOUT 120)

# Every job script parses, and passes shellcheck where it is installed.
add_test(NAME jobs_scripts_lint
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/jobs_lint.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(jobs_scripts_lint PROPERTIES LABELS slurm)

# The Slurm tests start their own slurmctld and slurmd (private ports and folders) and
# stop them by PID at the end; they share the ports, so they never run at the same time.
if(TARGET darktrack-synth)
    set(DT_SYNTH_BIN $<TARGET_FILE:darktrack-synth>)
else()
    set(DT_SYNTH_BIN ${CMAKE_BINARY_DIR}/tools/synth/darktrack-synth)
endif()
foreach(case chain sweep reproduce)
    add_test(NAME slurm_${case}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/slurm_${case}.sh ${PROJECT_SOURCE_DIR}
                     $<TARGET_FILE:darktrack> ${DT_SYNTH_BIN} ${DT_JOBS_OUT}/slurm-${case})
    set_tests_properties(slurm_${case} PROPERTIES LABELS slurm SKIP_RETURN_CODE 77
        TIMEOUT 300 RESOURCE_LOCK darktrack_slurm PROCESSORS 2
        ENVIRONMENT "${DT_MPI_ENV};DT_PYTHON3=${DT_PYTHON3};DT_SHARED_DIR=${DT_SHARED_DIR}")
endforeach()

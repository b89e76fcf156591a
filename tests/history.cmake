# Tests of the history: round trips, resume, refusals, crash safety, contract and report.
dt_add_unit_test(test_history SOURCES test_history.c history_fixture.c LABELS history)
dt_add_unit_test(test_history_damage SOURCES test_history_damage.c history_fixture.c
                 LABELS history)
set(DT_HISTORY_LSAN suppressions=${CMAKE_CURRENT_SOURCE_DIR}/history-lsan.supp)
set_tests_properties(test_history_damage PROPERTIES ENVIRONMENT
    "DT_SHARED_DIR=${DT_SHARED_DIR};OPENBLAS_NUM_THREADS=1;LSAN_OPTIONS=${DT_HISTORY_LSAN}")

# The crash test leaves the history that survived its kills and an uninterrupted one.
set(DT_HISTORY_OUT ${CMAKE_CURRENT_BINARY_DIR}/history-out)
file(MAKE_DIRECTORY ${DT_HISTORY_OUT})
dt_add_unit_test(test_history_crash SOURCES test_history_crash.c history_fixture.c
                 LABELS history ARGS ${DT_HISTORY_OUT}/crashed.nc ${DT_HISTORY_OUT}/straight.nc)
set_tests_properties(test_history_crash PROPERTIES FIXTURES_SETUP history_crashed)

# A writer of planted histories that the Python checks compare against their own mirror.
add_executable(history_fixture_write history_fixture_write.c history_fixture.c)
dt_strict_target(history_fixture_write)
target_link_libraries(history_fixture_write PRIVATE darktrack_core)

set(DT_CONTRACT ${CMAKE_CURRENT_SOURCE_DIR}/check_history_contract.py)
set(DT_FIXTURE_HISTORY ${DT_HISTORY_OUT}/fixture.nc)
add_test(NAME history_fixture_file
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "rm -f $2 $2.plain $2.empty && $0 $2 7 40 8 && $0 $2.plain 7 40 0 && $0 $2.empty 0 40 0"
                 $<TARGET_FILE:history_fixture_write> unused ${DT_FIXTURE_HISTORY})
set_tests_properties(history_fixture_file PROPERTIES LABELS history
                     FIXTURES_SETUP history_fixture)

# Every name, type, attribute and meaning of the contract, read by netCDF4-python and xarray.
add_test(NAME history_contract
         COMMAND ${DT_PYTHON3} ${DT_CONTRACT} ${DT_FIXTURE_HISTORY} --fixture 7,40,8
                 --self-test ${DT_HISTORY_OUT})
add_test(NAME history_contract_plain
         COMMAND ${DT_PYTHON3} ${DT_CONTRACT} ${DT_FIXTURE_HISTORY}.plain --fixture 7,40,0)
# The checker must notice data that differs from what was planted.
add_test(NAME history_contract_notices
         COMMAND ${DT_PYTHON3} ${DT_CONTRACT} ${DT_FIXTURE_HISTORY} --fixture 7,41,8)
set_tests_properties(history_contract_notices PROPERTIES WILL_FAIL TRUE)
set_tests_properties(history_contract history_contract_plain history_contract_notices
    PROPERTIES LABELS history FIXTURES_REQUIRED history_fixture SKIP_RETURN_CODE 77)

# After kills and resumes, the same data as the uninterrupted run (provenance aside).
add_test(NAME history_crash_same_data
         COMMAND ${DT_PYTHON3} ${DT_CONTRACT} ${DT_HISTORY_OUT}/crashed.nc
                 --same-as ${DT_HISTORY_OUT}/straight.nc --fixture 7,40,8)
set_tests_properties(history_crash_same_data PROPERTIES LABELS history
    FIXTURES_REQUIRED history_crashed SKIP_RETURN_CODE 77)

# darktrack report in text, CSV and JSON against totals computed from the planted days.
add_test(NAME history_report
         COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/check_report.py
                 $<TARGET_FILE:darktrack> ${DT_FIXTURE_HISTORY} 7,40,8 ${DT_HISTORY_OUT}/report)
set_tests_properties(history_report PROPERTIES LABELS history ENVIRONMENT "${DT_MPI_ENV}"
    FIXTURES_REQUIRED history_fixture SKIP_RETURN_CODE 77)
dt_add_unit_test(test_report SOURCES test_report.c LABELS history)

# The report under mpiexec: rank 0 alone speaks, whatever the rank count.
foreach(np 1 2 4)
    add_test(NAME history_report_ranks.np${np}
             COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/check_report_ranks.py
                     ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${np}
                     $<TARGET_FILE:darktrack> ${DT_FIXTURE_HISTORY})
    set_tests_properties(history_report_ranks.np${np} PROPERTIES
        LABELS "mpi;history" PROCESSORS ${np} ENVIRONMENT "${DT_MPI_ENV}"
        FIXTURES_REQUIRED history_fixture)
endforeach()

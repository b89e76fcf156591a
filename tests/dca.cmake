# The dynamic cluster analysis and ground-truth labels: hand-built cases derived from the
# rules, and a transition-for-transition comparison with an independent reference.
dt_add_unit_test(test_dca SOURCES test_dca.c LABELS dca)
dt_add_unit_test(test_dca_state SOURCES test_dca_state.c LABELS dca)
dt_add_unit_test(test_labels SOURCES test_labels.c LABELS dca)

add_executable(dca_driver dca_driver.c)
dt_strict_target(dca_driver)
target_link_libraries(dca_driver PRIVATE darktrack_core)

if(DT_PYTHON3)
    add_test(NAME dca_reference
             COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/dca_reference.py
                     $<TARGET_FILE:dca_driver> --scenarios 500)
    set_tests_properties(dca_reference PROPERTIES LABELS "unit;dca" TIMEOUT 120)
endif()

add_test(NAME test_labels_shared COMMAND test_labels ${DT_GROUND_TRUTH_CSV})
set_tests_properties(test_labels_shared PROPERTIES LABELS "unit;dca" SKIP_RETURN_CODE 77)

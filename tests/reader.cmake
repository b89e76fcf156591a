# The capture reader: decoding, damaged and hostile captures, the shared captures compared
# with tshark, and (with DT_FUZZ) the libFuzzer targets.

add_executable(reader_dump reader_dump.c)
dt_strict_target(reader_dump)
target_link_libraries(reader_dump PRIVATE darktrack_core)

add_library(reader_testlib STATIC reader_testlib.c)
dt_strict_target(reader_testlib)
target_link_libraries(reader_testlib PUBLIC darktrack_core)

dt_add_unit_test(test_reader_decode SOURCES test_reader_decode.c LABELS reader)
target_link_libraries(test_reader_decode PRIVATE reader_testlib)

dt_add_unit_test(test_reader_files SOURCES test_reader_files.c LABELS reader)
target_link_libraries(test_reader_files PRIVATE reader_testlib)

dt_add_unit_test(test_reader_shared SOURCES test_reader_shared.c LABELS reader)
target_link_libraries(test_reader_shared PRIVATE reader_testlib)
set_tests_properties(test_reader_shared PROPERTIES SKIP_RETURN_CODE 77)

find_program(DT_TSHARK tshark)
if(DT_PYTHON3 AND DT_TSHARK)
    add_test(NAME reader_vs_tshark
             COMMAND ${DT_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/reader_vs_tshark.py
                     --dump $<TARGET_FILE:reader_dump> --tshark ${DT_TSHARK})
    set_tests_properties(reader_vs_tshark PROPERTIES LABELS "reader" SKIP_RETURN_CODE 77
                         ENVIRONMENT "DT_SHARED_DIR=${DT_SHARED_DIR}" TIMEOUT 120)
endif()

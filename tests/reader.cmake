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

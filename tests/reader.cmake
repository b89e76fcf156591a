# The capture reader: decoding, damaged and hostile captures, the shared captures compared
# with tshark, and (with DT_FUZZ) the libFuzzer targets.

add_executable(reader_dump reader_dump.c)
dt_strict_target(reader_dump)
target_link_libraries(reader_dump PRIVATE darktrack_core)

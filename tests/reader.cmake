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

# libFuzzer targets: a whole capture file, and one frame of a chosen link type. Their seed
# corpora (made by fuzz/make-corpus.py) are replayed, with the shared captures, as tests;
# then each runs 20 s, writing what it finds into the build tree.
if(DT_FUZZ)
    set(DT_FUZZ_CAPTURE_SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus-capture)
    if(EXISTS ${DT_SHARED_CAPTURES})
        list(APPEND DT_FUZZ_CAPTURE_SEEDS ${DT_SHARED_CAPTURES})
    endif()
    set(fuzz_capture_file_seeds ${DT_FUZZ_CAPTURE_SEEDS})
    set(fuzz_decode_frame_seeds ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus-frame)

    foreach(target fuzz_capture_file fuzz_decode_frame)
        add_executable(${target} fuzz/${target}.c)
        dt_strict_target(${target})
        target_compile_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
        target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
        target_link_libraries(${target} PRIVATE darktrack_core)

        set(work ${CMAKE_CURRENT_BINARY_DIR}/${target}-corpus)
        file(MAKE_DIRECTORY ${work})
        add_test(NAME ${target}.seeds COMMAND ${target} -runs=0 ${${target}_seeds})
        add_test(NAME ${target}.run
                 COMMAND ${target} -max_total_time=20 -timeout=10 -rss_limit_mb=1024
                         ${work} ${${target}_seeds})
        set_tests_properties(${target}.seeds ${target}.run PROPERTIES LABELS "fuzz;reader"
                             TIMEOUT 120)
    endforeach()
endif()

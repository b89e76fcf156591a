# Strict warnings, sanitizers and tuning, applied per target.

set(DT_WARNING_FLAGS
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition
    -Wvla -Wcast-qual -Wpointer-arith -Wundef -Wwrite-strings
    -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough)

if(DT_SANITIZE)
    set(DT_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
    add_compile_options(${DT_SANITIZE_FLAGS})
    add_link_options(${DT_SANITIZE_FLAGS})
endif()

# With DT_FUZZ everything is built for libFuzzer (coverage without libFuzzer's main) with
# ASan and UBSan; the fuzz targets themselves add -fsanitize=fuzzer (tests/reader.cmake).
if(DT_FUZZ)
    if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "DT_FUZZ needs clang: configure with CC=clang")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()

# dt_strict_target(TARGET): our own code gets every warning; third-party code never does.
function(dt_strict_target target)
    target_compile_options(${target} PRIVATE ${DT_WARNING_FLAGS})
    if(DT_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(DT_NATIVE)
        target_compile_options(${target} PRIVATE -march=native)
    endif()
endfunction()

# The version and git revision baked into the program, printed at start and stored in
# every history.
find_package(Git QUIET)
set(DT_GIT_REVISION "unknown")
if(GIT_FOUND)
    execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
                    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
                    OUTPUT_VARIABLE DT_GIT_DESCRIBE OUTPUT_STRIP_TRAILING_WHITESPACE
                    ERROR_QUIET RESULT_VARIABLE DT_GIT_RESULT)
    if(DT_GIT_RESULT EQUAL 0 AND DT_GIT_DESCRIBE)
        set(DT_GIT_REVISION ${DT_GIT_DESCRIBE})
    endif()
endif()
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/src/dt_version.h.in
               ${CMAKE_CURRENT_BINARY_DIR}/generated/dt_version.h @ONLY)

# Runs a generator into the build tree and compares its output with the
# checked-in copy: the phrase_tree_fresh, cjk_tables_fresh and
# single_header_fresh tests.
#   cmake "-DGENERATOR=program;args" -DREFERENCE=... -DOUTPUT=... [-DRULES="a;b;c"]
#         [-DREGENERATE_TARGET=<the target that regenerates REFERENCE>] -P check_generated.cmake
# The generator is run as GENERATOR OUTPUT RULES... One that exits 77 lacks
# what it reads (iconv without a charset): the test says "skipped" and
# passes, which SKIP_REGULAR_EXPRESSION reports.
if(NOT REGENERATE_TARGET)
    set(REGENERATE_TARGET esc_regenerate_phrase_tree)
endif()
execute_process(COMMAND ${GENERATOR} ${OUTPUT} ${RULES} RESULT_VARIABLE rc)
if(rc EQUAL 77)
    message(STATUS "skipped: the generator cannot run here")
    return()
endif()
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the generator of ${REFERENCE} failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUTPUT} ${REFERENCE} RESULT_VARIABLE same)
if(NOT same EQUAL 0)
    message(FATAL_ERROR "${REFERENCE} is stale: run cmake --build <build dir> --target ${REGENERATE_TARGET}")
endif()

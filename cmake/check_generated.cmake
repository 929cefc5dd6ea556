# Runs the table generator into the build tree and compares its output with
# the checked-in copy: the phrase_tree_fresh test.
#   cmake -DGENERATOR=... -DREFERENCE=... -DOUTPUT=... -DRULES="a;b;c" -P check_generated.cmake
execute_process(COMMAND ${GENERATOR} ${OUTPUT} ${RULES} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the generator failed on the rule files (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUTPUT} ${REFERENCE} RESULT_VARIABLE same)
if(NOT same EQUAL 0)
    message(FATAL_ERROR "${REFERENCE} is stale: run cmake --build <build dir> --target esc_regenerate_phrase_tree")
endif()

# cmake -DCONSUMER=<dir> -DBUILD=<dir> -DGENERATOR=<g> -DCXX=<compiler> [-DPREFIX=<dir>] -DESC_SOURCE_DIR=<dir>
#       [-DPROGRAMS="consumer;other"] -P run_consumer.cmake
# Configures, builds and runs one consumer project (its programs, `consumer`
# unless PROGRAMS names them); any failure fails the test.
if(NOT PROGRAMS)
    set(PROGRAMS consumer)
endif()
file(REMOVE_RECURSE ${BUILD})
set(args -S ${CONSUMER} -B ${BUILD} -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} -DESC_SOURCE_DIR=${ESC_SOURCE_DIR})
if(PREFIX)
    list(APPEND args -DCMAKE_PREFIX_PATH=${PREFIX})
endif()
foreach(step IN ITEMS configure build ${PROGRAMS})
    if(step STREQUAL "configure")
        execute_process(COMMAND ${CMAKE_COMMAND} ${args} RESULT_VARIABLE rc)
    elseif(step STREQUAL "build")
        execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD} RESULT_VARIABLE rc)
    else()
        execute_process(COMMAND ${BUILD}/${step} RESULT_VARIABLE rc)
    endif()
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "consumer ${CONSUMER}: ${step} failed (${rc})")
    endif()
endforeach()

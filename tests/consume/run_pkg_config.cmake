# cmake -DPKG_CONFIG=<pkg-config> -DCXX=<compiler> -DSOURCE=<main.cpp> -DBUILD=<dir> -DVERSION=<x.y.z>
#       [-DPREFIX=<dir esc is installed in>] -P run_pkg_config.cmake
# A consumer built as a Makefile user would: the compiler with
# `pkg-config --cflags esc` and nothing from CMake. With PREFIX, PKG_CONFIG_PATH
# is PREFIX's share/pkgconfig and the include directory must lie in PREFIX;
# without, the system's .pc files are used (the installed Debian package).
set(pkg_config ${PKG_CONFIG})
if(PREFIX)
    set(pkg_config ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${PREFIX}/share/pkgconfig ${PKG_CONFIG})
endif()
function(query out)
    execute_process(COMMAND ${pkg_config} ${ARGN} esc RESULT_VARIABLE rc OUTPUT_VARIABLE text
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "pkg-config ${ARGN} esc failed (${rc})")
    endif()
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

query(version --modversion)
if(NOT version STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config says esc ${version}, the project is ${VERSION}")
endif()
query(includedir --variable=includedir)
if(PREFIX)
    file(REAL_PATH ${PREFIX} prefix)
    file(REAL_PATH ${includedir} includedir)
    string(FIND "${includedir}/" "${prefix}/" at)
    if(NOT at EQUAL 0)
        message(FATAL_ERROR "esc.pc's includedir ${includedir} is not in the prefix ${prefix}")
    endif()
endif()
if(NOT EXISTS ${includedir}/esc/esc.hpp)
    message(FATAL_ERROR "esc.pc's includedir ${includedir} has no esc/esc.hpp")
endif()
query(cflags --cflags)
message(STATUS "pkg-config --cflags esc: ${cflags}")
separate_arguments(cflags UNIX_COMMAND "${cflags}")

file(REMOVE_RECURSE ${BUILD})
file(MAKE_DIRECTORY ${BUILD})
execute_process(COMMAND ${CXX} -std=c++17 ${cflags} ${SOURCE} -o ${BUILD}/consumer RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${CXX} -std=c++17 ${cflags} ${SOURCE}: failed (${rc})")
endif()
execute_process(COMMAND ${BUILD}/consumer RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the pkg-config consumer failed (${rc})")
endif()

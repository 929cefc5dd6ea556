# cmake -DESC=<the esc program> -DHELP2MAN=<help2man> -DGZIP=<gzip> -DOUTPUT=<dir>/esc.1 -P man_page.cmake
# Writes OUTPUT.gz, the esc man page: help2man makes it from `esc --help`
# and `esc --version`, and a SUBCOMMANDS section holds each subcommand's
# `--help` (the subcommands read from the Subcommands: list of `esc --help`).
execute_process(COMMAND ${ESC} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ESC} --help failed (${rc})")
endif()
if(NOT help MATCHES "\nSubcommands:\n(([ ]+[^\n]*\n)+)")
    message(FATAL_ERROR "${ESC} --help lists no Subcommands:")
endif()
string(REGEX MATCHALL "\n  [a-z][a-z0-9_-]*" subcommands "\n${CMAKE_MATCH_1}")

set(include "[SUBCOMMANDS]\nEach subcommand takes the options above and its own:\n")
foreach(sub IN LISTS subcommands)
    string(STRIP "${sub}" sub)
    execute_process(COMMAND ${ESC} ${sub} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${ESC} ${sub} --help failed (${rc})")
    endif()
    # Text as roff: a backslash printed as one, no line read as a request.
    string(REPLACE "\\" "\\e" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    string(STRIP "${text}" text)
    string(APPEND include ".SS \"esc ${sub}\"\n.nf\n${text}\n.fi\n")
endforeach()
get_filename_component(dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
file(WRITE ${OUTPUT}.include "${include}")
execute_process(COMMAND ${HELP2MAN} --no-info --section 1 --name "SMTP status codes for postmasters"
                        --include ${OUTPUT}.include --output ${OUTPUT} ${ESC}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man failed (${rc})")
endif()
execute_process(COMMAND ${GZIP} -9nf ${OUTPUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip failed (${rc})")
endif()

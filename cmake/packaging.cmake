# Included by CMakeLists.txt after the install rules: pkg-config, the man
# page, and the Debian packages (cpack -G DEB).

# --- esc.pc ------------------------------------------------------------------
# Header-only, so arch-independent: in share/pkgconfig (as Debian puts such
# .pc files), beside the CMake package in share/cmake/esc. Written at install
# time, so that it names the prefix actually installed to (cmake --install
# --prefix DIR, DESTDIR, cpack).
install(CODE "
    set(ESC_PC_IN \"${CMAKE_CURRENT_LIST_DIR}/esc.pc.in\")
    set(ESC_PC_OUT \"${PROJECT_BINARY_DIR}/pkgconfig/esc.pc\")
    set(ESC_PC_INCLUDEDIR_RELATIVE \"${CMAKE_INSTALL_INCLUDEDIR}\")
    set(PROJECT_DESCRIPTION \"${PROJECT_DESCRIPTION}\")
    set(PROJECT_VERSION \"${PROJECT_VERSION}\")
    set(PROJECT_HOMEPAGE_URL \"${PROJECT_HOMEPAGE_URL}\")
    include(\"${CMAKE_CURRENT_LIST_DIR}/write_pc.cmake\")
    " COMPONENT dev)
install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/esc.pc DESTINATION ${CMAKE_INSTALL_DATADIR}/pkgconfig COMPONENT dev)

# --- the tool's package ---------------------------------------------------------
# Its man pages (esc(1), esc-SUBCOMMAND(1)) and shell completion are made from
# the tool's --help text by tools/make_docs.py (examples/esc/CMakeLists.txt).
if(TARGET esc_cli)
    # The tool's package carries the licence too (Debian's copyright file).
    install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/esc
        RENAME copyright COMPONENT tool)
endif()

# --- cpack -G DEB: libesc-dev and esc ---------------------------------------------
if(NOT PROJECT_IS_TOP_LEVEL)
    return()
endif()
set(CPACK_PACKAGE_NAME esc)
set(CPACK_PACKAGE_VENDOR "the esc authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
# CPack's DEB generator puts a summary that differs from its default before
# every package's description; each of ours starts with its own summary line.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL dev tool)
set(CPACK_COMPONENT_DEV_DISPLAY_NAME "esc headers")
set(CPACK_COMPONENT_TOOL_DISPLAY_NAME "esc tool")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "esc maintainers <maintainers@users.noreply.r-seed-4675b9c6.example>")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libesc-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "libfmt-dev, pkg-config")
set(CPACK_DEBIAN_DEV_DESCRIPTION "SMTP status codes for C++17 (header-only library)
esc parses SMTP server replies (RFC 5321, multi-line and sloppy ones), knows
every enhanced status code of the IANA registry (RFC 3463, RFC 5248) and
every basic reply code, classifies a reply into an outcome and a reason
(mailbox unknown, mailbox full, blocked, spam, ...), and reads and writes
RFC 3464 delivery status notifications. Allocation-free and constexpr.
.
This package holds the headers, the CMake package (find_package(esc)) and
the pkg-config file (esc.pc). It needs a C++17 compiler; <esc/fmt.hpp>
also needs {fmt} (libfmt-dev).")

set(CPACK_DEBIAN_TOOL_PACKAGE_NAME esc)
set(CPACK_DEBIAN_TOOL_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_TOOL_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_TOOL_DESCRIPTION "SMTP status codes for postmasters
The esc command explains an SMTP status code (5.1.1, 550), classifies
server replies and bounce texts into an outcome and a reason, lists the
IANA registry of enhanced status codes, summarises the failures in
Postfix, Exim and sendmail logs, and reads RFC 3464 bounce messages
(files, maildirs, mbox).")

include(CPack)

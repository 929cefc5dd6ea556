# Run at install time (install(CODE) in cmake/packaging.cmake), so esc.pc
# names the prefix esc is installed to, also under `cmake --install --prefix`:
# writes ESC_PC_OUT from ESC_PC_IN. The caller sets ESC_PC_IN, ESC_PC_OUT,
# ESC_PC_INCLUDEDIR_RELATIVE and the PROJECT_* variables esc.pc.in names.
set(ESC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
if(IS_ABSOLUTE "${ESC_PC_INCLUDEDIR_RELATIVE}")
    set(ESC_PC_INCLUDEDIR "${ESC_PC_INCLUDEDIR_RELATIVE}")
else()
    set(ESC_PC_INCLUDEDIR "\${prefix}/${ESC_PC_INCLUDEDIR_RELATIVE}")
endif()
configure_file("${ESC_PC_IN}" "${ESC_PC_OUT}" @ONLY)

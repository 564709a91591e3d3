# SPDX-License-Identifier: LGPL-2.1-or-later
# Install rules: headers, both libraries, CMake package and kcore.pc.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/kcore
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/kcore/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kcore)
install(TARGETS kcore kcore_static EXPORT kcoreTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS kcore-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT kcoreTargets NAMESPACE kcore::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kcore)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/kcoreConfig.cmake.in
  ${PROJECT_BINARY_DIR}/kcoreConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kcore)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kcoreConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kcoreConfig.cmake
              ${PROJECT_BINARY_DIR}/kcoreConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kcore)

# Relocatable: the prefix is found from where kcore.pc lies.
file(RELATIVE_PATH KCORE_PC_UP ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" KCORE_PC_UP "${KCORE_PC_UP}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/kcore.pc.in
               ${PROJECT_BINARY_DIR}/kcore.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/kcore.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Installing gridrl: `cmake --install build --prefix P` puts the library, its public headers
# (P/include/gridrl/, included as "rl/env.h", "agents/registry.h", ... or through
# "gridrl.h"), a CMake package (find_package(gridrl) gives gridrl::gridrl), a pkg-config
# file (gridrl.pc) and the gridrl program under P.
include(CMakePackageConfigHelpers)

set(GRIDRL_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/gridrl)

install(TARGETS gridrl_lib gridrl_gsl EXPORT gridrlTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS gridrl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

foreach(dir ${GRIDRL_PUBLIC_DIRS})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gridrl/${dir}
          FILES_MATCHING PATTERN "*.h" PATTERN "maps" EXCLUDE)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/gridrl.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gridrl)

install(EXPORT gridrlTargets NAMESPACE gridrl:: DESTINATION ${GRIDRL_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gridrlConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/gridrlConfig.cmake
                              INSTALL_DESTINATION ${GRIDRL_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gridrlConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gridrlConfig.cmake
              ${PROJECT_BINARY_DIR}/gridrlConfigVersion.cmake
        DESTINATION ${GRIDRL_INSTALL_CMAKEDIR})

# pkg-config: a static libgridrl needs its dependencies on the link line itself; a shared
# one only privately.
if(BUILD_SHARED_LIBS)
  set(GRIDRL_PC_REQUIRES "Requires.private: openblas inih")
  set(GRIDRL_PC_LIBS "Libs: -L\${libdir} -lgridrl\nLibs.private: -lgsl -lm -lpthread")
else()
  set(GRIDRL_PC_REQUIRES "Requires: openblas inih")
  set(GRIDRL_PC_LIBS "Libs: -L\${libdir} -lgridrl -lgsl -lm -lpthread")
endif()
# Paths relative to the .pc file's own folder, so `cmake --install --prefix P` works for any P.
file(RELATIVE_PATH GRIDRL_PC_TO_PREFIX
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
configure_file(${PROJECT_SOURCE_DIR}/cmake/gridrl.pc.in ${PROJECT_BINARY_DIR}/gridrl.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/gridrl.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Bash completion, where bash-completion looks for it by the command's name.
install(FILES ${PROJECT_SOURCE_DIR}/completions/gridrl.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME gridrl)

# Install rules and the CMake package: headers, libwick.a (and libwick_cuda.a when built),
# WickConfig.cmake, WickConfigVersion.cmake and WickTargets.cmake with the namespace wick::.
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

set(WICK_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Wick"
    CACHE STRING "Where WickConfig.cmake is installed")
mark_as_advanced(WICK_INSTALL_CMAKEDIR)

set(_wick_install_targets wick)
if(TARGET wick_cuda)
  list(APPEND _wick_install_targets wick_cuda)
endif()

install(TARGETS ${_wick_install_targets}
  EXPORT WickTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp" PATTERN "*.inl")
install(EXPORT WickTargets
  NAMESPACE wick::
  DESTINATION "${WICK_INSTALL_CMAKEDIR}")

set(WICK_CONFIG_WITH_CUDA OFF)
if(TARGET wick_cuda)
  set(WICK_CONFIG_WITH_CUDA ON)
endif()
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/WickConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/WickConfig.cmake"
  INSTALL_DESTINATION "${WICK_INSTALL_CMAKEDIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/WickConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/WickConfig.cmake"
  "${PROJECT_BINARY_DIR}/WickConfigVersion.cmake"
  DESTINATION "${WICK_INSTALL_CMAKEDIR}")

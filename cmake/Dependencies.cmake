# Finds tediag's dependencies as installed packages and gives each one target name,
# whatever way the platform ships it (Debian: pkg-config for RE2, yaml-cpp without a
# namespace; Homebrew: CMake package configs throughout).
find_package(PkgConfig QUIET)

find_package(re2 CONFIG QUIET)
if(NOT TARGET re2::re2)
  if(NOT PKG_CONFIG_FOUND)
    message(FATAL_ERROR "RE2 not found: install libre2-dev (Debian) or re2 (Homebrew)")
  endif()
  pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
  add_library(re2::re2 ALIAS PkgConfig::RE2)
endif()

find_package(simdjson CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)

find_package(yaml-cpp CONFIG REQUIRED)
if(TARGET yaml-cpp::yaml-cpp)
  set(TEDIAG_YAML_TARGET yaml-cpp::yaml-cpp)
else()
  set(TEDIAG_YAML_TARGET yaml-cpp)
endif()

if(TEDIAG_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

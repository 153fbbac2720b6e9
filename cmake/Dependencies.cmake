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

# libarchive: the collector writes its bundle as a .zip (or .tar.gz) and the analyzer reads
# such archives back. A well-kept library does zip and tar.gz better than code we would write.
# Homebrew's is keg-only (macOS ships libarchive without headers), so look in its prefix first.
if(APPLE AND NOT LibArchive_ROOT)
  execute_process(COMMAND brew --prefix libarchive OUTPUT_VARIABLE _tediag_brew_libarchive
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_tediag_brew_libarchive)
    set(LibArchive_ROOT "${_tediag_brew_libarchive}")
  endif()
endif()
find_package(LibArchive REQUIRED)

if(TEDIAG_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

# OpenSSL 3: `tediag inspect` hashes code pages and verifies CMS signatures and certificate
# chains with it (inspect/). Homebrew's openssl@3 is keg-only, so look in its prefix first.
if(APPLE AND NOT OPENSSL_ROOT_DIR)
  execute_process(COMMAND brew --prefix openssl@3 OUTPUT_VARIABLE _tediag_brew_openssl
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_tediag_brew_openssl)
    set(OPENSSL_ROOT_DIR "${_tediag_brew_openssl}")
  endif()
endif()
find_package(OpenSSL 3 REQUIRED)

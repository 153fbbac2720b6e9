# Configure-time facts for `tediag --version` (cli/build_info.h.in): the commit, and the OS the
# build is configured on. Outside a git checkout (a release tarball) the commit is "unknown"
# unless given: -DTEDIAG_GIT_COMMIT=... -DTEDIAG_GIT_DATE=...
find_package(Git QUIET)
if(NOT TEDIAG_GIT_COMMIT AND GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} log -1 --format=%h%n%cs
                  OUTPUT_VARIABLE _git_out OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _git_rc)
  if(_git_rc EQUAL 0 AND _git_out)
    string(REPLACE "\n" ";" _git_out "${_git_out}")
    list(GET _git_out 0 TEDIAG_GIT_COMMIT)
    list(GET _git_out 1 TEDIAG_GIT_DATE)
    # A new commit configures again, so the commit shown is the one built.
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} symbolic-ref -q HEAD
                    OUTPUT_VARIABLE _branch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    foreach(_ref HEAD ${_branch})
      execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --git-path ${_ref}
                      OUTPUT_VARIABLE _path OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(_path AND NOT IS_ABSOLUTE "${_path}")
        set(_path "${PROJECT_SOURCE_DIR}/${_path}")
      endif()
      if(_path AND EXISTS "${_path}" AND NOT IS_DIRECTORY "${_path}")
        set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_path}")
      endif()
    endforeach()
  endif()
endif()
if(NOT TEDIAG_GIT_COMMIT)
  set(TEDIAG_GIT_COMMIT unknown)
endif()

set(TEDIAG_BUILD_SYSTEM "${CMAKE_SYSTEM_NAME} ${CMAKE_SYSTEM_VERSION} ${CMAKE_SYSTEM_PROCESSOR}")
if(EXISTS /etc/os-release)
  file(STRINGS /etc/os-release _pretty REGEX "^PRETTY_NAME=")
  string(REGEX REPLACE "^PRETTY_NAME=\"?([^\"]*)\"?$" "\\1" _pretty "${_pretty}")
  if(_pretty)
    string(APPEND TEDIAG_BUILD_SYSTEM " (${_pretty})")
  endif()
elseif(APPLE)
  execute_process(COMMAND sw_vers -productVersion OUTPUT_VARIABLE _macos OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET)
  if(_macos)
    string(APPEND TEDIAG_BUILD_SYSTEM " (macOS ${_macos})")
  endif()
endif()

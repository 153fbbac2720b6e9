# What `cmake --install build --prefix P` puts in P, and the packages CPack makes from it.
#   bin/tediag
#   share/man/man1/tediag.1, tediag-analyze.1, ...        (help2man, from --help)
#   share/bash-completion/completions/tediag               (tediag completions bash)
#   share/zsh/site-functions/_tediag                       (tediag completions zsh)
#   share/fish/vendor_completions.d/tediag.fish            (tediag completions fish)
#   share/doc/tediag/README.md, share/doc/tediag/rules/README.md
# The man pages and completions are generated at install time by the built binary
# (cmake/GenerateShare.cmake), so a build of the program alone (target cli) is enough to install.
include(GNUInstallDirs)

install(TARGETS cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set(TEDIAG_SHARE_DIR ${PROJECT_BINARY_DIR}/share)
install(CODE "execute_process(COMMAND \"${CMAKE_COMMAND}\" -DTEDIAG=$<TARGET_FILE:cli> -DOUT=${TEDIAG_SHARE_DIR}
                                      -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
                                      -P ${PROJECT_SOURCE_DIR}/cmake/GenerateShare.cmake
                              RESULT_VARIABLE _tediag_share_rc)
              if(NOT _tediag_share_rc EQUAL 0)
                message(FATAL_ERROR \"generating the man pages and completions failed\")
              endif()")
install(DIRECTORY ${TEDIAG_SHARE_DIR}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL FILES_MATCHING
        PATTERN "*.1")
install(FILES ${TEDIAG_SHARE_DIR}/completions/tediag.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME tediag)
install(FILES ${TEDIAG_SHARE_DIR}/completions/tediag.zsh DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions
        RENAME _tediag)
install(FILES ${TEDIAG_SHARE_DIR}/completions/tediag.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES rules/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules)

# CPack: `cpack -G DEB` and `cpack -G TGZ` in the build folder (tests/packaging runs both).
set(CPACK_PACKAGE_NAME tediag)
set(CPACK_PACKAGE_VENDOR "tediag")
set(CPACK_PACKAGE_CONTACT "tediag maintainers <tediag@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Find why a Mac app will not launch, from its logs and crash reports")
set(CPACK_PACKAGE_DESCRIPTION
    "tediag reads unified log exports, crash reports, notary logs and pasted text, applies a rule database \
compiled into it, and prints the root cause of a failed launch (code signing, Gatekeeper and quarantine, \
the App Sandbox, privacy consent) with its evidence and fix.")
set(CPACK_PACKAGE_FILE_NAME "tediag-${PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# The run-time dependencies are named from the libraries the binary links (dpkg-shlibdeps, in
# dpkg-dev): libre2, libsimdjson, libfmt, libyaml-cpp, libarchive, libabsl and the C++ runtime.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)

# The installable package: what a C++ service links.
#
#   libspm.so        the runtime (proto, common, normalizer, encoder, the
#                    SentencePieceProcessor facade, the batch API); no ICU.
#   libspm_train.so  the trainer (SentencePieceTrainer), on top of libspm.so;
#                    only when the spm_trainer target exists.
#   include/spm/     sentencepiece_processor.h, sentencepiece_status.h,
#                    sentencepiece_trainer.h, the two generated *.pb.h.
#   bin/             spm_encode, spm_decode, spm_normalize, spm_export_vocab,
#                    spm_train (linked statically with our code).
#   lib/cmake/spm/   find_package(spm): targets spm::spm and spm::spm_train.
#   lib/pkgconfig/   spm.pc and spm_train.pc.
#
# The names (libspm*, include/spm/, spm.pc) leave Debian's libsentencepiece
# alone; the headers keep the upstream names inside include/spm/, so
# `#include "sentencepiece_processor.h"` works unchanged.
#
# The shared libraries are linked from the static libraries the tools and
# tests use (whole archives, so every public symbol is in), not compiled
# twice. Their dependencies are read from the targets, so a new source file
# or library dependency needs no change here.
#
# Included once from the top-level CMakeLists.txt. The trainer library and
# the install rules are set up at the end of the top-level directory
# (cmake_language(DEFER)), so the include may sit anywhere after the runtime
# targets, before or after the trainer's.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# ---------------------------------------------------------------- service API sources
# The immutable-proto results and the batch encoder belong to the runtime.
target_sources(spm_runtime PRIVATE
  ${PROJECT_SOURCE_DIR}/src/immutable_proto.cc
  ${PROJECT_SOURCE_DIR}/src/batch_encoder.cc)

# ---------------------------------------------------------------- helpers

include(${CMAKE_CURRENT_LIST_DIR}/link_closure.cmake)  # _spm_link_closure()

# _spm_shared_library(NAME <target> OUTPUT <name> EXPORT_NAME <name>
#                     STATIC <libs...> EXTERNAL <libs...>): a shared library
# made of the whole STATIC archives, linking EXTERNAL privately.
function(_spm_shared_library)
  cmake_parse_arguments(ARG "" "NAME;OUTPUT;EXPORT_NAME" "STATIC;EXTERNAL" ${ARGN})
  # A shared library needs one source of its own; its code is in STATIC.
  set(stub ${PROJECT_BINARY_DIR}/package/${ARG_NAME}_library.cc)
  file(CONFIGURE OUTPUT ${stub}
       CONTENT "// lib${ARG_OUTPUT}.so: the code comes from whole static archives (cmake/install.cmake).\n")
  add_library(${ARG_NAME} SHARED ${stub})
  set(archives)
  foreach(lib IN LISTS ARG_STATIC)
    list(APPEND archives "$<TARGET_FILE:${lib}>")
  endforeach()
  # Archive paths, not targets: targets would drag in their dependencies'
  # archives as well (for libspm_train.so, a second copy of the runtime).
  list(JOIN archives "," archive_list)
  target_link_libraries(${ARG_NAME} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${archive_list}>"
                        ${ARG_EXTERNAL})
  add_dependencies(${ARG_NAME} ${ARG_STATIC})
  set_target_properties(${ARG_NAME} PROPERTIES
    OUTPUT_NAME ${ARG_OUTPUT}
    EXPORT_NAME ${ARG_EXPORT_NAME}
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib)
  # No undefined symbols left for the consumer to find.
  target_link_options(${ARG_NAME} PRIVATE "LINKER:--no-undefined")
  target_compile_features(${ARG_NAME} INTERFACE cxx_std_17)
endfunction()

# ---------------------------------------------------------------- libspm.so
_spm_link_closure(ROOT spm_runtime STATIC SPM_RUNTIME_STATIC EXTERNAL SPM_RUNTIME_EXTERNAL)
foreach(lib IN LISTS SPM_RUNTIME_EXTERNAL)
  if(lib MATCHES "ICU")
    message(FATAL_ERROR "The runtime must not link ICU, but spm_runtime links ${lib}.")
  endif()
endforeach()
_spm_shared_library(NAME spm OUTPUT spm EXPORT_NAME spm
  STATIC ${SPM_RUNTIME_STATIC} EXTERNAL ${SPM_RUNTIME_EXTERNAL})
target_include_directories(spm INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
  $<BUILD_INTERFACE:${SPM_PROTO_OUT}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/spm>)
# The public header includes the generated protos, hence protobuf's headers
# and library for every user.
target_link_libraries(spm PUBLIC protobuf::libprotobuf)

# ---------------------------------------------------------------- tests of the service API
if(SPM_BUILD_TESTS)
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/compat ${PROJECT_BINARY_DIR}/tests/compat)
endif()

# ---------------------------------------------------------------- at the end of the top level
function(_spm_package)
  set(targets spm)
  set(headers
    ${PROJECT_SOURCE_DIR}/src/sentencepiece_processor.h
    ${PROJECT_SOURCE_DIR}/src/sentencepiece_status.h
    ${SPM_PROTO_OUT}/sentencepiece.pb.h
    ${SPM_PROTO_OUT}/sentencepiece_model.pb.h)
  set(SPM_HAVE_TRAINER OFF)

  # libspm_train.so: the trainer's own archives; the runtime comes from
  # libspm.so (one copy of everything, including the proto registrations).
  if(TARGET spm_trainer)
    set(SPM_HAVE_TRAINER ON)
    _spm_link_closure(ROOT spm_trainer STATIC trainer_static EXTERNAL trainer_external)
    list(REMOVE_ITEM trainer_static ${SPM_RUNTIME_STATIC})
    _spm_shared_library(NAME spm_train_library OUTPUT spm_train EXPORT_NAME spm_train
      STATIC ${trainer_static} EXTERNAL ${trainer_external})
    target_link_libraries(spm_train_library PUBLIC spm)
    list(APPEND targets spm_train_library)
    list(APPEND headers ${PROJECT_SOURCE_DIR}/src/sentencepiece_trainer.h)
  endif()

  install(TARGETS ${targets} EXPORT spmTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/spm)

  set(tools)
  foreach(tool spm_encode spm_decode spm_normalize spm_export_vocab spm_train)
    if(TARGET ${tool})
      list(APPEND tools ${tool})
    endif()
  endforeach()
  install(TARGETS ${tools} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

  # find_package(spm)
  set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/spm)
  install(EXPORT spmTargets NAMESPACE spm:: DESTINATION ${cmake_dir})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/spmConfig.cmake.in
    ${PROJECT_BINARY_DIR}/package/spmConfig.cmake INSTALL_DESTINATION ${cmake_dir})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/spmConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/package/spmConfig.cmake
                ${PROJECT_BINARY_DIR}/package/spmConfigVersion.cmake
          DESTINATION ${cmake_dir})

  # pkg-config: paths relative to the .pc file, so `cmake --install --prefix`
  # anywhere works.
  set(pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(SPM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  else()
    file(RELATIVE_PATH rel /p/${pc_dir} /p)
    string(REGEX REPLACE "/$" "" rel "${rel}")
    set(SPM_PC_PREFIX "\${pcfiledir}/${rel}")
  endif()
  set(pc_files spm)
  if(SPM_HAVE_TRAINER)
    list(APPEND pc_files spm_train)
  endif()
  foreach(pc IN LISTS pc_files)
    configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/package/${pc}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/package/${pc}.pc DESTINATION ${pc_dir})
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _spm_package)

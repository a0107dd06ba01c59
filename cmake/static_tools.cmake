# SPM_STATIC_TOOLS: the runtime tools (spm_encode, spm_decode,
# spm_export_vocab) linked fully statically.
#
# Why: a tool run is often one short file, so start-up counts. Linked
# dynamically, the dynamic loader resolves the symbols of libprotobuf, ~30
# abseil libraries and libstdc++ before main() (about 7M instructions, a
# third of loading llama2.model); a static executable has no such step.
#
# Only the tools' link lines change: the libraries (libspm.so, the static
# archives the tests use) and the installed CMake package are built as
# before. spm_train and spm_normalize (its rule builder) stay dynamic: they
# link ICU, and static ICU would add its ~30 MB data library to each; any
# tool whose libraries include an ICU target is left as it is.
#
# Static linking is left off, with a message, when the build uses
# sanitizers (their runtimes are shared libraries) or when a static test
# program does not link (no libc.a, or a dependency without its .a).
#
# How: at the end of the top-level directory (cmake_language(DEFER)), each
# tool's link libraries are replaced by the archives they stand for: our
# static libraries by file, each imported library (protobuf, abseil) by the
# .a beside its .so, in one linker group so their order does not matter.
# Compile usage (include directories, definitions) is kept from the
# original targets.

include(${CMAKE_CURRENT_LIST_DIR}/link_closure.cmake)  # _spm_link_closure()

option(SPM_STATIC_TOOLS "Link spm_encode, spm_decode and spm_export_vocab statically (faster start-up)" ON)

set(_SPM_STATIC_TOOLS_ACTIVE OFF)
if(SPM_STATIC_TOOLS)
  if("${CMAKE_CXX_FLAGS} ${CMAKE_EXE_LINKER_FLAGS}" MATCHES "-fsanitize")
    message(STATUS "SPM_STATIC_TOOLS: off (sanitizers need their shared runtimes)")
  else()
    include(CheckCXXSourceCompiles)
    set(CMAKE_REQUIRED_LINK_OPTIONS -static)
    check_cxx_source_compiles("#include <string>\nint main(int c, char**) { return std::to_string(c).size() == 0; }"
                              SPM_STATIC_LINK_WORKS)
    unset(CMAKE_REQUIRED_LINK_OPTIONS)
    if(SPM_STATIC_LINK_WORKS)
      set(_SPM_STATIC_TOOLS_ACTIVE ON)
    else()
      message(STATUS "SPM_STATIC_TOOLS: off (a -static program does not link here)")
    endif()
  endif()
endif()

# _spm_static_archive(<imported target> <out var>): the .a beside the
# imported library's .so, or "" when there is none.
function(_spm_static_archive target out)
  set(location)
  get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
  string(TOUPPER "${CMAKE_BUILD_TYPE}" build_type)
  foreach(config ${build_type} ${configs})
    get_target_property(location ${target} IMPORTED_LOCATION_${config})
    if(location)
      break()
    endif()
  endforeach()
  if(NOT location)
    get_target_property(location ${target} IMPORTED_LOCATION)
  endif()
  set(archive "")
  if(location)
    string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" candidate "${location}")
    if(candidate MATCHES "\\.a$" AND EXISTS "${candidate}")
      set(archive "${candidate}")
    endif()
  endif()
  set(${out} "${archive}" PARENT_SCOPE)
endfunction()

# _spm_link_statically(<tool>): see the top of this file.
function(_spm_link_statically tool)
  get_target_property(direct ${tool} LINK_LIBRARIES)
  _spm_link_closure(ROOT ${direct} FOLLOW_IMPORTED STATIC ours EXTERNAL external)
  set(archives)     # Ours, then the imported ones, in discovery order.
  set(flags)        # Plain link items (-pthread, -lm, ...).
  foreach(lib IN LISTS ours)
    list(APPEND archives "$<TARGET_FILE:${lib}>")
  endforeach()
  foreach(item IN LISTS external)
    if(NOT TARGET "${item}")
      list(APPEND flags "${item}")
      continue()
    endif()
    get_target_property(type ${item} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
      continue()  # Headers (abseil) or flags (Threads::Threads): deps only.
    endif()
    # Static ICU needs its ~30 MB data library too (spm_normalize's rule
    # builder uses ICU): such a tool stays dynamic, as spm_train does.
    if(item MATCHES "^ICU::")
      message(STATUS "SPM_STATIC_TOOLS: ${tool} stays dynamic (it links ${item})")
      return()
    endif()
    _spm_static_archive(${item} archive)
    if(NOT archive)
      message(STATUS "SPM_STATIC_TOOLS: ${tool} stays dynamic (no static archive for ${item})")
      return()
    endif()
    list(APPEND archives "${archive}")
    # libprotobuf.so links zlib, which its imported target does not name.
    if(archive MATCHES "/libprotobuf(-lite)?\\.a$")
      list(APPEND flags z)
    endif()
  endforeach()
  list(REMOVE_DUPLICATES flags)
  # Compile usage as the targets gave it, link line replaced.
  foreach(lib IN LISTS direct)
    if(TARGET "${lib}")
      target_include_directories(${tool} PRIVATE $<TARGET_PROPERTY:${lib},INTERFACE_INCLUDE_DIRECTORIES>)
      target_compile_definitions(${tool} PRIVATE $<TARGET_PROPERTY:${lib},INTERFACE_COMPILE_DEFINITIONS>)
      target_compile_options(${tool} PRIVATE $<TARGET_PROPERTY:${lib},INTERFACE_COMPILE_OPTIONS>)
    endif()
  endforeach()
  set_property(TARGET ${tool} PROPERTY LINK_LIBRARIES
    "-Wl,--start-group" ${archives} "-Wl,--end-group" ${flags})
  add_dependencies(${tool} ${ours})
  target_link_options(${tool} PRIVATE -static)
endfunction()

function(_spm_static_tools)
  if(NOT _SPM_STATIC_TOOLS_ACTIVE)
    return()
  endif()
  foreach(tool spm_encode spm_decode spm_normalize spm_export_vocab)
    if(TARGET ${tool})
      _spm_link_statically(${tool})
    endif()
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _spm_static_tools)

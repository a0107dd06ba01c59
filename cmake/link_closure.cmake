# _spm_link_closure(ROOT <items...> STATIC <var> EXTERNAL <var>
#                   [FOLLOW_IMPORTED]): walks the link dependencies of ROOT
# (targets or plain link items), each once, in discovery order. STATIC gets
# our own static libraries (ROOT's first); EXTERNAL everything else they
# link: imported targets (absl::status, protobuf::libprotobuf, ...),
# interface libraries and plain items (-pthread, z). With FOLLOW_IMPORTED
# the dependencies of imported and interface targets are walked too (a
# static link needs every archive; a shared library only its direct
# external dependencies).
#
# Used by cmake/install.cmake (the shared libraries and the package) and
# cmake/static_tools.cmake (statically linked tools).

include_guard(GLOBAL)

function(_spm_link_closure)
  cmake_parse_arguments(ARG "FOLLOW_IMPORTED" "STATIC;EXTERNAL" "ROOT" ${ARGN})
  set(static)
  set(external)
  set(seen)
  set(queue ${ARG_ROOT})
  while(queue)
    list(POP_FRONT queue item)
    if(item MATCHES "^\\$<LINK_ONLY:(.*)>$")
      set(item "${CMAKE_MATCH_1}")
    endif()
    if(item IN_LIST seen)
      continue()
    endif()
    list(APPEND seen "${item}")
    if(TARGET "${item}")
      get_target_property(type "${item}" TYPE)
      get_target_property(imported "${item}" IMPORTED)
      get_target_property(deps "${item}" INTERFACE_LINK_LIBRARIES)
      if(NOT imported AND type STREQUAL "STATIC_LIBRARY")
        list(APPEND static "${item}")
        if(deps)
          list(APPEND queue ${deps})
        endif()
        continue()
      endif()
      if(ARG_FOLLOW_IMPORTED AND deps)
        list(APPEND queue ${deps})
      endif()
    endif()
    list(APPEND external "${item}")
  endwhile()
  set(${ARG_STATIC} "${static}" PARENT_SCOPE)
  set(${ARG_EXTERNAL} "${external}" PARENT_SCOPE)
endfunction()

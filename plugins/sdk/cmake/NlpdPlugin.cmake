# nlpd_add_plugin(<name> SOURCES <file>... [PROTOS <file.proto>...]
#                 [PROTO_ROOT <dir>] [OUTPUT_DIRECTORY <dir>])
#
# Builds the plugin shared library libnlpd_<name>.so from SOURCES, compiling
# PROTOS (paths relative to PROTO_ROOT, default the current source dir) into
# it. Only the entry symbol nlpd_plugin_v1 is exported. Works in the nlpd tree
# and, after find_package(nlpd), outside it.
function(nlpd_add_plugin name)
  cmake_parse_arguments(ARG "" "PROTO_ROOT;OUTPUT_DIRECTORY" "SOURCES;PROTOS" ${ARGN})
  if(NOT ARG_PROTO_ROOT)
    set(ARG_PROTO_ROOT ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  set(target nlpd_${name})
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_gen)
  file(MAKE_DIRECTORY ${gen_dir})
  set(import_dirs ${ARG_PROTO_ROOT})
  if(TARGET nlpd_proto)
    list(APPEND import_dirs ${PROJECT_SOURCE_DIR}/proto)
  elseif(NLPD_PROTO_INCLUDE_DIR)
    list(APPEND import_dirs ${NLPD_PROTO_INCLUDE_DIR})
  endif()
  list(APPEND import_dirs ${Protobuf_INCLUDE_DIRS})
  list(TRANSFORM import_dirs PREPEND "--proto_path=" OUTPUT_VARIABLE import_args)
  set(generated)
  foreach(proto ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base ${proto})
    set(outputs ${gen_dir}/${base}.pb.cc ${gen_dir}/${base}.pb.h)
    add_custom_command(OUTPUT ${outputs}
      COMMAND protobuf::protoc ARGS ${import_args} --cpp_out=${gen_dir}
              ${ARG_PROTO_ROOT}/${proto}
      DEPENDS ${ARG_PROTO_ROOT}/${proto}
      COMMENT "protoc ${proto}")
    list(APPEND generated ${outputs})
  endforeach()
  add_library(${target} MODULE ${ARG_SOURCES} ${generated})
  target_include_directories(${target} PRIVATE ${gen_dir})
  if(TARGET nlpd_sdk)
    target_link_libraries(${target} PRIVATE nlpd_sdk)
  else()
    target_link_libraries(${target} PRIVATE nlpd::sdk)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX "lib" OUTPUT_NAME nlpd_${name}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()

# nlpd_embed_files(<source> <MACRO>=<path>...)
#
# Lets <source> (a file of a target in the current directory) embed data
# files with NLPD_EMBED_FILE(<name>, <MACRO>) from nlpd/embed_file.h: defines
# each MACRO as the file's path (a string literal) and rebuilds the source
# when a file changes.
function(nlpd_embed_files source)
  foreach(pair ${ARGN})
    string(FIND "${pair}" "=" equals)
    if(equals LESS 1)
      message(FATAL_ERROR "nlpd_embed_files: expected MACRO=path, got ${pair}")
    endif()
    string(SUBSTRING "${pair}" 0 ${equals} macro)
    math(EXPR path_start "${equals} + 1")
    string(SUBSTRING "${pair}" ${path_start} -1 path)
    if(NOT EXISTS ${path})
      message(FATAL_ERROR "nlpd_embed_files: ${path} does not exist")
    endif()
    set_property(SOURCE ${source} APPEND PROPERTY
      COMPILE_DEFINITIONS "${macro}=\"${path}\"")
    set_property(SOURCE ${source} APPEND PROPERTY OBJECT_DEPENDS ${path})
  endforeach()
endfunction()

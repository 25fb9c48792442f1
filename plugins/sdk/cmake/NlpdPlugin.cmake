# CMake helpers for nlpd plugins, in this tree and, after find_package(nlpd),
# outside it.
#
# nlpd_add_plugin(<name>
#                 SOURCES <file>...
#                 [PROTOS <file.proto>...]
#                 [PROTO_ROOT <dir>]
#                 [EMBED <MACRO>=<path>...]
#                 [OUTPUT_DIRECTORY <dir>]
#                 [TESTS <file.cc>...])
#
# Builds the plugin libnlpd_<name>.so, target nlpd_<name> (a MODULE library
# linked with the SDK, nlpd::sdk). Only the entry symbol nlpd_plugin_v1 is
# exported; undefined symbols are link errors.
#
#   SOURCES           the plugin's C++ sources.
#   PROTOS            .proto files of the plugin's own messages (its result
#                     type), as paths relative to PROTO_ROOT; they may import
#                     nlpd/v1/*.proto (e.g. "nlpd/v1/document.proto" for
#                     nlpd.v1.Span), whose generated code comes from
#                     libnlpd-proto.so. They are compiled into the object
#                     library nlpd_<name>_proto, which the plugin links: its
#                     objects become part of the plugin, and its usage
#                     requirements give the generated headers (included as
#                     "<path relative to PROTO_ROOT>.pb.h"). A test of the
#                     plugin's code links nlpd_<name>_proto too, and then
#                     must not load the plugin's .so into the same process
#                     (protobuf aborts when a .proto is registered twice).
#   PROTO_ROOT        the directory PROTOS are relative to, and the first
#                     import path; default: the current source directory.
#   EMBED             data files to compile into the plugin: each
#                     MACRO=path (path relative to the current source
#                     directory, or absolute) defines MACRO as the file's
#                     path for all SOURCES, for NLPD_EMBED_FILE(<name>,
#                     MACRO) from nlpd/embed_file.h, and rebuilds them when
#                     the file changes. Same as nlpd_embed_files on every
#                     source (so, as there, the definitions are properties of
#                     the source files in this directory).
#   OUTPUT_DIRECTORY  where the .so goes; default: CMake's default for the
#                     directory.
#   TESTS             GoogleTest sources of the plugin's tests, built into the
#                     executable nlpd_<name>_test and registered with CTest
#                     (gtest_discover_tests). It links GTest::gtest_main, the
#                     SDK and nlpd_<name>_proto (to decode the plugin's own
#                     result type), and is compiled with NLPD_PLUGIN_FILE (the
#                     plugin's .so) and NLPD_PLUGIN_TEST_BINARY (nlpd-plugin-test)
#                     defined, for nlpd::testing::RunPlugin<Result>(text,
#                     language) of nlpd/plugin_test.h, which runs the plugin in
#                     nlpd-plugin-test (never dlopen it in the test process).
#                     Needs GoogleTest (find_package(GTest); Debian:
#                     libgtest-dev) and enable_testing() (or include(CTest))
#                     called BEFORE nlpd_add_plugin; with include(CTest) and
#                     BUILD_TESTING=OFF the tests are not built.
#
# nlpd_embed_files(<source> <MACRO>=<path>...)
#
# EMBED for one source file of any target (a static library shared with
# tests, say): defines each MACRO as the file's path (a string literal) for
# <source>, a file of the current directory, and rebuilds it when a file
# changes. Paths are relative to the current source directory or absolute.

function(nlpd_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG ""
    "PROTO_ROOT;OUTPUT_DIRECTORY" "SOURCES;PROTOS;EMBED;TESTS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "nlpd_add_plugin(${name}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "nlpd_add_plugin(${name}): SOURCES is required")
  endif()
  set(target nlpd_${name})
  # The SDK target: in the nlpd tree, or from the installed package.
  if(TARGET nlpd_sdk)
    set(sdk nlpd_sdk)
  else()
    set(sdk nlpd::sdk)
  endif()

  add_library(${target} MODULE ${ARG_SOURCES})
  if(ARG_PROTOS)
    _nlpd_plugin_protos(${target} ${sdk} "${ARG_PROTO_ROOT}" ${ARG_PROTOS})
    target_link_libraries(${target} PRIVATE ${target}_proto)
  endif()
  if(ARG_EMBED)
    foreach(source ${ARG_SOURCES})
      nlpd_embed_files(${source} ${ARG_EMBED})
    endforeach()
  endif()
  target_link_libraries(${target} PRIVATE ${sdk})
  set_target_properties(${target} PROPERTIES
    PREFIX "lib" OUTPUT_NAME nlpd_${name}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  if(ARG_TESTS)
    _nlpd_plugin_tests(${name} ${sdk} ${ARG_TESTS})
  endif()
endfunction()

# TESTS of nlpd_add_plugin: the GoogleTest executable nlpd_<name>_test.
function(_nlpd_plugin_tests name sdk)
  set(plugin nlpd_${name})
  set(test nlpd_${name}_test)
  if(DEFINED BUILD_TESTING AND NOT BUILD_TESTING)
    return()  # include(CTest) with BUILD_TESTING=OFF
  endif()
  if(NOT CMAKE_TESTING_ENABLED)
    message(FATAL_ERROR
      "nlpd_add_plugin(${name} ... TESTS): call enable_testing() (or "
      "include(CTest)) before nlpd_add_plugin, so that ctest runs ${test}")
  endif()
  if(NOT TARGET GTest::gtest_main)
    find_package(GTest)
    if(NOT TARGET GTest::gtest_main)
      message(FATAL_ERROR
        "nlpd_add_plugin(${name} ... TESTS) needs GoogleTest: "
        "find_package(GTest) failed (Debian/Ubuntu: apt install libgtest-dev)")
    endif()
  endif()
  # nlpd-plugin-test, which runs the plugin: the target in the nlpd tree,
  # else the installed one (nlpdConfig.cmake).
  if(TARGET nlpd_sdk)
    set(binary "$<TARGET_FILE:nlpd-plugin-test>")
  elseif(NLPD_PLUGIN_TEST_EXECUTABLE)
    set(binary "${NLPD_PLUGIN_TEST_EXECUTABLE}")
  else()
    message(FATAL_ERROR
      "nlpd_add_plugin(${name} ... TESTS): NLPD_PLUGIN_TEST_EXECUTABLE "
      "(nlpd-plugin-test) is not set; find_package(nlpd) sets it")
  endif()

  add_executable(${test} ${ARGN})
  target_link_libraries(${test} PRIVATE ${sdk} GTest::gtest_main)
  if(TARGET ${plugin}_proto)
    target_link_libraries(${test} PRIVATE ${plugin}_proto)
  endif()
  target_compile_definitions(${test} PRIVATE
    NLPD_PLUGIN_FILE="$<TARGET_FILE:${plugin}>"
    NLPD_PLUGIN_TEST_BINARY="${binary}")
  add_dependencies(${test} ${plugin})
  if(TARGET nlpd_sdk)
    add_dependencies(${test} nlpd-plugin-test)
  endif()
  include(GoogleTest)
  gtest_discover_tests(${test})
endfunction()

# Compiles the .proto files `ARGN` (relative to `proto_root`, default the
# current source directory) into the object library <target>_proto, with
# hidden symbols and position-independent code for the plugin <target>.
function(_nlpd_plugin_protos target sdk proto_root)
  if(NOT proto_root)
    set(proto_root ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  get_filename_component(proto_root "${proto_root}" ABSOLUTE
    BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_gen)
  file(MAKE_DIRECTORY ${gen_dir})
  # Import paths: the plugin's own, nlpd's .proto files (the source tree, or
  # the installed include directory set by nlpdConfig.cmake), protobuf's
  # well-known types.
  set(import_dirs ${proto_root})
  if(TARGET nlpd_proto)
    list(APPEND import_dirs ${nlpd_SOURCE_DIR}/proto)
  elseif(NLPD_PROTO_INCLUDE_DIR)
    list(APPEND import_dirs ${NLPD_PROTO_INCLUDE_DIR})
  endif()
  list(APPEND import_dirs ${Protobuf_INCLUDE_DIRS})
  list(TRANSFORM import_dirs PREPEND "--proto_path=" OUTPUT_VARIABLE import_args)
  set(generated)
  foreach(proto ${ARGN})
    string(REGEX REPLACE "\\.proto$" "" base ${proto})
    set(outputs ${gen_dir}/${base}.pb.cc ${gen_dir}/${base}.pb.h)
    add_custom_command(OUTPUT ${outputs}
      COMMAND protobuf::protoc ARGS ${import_args} --cpp_out=${gen_dir}
              ${proto_root}/${proto}
      DEPENDS ${proto_root}/${proto}
      COMMENT "protoc ${proto}")
    list(APPEND generated ${outputs})
  endforeach()
  add_library(${target}_proto OBJECT ${generated})
  target_include_directories(${target}_proto PUBLIC ${gen_dir})
  target_link_libraries(${target}_proto PUBLIC ${sdk})
  set_target_properties(${target}_proto PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
endfunction()

function(nlpd_embed_files source)
  foreach(pair ${ARGN})
    string(FIND "${pair}" "=" equals)
    if(equals LESS 1)
      message(FATAL_ERROR "nlpd_embed_files: expected MACRO=path, got ${pair}")
    endif()
    string(SUBSTRING "${pair}" 0 ${equals} macro)
    math(EXPR path_start "${equals} + 1")
    string(SUBSTRING "${pair}" ${path_start} -1 path)
    get_filename_component(path "${path}" ABSOLUTE
      BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    if(NOT EXISTS ${path})
      message(FATAL_ERROR "nlpd_embed_files: ${path} does not exist")
    endif()
    set_property(SOURCE ${source} APPEND PROPERTY
      COMPILE_DEFINITIONS "${macro}=\"${path}\"")
    set_property(SOURCE ${source} APPEND PROPERTY OBJECT_DEPENDS ${path})
  endforeach()
endfunction()

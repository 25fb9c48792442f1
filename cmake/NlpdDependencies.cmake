# Finds the Debian packages nlpd builds against and names the package to
# install when one is missing (scripts/install-deps installs them all).
function(nlpd_require found package)
  if(NOT ${found})
    message(FATAL_ERROR
      "nlpd: missing dependency. Install the Debian package '${package}' "
      "(or run scripts/install-deps as root).")
  endif()
endfunction()

find_package(Protobuf)
nlpd_require(Protobuf_FOUND "libprotobuf-dev protobuf-compiler")
find_package(gRPC CONFIG QUIET)
nlpd_require(gRPC_FOUND "libgrpc++-dev protobuf-compiler-grpc")
find_program(NLPD_GRPC_CPP_PLUGIN grpc_cpp_plugin)
nlpd_require(NLPD_GRPC_CPP_PLUGIN "protobuf-compiler-grpc")
find_package(absl CONFIG QUIET)
nlpd_require(absl_FOUND "libabsl-dev")
find_package(ICU COMPONENTS uc i18n)
nlpd_require(ICU_FOUND "libicu-dev")
find_path(NLPD_CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h)
find_library(NLPD_CLD2_LIBRARY cld2)
nlpd_require(NLPD_CLD2_LIBRARY "libcld2-dev")
add_library(nlpd_cld2 INTERFACE)
target_include_directories(nlpd_cld2 INTERFACE ${NLPD_CLD2_INCLUDE_DIR})
target_link_libraries(nlpd_cld2 INTERFACE ${NLPD_CLD2_LIBRARY})
find_package(Threads REQUIRED)
# SHA-256 of plugin files (libssl-dev, which gRPC already depends on).
find_package(OpenSSL REQUIRED COMPONENTS Crypto SSL)
# HTTP: the /metrics endpoint (and the HTTP/JSON gateway): Debian's
# cpp-httplib (libcpp-httplib-dev), built with OpenSSL support.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

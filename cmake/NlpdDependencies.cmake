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
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# HTTP/JSON gateway (and other HTTP endpoints): cpp-httplib. Debian builds
# it as a shared library (libcpp-httplib.so) with OpenSSL, zlib and brotli
# support, so its users must compile the header with the same
# CPPHTTPLIB_*_SUPPORT defines: pkg-config supplies them. Link nlpd_httplib.
find_package(PkgConfig)
nlpd_require(PKG_CONFIG_FOUND "pkg-config")
pkg_check_modules(NLPD_HTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
nlpd_require(NLPD_HTTPLIB_FOUND "libcpp-httplib-dev")
find_package(OpenSSL REQUIRED COMPONENTS Crypto SSL)
add_library(nlpd_httplib INTERFACE)
target_link_libraries(nlpd_httplib INTERFACE
  PkgConfig::NLPD_HTTPLIB OpenSSL::SSL OpenSSL::Crypto Threads::Threads)

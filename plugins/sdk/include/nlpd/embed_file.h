// Compiling data files (models, word lists) into a plugin, so the .so needs
// no files beside it.
//
//   // CMake: nlpd_add_plugin(mine SOURCES model_data.cc ...
//   //                        EMBED MY_MODEL=model.bin)
//   // or, for a source of another target,
//   //        nlpd_embed_files(model_data.cc MY_MODEL=model.bin)
//   // model_data.cc, at namespace scope:
//   NLPD_EMBED_FILE(my_model, MY_MODEL)
//   std::string_view Model() { return NLPD_EMBEDDED_FILE(my_model); }
//
// NLPD_EMBED_FILE puts the file's bytes into the library's read-only data
// with the assembler's .incbin (binary-safe, 16-byte aligned, no size limit,
// no generated source) under hidden symbols <name>_begin and <name>_end.
// The bytes are not NUL-terminated and live as long as the library is
// loaded. Use each name once per library, in a .cc file.
#ifndef NLPD_EMBED_FILE_H_
#define NLPD_EMBED_FILE_H_

#include <cstddef>
#include <string_view>

#define NLPD_EMBED_FILE(name, path)     \
  asm(".section .rodata\n"              \
      ".balign 16\n"                    \
      ".hidden " #name                  \
      "_begin\n"                        \
      ".hidden " #name "_end\n" #name   \
      "_begin:\n"                       \
      ".incbin \"" path "\"\n" #name    \
      "_end:\n"                         \
      ".previous\n");                   \
  extern "C" const char name##_begin[]; \
  extern "C" const char name##_end[]

// A std::string_view over the bytes of a file embedded with NLPD_EMBED_FILE.
#define NLPD_EMBEDDED_FILE(name) \
  std::string_view(name##_begin, static_cast<size_t>(name##_end - name##_begin))

#endif  // NLPD_EMBED_FILE_H_

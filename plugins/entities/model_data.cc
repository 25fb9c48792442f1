// The trained models, compiled into the plugin with the assembler's .incbin
// (binary files; the path comes from CMake, which also makes this file
// depend on the model). See model_data.h.
#include "model_data.h"

#if !defined(NLPD_ENTITIES_MODEL_DE) || !defined(NLPD_ENTITIES_MODEL_EN)
#error "NLPD_ENTITIES_MODEL_DE and _EN must name the model files"
#endif

#define NLPD_EMBED(name, path)          \
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
  extern "C" const char name##_end[];

NLPD_EMBED(nlpd_entities_model_de, NLPD_ENTITIES_MODEL_DE)
NLPD_EMBED(nlpd_entities_model_en, NLPD_ENTITIES_MODEL_EN)

namespace nlpd::entities {

std::string_view EmbeddedModel(std::string_view language) {
  if (language == "de") {
    return {nlpd_entities_model_de_begin,
            static_cast<size_t>(nlpd_entities_model_de_end -
                                nlpd_entities_model_de_begin)};
  }
  if (language == "en") {
    return {nlpd_entities_model_en_begin,
            static_cast<size_t>(nlpd_entities_model_en_end -
                                nlpd_entities_model_en_begin)};
  }
  return {};
}

}  // namespace nlpd::entities

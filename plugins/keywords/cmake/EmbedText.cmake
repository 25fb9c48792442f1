# cmake -DINPUT=<file> -DOUTPUT=<file.cc> -DSYMBOL=<name> -P EmbedText.cmake
#
# Writes a C++ source that defines
#   extern const std::string_view nlpd::keywords::internal::<SYMBOL>;
# holding the text of INPUT as a raw string literal, so that data files are
# compiled into the plugin library instead of being installed beside it.
file(READ "${INPUT}" content)
set(delimiter "nlpd_embed")
string(FIND "${content}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )${delimiter}\"")
endif()
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by EmbedText.cmake; do not edit.
#include <string_view>

namespace nlpd::keywords::internal {
extern const std::string_view ${SYMBOL};
const std::string_view ${SYMBOL} = R\"${delimiter}(${content})${delimiter}\";
}  // namespace nlpd::keywords::internal
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")

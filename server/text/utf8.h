#ifndef NLPD_SERVER_TEXT_UTF8_H_
#define NLPD_SERVER_TEXT_UTF8_H_

#include <string_view>

#include "absl/status/status.h"

namespace nlpd::text {

// Checks that `text` is well-formed UTF-8 as defined by RFC 3629 / Unicode
// Table 3-7: no overlong encodings, no encoded surrogates (U+D800..U+DFFF),
// nothing above U+10FFFF, no truncated sequences, no stray continuation
// bytes. U+0000 and noncharacters are well-formed and accepted.
//
// Returns OK, or InvalidArgument whose message names the byte offset of the
// first byte of the first ill-formed sequence and what is wrong with it,
// e.g. "invalid UTF-8 at byte offset 7: truncated sequence".
// Pure function; thread-safe.
absl::Status ValidateUtf8(std::string_view text);

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_UTF8_H_

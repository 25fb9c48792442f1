#ifndef NLPD_SERVER_TEXT_NFC_NORMALIZER_H_
#define NLPD_SERVER_TEXT_NFC_NORMALIZER_H_

#include <unicode/uversion.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

U_NAMESPACE_BEGIN
class Normalizer2;
U_NAMESPACE_END

namespace nlpd::text {

// Unicode Normalization Form C over UTF-8, backed by ICU's shared NFC
// instance. Cheap to copy; thread-safe (ICU's Normalizer2 is immutable).
class NfcNormalizer {
 public:
  // Fails with Internal if ICU's normalization data cannot be loaded.
  static absl::StatusOr<NfcNormalizer> Create();

  // Replaces `*out` with the NFC form of `text`, which must be well-formed
  // UTF-8 (see ValidateUtf8). Text that is already NFC (the common case) is
  // only quick-checked and copied, never re-normalized.
  // Returns Internal if ICU reports an error.
  absl::Status Normalize(std::string_view text, std::string* out) const;

 private:
  explicit NfcNormalizer(const icu::Normalizer2* nfc) : nfc_(nfc) {}

  const icu::Normalizer2* nfc_;  // Owned by ICU; lives until process exit.
};

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_NFC_NORMALIZER_H_

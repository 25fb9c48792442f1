#include "text/nfc_normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/utypes.h>

#include "absl/strings/str_cat.h"

namespace nlpd::text {

absl::StatusOr<NfcNormalizer> NfcNormalizer::Create() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU NFC normalizer unavailable: ", u_errorName(status)));
  }
  return NfcNormalizer(nfc);
}

absl::Status NfcNormalizer::Normalize(std::string_view text,
                                      std::string* out) const {
  const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  UErrorCode status = U_ZERO_ERROR;
  if (nfc_->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
    out->assign(text);
    return absl::OkStatus();
  }
  status = U_ZERO_ERROR;
  out->clear();
  out->reserve(text.size());
  icu::StringByteSink<std::string> sink(out);
  nfc_->normalizeUTF8(/*options=*/0, piece, sink, /*edits=*/nullptr, status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("NFC normalization failed: ", u_errorName(status)));
  }
  return absl::OkStatus();
}

}  // namespace nlpd::text

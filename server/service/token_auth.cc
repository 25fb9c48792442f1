#include "service/token_auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace nlpd {
namespace {

std::array<unsigned char, 32> Digest(absl::string_view token) {
  std::array<unsigned char, 32> digest;
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         digest.data());
  return digest;
}

}  // namespace

absl::StatusOr<TokenAuth> TokenAuth::Load(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat("auth_tokens ", path, ": cannot read"));
  }
  TokenAuth auth;
  auth.enabled_ = true;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || absl::StartsWith(text, "#")) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(text, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    const bool admin = fields.size() == 2 && fields[1] == "admin";
    if (fields.size() > 2 || (fields.size() == 2 && !admin)) {
      return absl::InvalidArgumentError(
          absl::StrCat("auth_tokens ", path, ":", number,
                       ": expected a token, optionally followed by \"admin\""));
    }
    auth.entries_.push_back({Digest(fields[0]), admin});
  }
  if (auth.entries_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth_tokens ", path, ": no token in the file"));
  }
  return auth;
}

absl::Status TokenAuth::Check(const grpc::ServerContextBase& context,
                              Role role) const {
  if (!enabled_) return absl::OkStatus();
  const auto& metadata = context.client_metadata();
  auto found = metadata.find("authorization");
  if (found == metadata.end()) {
    return absl::UnauthenticatedError(
        "this server needs a token: send \"authorization: Bearer <token>\"");
  }
  return CheckHeader(
      absl::string_view(found->second.data(), found->second.size()), role);
}

absl::Status TokenAuth::CheckHeader(absl::string_view authorization,
                                    Role role) const {
  if (!enabled_) return absl::OkStatus();
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(authorization, kBearer)) {
    return absl::UnauthenticatedError(
        "the authorization header must be \"Bearer <token>\"");
  }
  const std::array<unsigned char, 32> digest =
      Digest(absl::StripAsciiWhitespace(authorization.substr(kBearer.size())));
  // Every entry is compared, so the time does not tell which one matched.
  const Entry* match = nullptr;
  for (const Entry& entry : entries_) {
    if (CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0) {
      match = &entry;
    }
  }
  if (match == nullptr) return absl::UnauthenticatedError("unknown token");
  if (role == Role::kAdmin && !match->admin) {
    return absl::PermissionDeniedError(
        "this token may analyze but not administer the server (nlpd.v1.Admin "
        "needs a token marked \"admin\")");
  }
  return absl::OkStatus();
}

}  // namespace nlpd

// Bearer-token authorization of calls (ServerConfig.auth_tokens): which
// callers may analyze, and which may also administer the server.
#ifndef NLPD_SERVER_SERVICE_TOKEN_AUTH_H_
#define NLPD_SERVER_SERVICE_TOKEN_AUTH_H_

#include <grpcpp/server_context.h>

#include <array>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nlpd {

enum class Role { kReader, kAdmin };

class TokenAuth {
 public:
  // Reads the token file: one token per line, optionally followed by
  // " admin"; blank lines and lines starting with '#' are skipped. Errors:
  // NOT_FOUND (cannot read), INVALID_ARGUMENT (a malformed line, or no
  // token at all), naming the file and line.
  static absl::StatusOr<TokenAuth> Load(const std::string& path);

  // Allows every call: no tokens configured.
  TokenAuth() = default;

  bool enabled() const { return enabled_; }

  // Checks the "authorization: Bearer <token>" metadata of `context` for
  // `role`. OK when tokens are off. Errors: UNAUTHENTICATED (missing,
  // malformed or unknown token), PERMISSION_DENIED (a reader token where
  // admin is needed). Tokens are compared by SHA-256 digest in constant
  // time. Thread-safe.
  absl::Status Check(const grpc::ServerContextBase& context, Role role) const;

  // The same for a raw "authorization" header value (HTTP callers).
  absl::Status CheckHeader(absl::string_view authorization, Role role) const;

 private:
  struct Entry {
    std::array<unsigned char, 32> digest;
    bool admin;
  };
  bool enabled_ = false;
  std::vector<Entry> entries_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_TOKEN_AUTH_H_

#include "service/http_listener.h"

#include <httplib.h>
#include <sys/socket.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace nlpd {

absl::StatusOr<std::string> ServeInBackground(httplib::Server& server,
                                              const std::string& address,
                                              absl::string_view flag,
                                              absl::string_view what,
                                              std::thread* thread) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, "=", address, ": expected HOST:PORT (port 0: any)"));
  }
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, "=", address, ": bad port"));
  }
  absl::string_view host = absl::string_view(address).substr(0, colon);
  if (absl::ConsumePrefix(&host, "[")) absl::ConsumeSuffix(&host, "]");

  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  const std::string bind_host(host);
  const int bound = port == 0
                        ? server.bind_to_any_port(bind_host)
                        : (server.bind_to_port(bind_host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for ", what, " on ", address,
                     " (address in use or invalid?)"));
  }
  *thread = std::thread([&server] { server.listen_after_bind(); });
  while (!server.is_running()) absl::SleepFor(absl::Milliseconds(1));
  return absl::StrCat(address.substr(0, colon), ":", bound);
}

}  // namespace nlpd

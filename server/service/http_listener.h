// Serving a cpp-httplib server on HOST:PORT in the background, the one way
// the server's HTTP endpoints (the HTTP/JSON gateway, /metrics) listen.
#ifndef NLPD_SERVER_SERVICE_HTTP_LISTENER_H_
#define NLPD_SERVER_SERVICE_HTTP_LISTENER_H_

#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace nlpd {

// Binds `server` to `address` ("HOST:PORT"; brackets around an IPv6 host;
// port 0 picks a free one) without SO_REUSEPORT, which httplib sets by
// default and which would let a second server silently share the port, and
// runs its loop on `*thread` until server.stop(). Returns the bound
// "HOST:PORT" once the loop runs: httplib's stop() does nothing before
// that. `flag` ("--http_listen") and `what` ("HTTP") name the endpoint in
// errors: INVALID_ARGUMENT for a malformed address, UNAVAILABLE when it
// cannot bind. The caller joins `*thread` after server.stop().
absl::StatusOr<std::string> ServeInBackground(httplib::Server& server,
                                              const std::string& address,
                                              absl::string_view flag,
                                              absl::string_view what,
                                              std::thread* thread);

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_HTTP_LISTENER_H_

#include "service/http_gateway.h"

#include <httplib.h>

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "runtime/call_context.h"
#include "service/http_listener.h"

namespace nlpd {
namespace {

namespace pb = google::protobuf;

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";
constexpr char kJson[] = "application/json";
// A JSON string takes at most 6 bytes per byte of text ("\u00e4" for one
// UTF-8 byte); the rest of the request is small.
constexpr uint64_t kJsonBytesPerTextByte = 6;
constexpr uint64_t kBodyOverheadBytes = uint64_t{64} * 1024;
// How often a waiting handler looks whether the gateway is stopping.
constexpr absl::Duration kWaitSlice = absl::Milliseconds(100);

// Resolves type URLs against the generated pool (nlpd.v1 and the result
// types of in-process plugins) and then against the private pools of the
// plugins of one registry (isolated plugins' descriptor sets). Borrows
// `registry` for its lifetime; use from one thread.
class ResultTypeResolver final : public pb::util::TypeResolver {
 public:
  explicit ResultTypeResolver(const PluginRegistry& registry) {
    resolvers_.emplace_back(pb::util::NewTypeResolverForDescriptorPool(
        kTypeUrlPrefix, pb::DescriptorPool::generated_pool()));
    std::vector<const pb::DescriptorPool*> seen = {
        pb::DescriptorPool::generated_pool()};
    for (const RegisteredPlugin& plugin : registry.plugins()) {
      if (plugin.schema == nullptr || plugin.schema->type() == nullptr) {
        continue;
      }
      const pb::DescriptorPool* pool = plugin.schema->type()->file()->pool();
      if (std::find(seen.begin(), seen.end(), pool) != seen.end()) continue;
      seen.push_back(pool);
      resolvers_.emplace_back(
          pb::util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, pool));
    }
  }

  pb::util::Status ResolveMessageType(const std::string& type_url,
                                      pb::Type* type) override {
    pb::util::Status status;
    for (const auto& resolver : resolvers_) {
      status = resolver->ResolveMessageType(type_url, type);
      if (status.ok()) return status;
    }
    return status;
  }

  pb::util::Status ResolveEnumType(const std::string& type_url,
                                   pb::Enum* enum_type) override {
    pb::util::Status status;
    for (const auto& resolver : resolvers_) {
      status = resolver->ResolveEnumType(type_url, enum_type);
      if (status.ok()) return status;
    }
    return status;
  }

 private:
  std::vector<std::unique_ptr<pb::util::TypeResolver>> resolvers_;
};

// protobuf's own Status (3.21) has a StringPiece message.
std::string MessageOf(const pb::util::Status& status) {
  return std::string(status.message().data(), status.message().size());
}

// `message` (serialized, of type `full_name`) as proto3 JSON, Any fields
// included when the registry knows their types. Errors: INTERNAL.
absl::StatusOr<std::string> ToJson(const PluginRegistry& registry,
                                   const std::string& full_name,
                                   const std::string& serialized) {
  ResultTypeResolver resolver(registry);
  std::string json;
  pb::util::Status status = pb::util::BinaryToJsonString(
      &resolver, absl::StrCat(kTypeUrlPrefix, "/", full_name), serialized,
      &json, pb::util::JsonPrintOptions());
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print the response as JSON: ", MessageOf(status)));
  }
  return json;
}

// Answers `status` (not OK) as {"code": "NOT_FOUND", "message": "..."}.
void Reply(httplib::Response& response, const absl::Status& status) {
  response.status = HttpStatusOf(status.code());
  // A string Value prints as a JSON string literal, escaped.
  pb::Value message;
  message.set_string_value(std::string(status.message()));
  std::string quoted;
  if (!pb::util::MessageToJsonString(message, &quoted).ok()) quoted = "\"\"";
  const std::string body =
      absl::StrCat("{\"code\":\"", absl::StatusCodeToString(status.code()),
                   "\",\"message\":", quoted, "}");
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    response.set_header("WWW-Authenticate", "Bearer");
  }
  response.set_content(body, kJson);
}

void ReplyJson(httplib::Response& response, const std::string& json) {
  response.status = 200;
  response.set_content(json, kJson);
}

// The analysis of one request, shared by the handler and its pool task so
// that a handler that gives up leaves the task something valid to write.
struct AnalyzeCall {
  v1::AnalyzeRequest request;
  absl::Time deadline = absl::InfiniteFuture();
  std::atomic<bool> abandoned{false};
  absl::Notification done;
  absl::Status status;     // valid once done
  std::string serialized;  // AnalyzeResponse, valid once done and ok
};

}  // namespace

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:  // UNKNOWN, INTERNAL, DATA_LOSS
      return 500;
  }
}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    const std::string& address, HttpGatewayOptions options) {
  std::unique_ptr<HttpGateway> gateway(new HttpGateway());
  gateway->options_ = std::move(options);
  const HttpGatewayOptions& o = gateway->options_;
  if (o.tls_cert.empty()) {
    gateway->http_ = std::make_unique<httplib::Server>();
  } else {
    gateway->http_ = std::make_unique<httplib::SSLServer>(
        o.tls_cert.c_str(), o.tls_key.c_str(),
        o.tls_client_ca.empty() ? nullptr : o.tls_client_ca.c_str());
    if (!gateway->http_->is_valid()) {
      return absl::InvalidArgumentError(
          "HTTPS: cannot load --tls_cert/--tls_key (or --tls_client_ca)");
    }
  }
  httplib::Server& http = *gateway->http_;
  http.set_payload_max_length(o.max_text_bytes * kJsonBytesPerTextByte +
                              kBodyOverheadBytes);
  HttpGateway* self = gateway.get();
  http.Get("/healthz", [self](const httplib::Request&, httplib::Response& r) {
    const bool serving = self->serving_.load();
    r.status = serving ? 200 : 503;
    r.set_content(serving ? "SERVING\n" : "NOT_SERVING\n", "text/plain");
  });
  http.Get("/v1/plugins",
           [self](const httplib::Request& request, httplib::Response& r) {
             const HttpGatewayOptions& o = self->options_;
             if (absl::Status allowed = o.auth->CheckHeader(
                     request.get_header_value("Authorization"), Role::kReader);
                 !allowed.ok()) {
               return Reply(r, allowed);
             }
             v1::ListPluginsResponse list = o.plugins->List();
             *list.mutable_server() = o.server_info;
             absl::StatusOr<std::string> json = ToJson(
                 *o.plugins->Current(), list.GetDescriptor()->full_name(),
                 list.SerializeAsString());
             if (!json.ok()) return Reply(r, json.status());
             ReplyJson(r, *json);
           });
  http.Post("/v1/analyze",
            [self](const httplib::Request& request, httplib::Response& r) {
              self->Analyze(request, r);
            });
  http.set_error_handler([](const httplib::Request& request,
                            httplib::Response& r) {
    if (!r.body.empty()) return;
    if (r.status == 404) {
      Reply(r, absl::NotFoundError(absl::StrCat(
                   "no such endpoint: ", request.method, " ", request.path)));
    } else if (r.status == 413) {
      Reply(r, absl::InvalidArgumentError(
                   "request body too large for max_text_bytes"));
      r.status = 413;
    }
  });

  gateway->serving_ = true;
  absl::StatusOr<std::string> bound = ServeInBackground(
      http, address, "--http_listen", "HTTP", &gateway->thread_);
  if (!bound.ok()) return bound.status();
  gateway->address_ = *std::move(bound);
  Log(LogLevel::kInfo, absl::StrCat(o.tls_cert.empty() ? "HTTP" : "HTTPS",
                                    " on ", gateway->address_));
  return gateway;
}

HttpGateway::~HttpGateway() { Stop(); }

void HttpGateway::Stop(absl::Duration grace) {
  if (stopped_) return;
  stopped_ = true;
  serving_ = false;
  {
    absl::MutexLock lock(&mutex_);
    give_up_ = absl::Now() + grace;
  }
  // Closes the listening socket; the serving thread then joins httplib's
  // handler threads, which return by give_up_ at the latest.
  if (http_ != nullptr) http_->stop();
  if (thread_.joinable()) thread_.join();
}

void HttpGateway::Analyze(const httplib::Request& request,
                          httplib::Response& r) {
  const HttpGatewayOptions& o = options_;
  if (absl::Status allowed = o.auth->CheckHeader(
          request.get_header_value("Authorization"), Role::kReader);
      !allowed.ok()) {
    return Reply(r, allowed);
  }
  auto call = std::make_shared<AnalyzeCall>();
  pb::util::JsonParseOptions parse_options;
  if (pb::util::Status parsed = pb::util::JsonStringToMessage(
          request.body, &call->request, parse_options);
      !parsed.ok()) {
    return Reply(r, absl::InvalidArgumentError(absl::StrCat(
                        "malformed JSON AnalyzeRequest: ", MessageOf(parsed))));
  }
  if (request.has_header("X-Timeout-Seconds")) {
    double seconds = 0;
    if (!absl::SimpleAtod(request.get_header_value("X-Timeout-Seconds"),
                          &seconds) ||
        !(seconds > 0)) {
      return Reply(r, absl::InvalidArgumentError(
                          "X-Timeout-Seconds: expected a positive number"));
    }
    call->deadline = absl::Now() + absl::Seconds(seconds);
  }
  const Analyzer* analyzer = o.analyzer;
  const bool queued = o.pool->TrySubmit(
      [analyzer, call] {
        CallContext context;
        context.deadline = call->deadline;
        context.is_cancelled = [call] { return call->abandoned.load(); };
        google::protobuf::Arena arena;
        auto* response =
            google::protobuf::Arena::CreateMessage<v1::AnalyzeResponse>(&arena);
        absl::Status status =
            context.Over()
                ? absl::DeadlineExceededError(
                      "deadline exceeded before the analysis started")
                : analyzer->Analyze(call->request, context, response);
        if (status.ok() && !response->SerializeToString(&call->serialized)) {
          status = absl::InternalError("cannot serialize the response");
        }
        call->status = std::move(status);
        call->done.Notify();
      },
      call->deadline);
  if (!queued) {
    return Reply(r, absl::ResourceExhaustedError(absl::StrCat(
                        "server busy: ", o.pool->queue_capacity(),
                        " documents already wait for a worker (queue_size); "
                        "retry with backoff")));
  }
  // Like gRPC, the caller gets DEADLINE_EXCEEDED at its deadline whatever
  // the analysis is doing; the analysis sees the call as over and stops at
  // its next check.
  while (!call->done.WaitForNotificationWithDeadline(
      std::min(call->deadline, absl::Now() + kWaitSlice))) {
    if (absl::Now() >= call->deadline) {
      call->abandoned = true;
      return Reply(r, absl::DeadlineExceededError(
                          "deadline exceeded (X-Timeout-Seconds)"));
    }
    absl::MutexLock lock(&mutex_);
    if (absl::Now() > give_up_) {
      call->abandoned = true;
      return Reply(r, absl::UnavailableError("the server is shutting down"));
    }
  }
  if (!call->status.ok()) return Reply(r, call->status);
  absl::StatusOr<std::string> json =
      ToJson(*o.plugins->Current(),
             v1::AnalyzeResponse::descriptor()->full_name(), call->serialized);
  if (!json.ok()) return Reply(r, json.status());
  ReplyJson(r, *json);
}

}  // namespace nlpd

// nlpd.v1.AnalysisService over gRPC's callback API. Handlers never run
// plugins on gRPC's threads: they queue the work on the WorkerPool and
// finish the call when it is done, so the pool size and queue bound decide
// the server's concurrency and overload behavior. The exception is a short
// request (at most kInlineRequestBytes, unary or one document of a stream)
// that asks for no plugin analysis: its text pipeline runs on the gRPC thread,
// bounded work cheaper than the hand-off to a worker. Analyze and AnalyzeStream
// take their requests as raw bytes (wire_request.h), so that invalid UTF-8
// gets a precise INVALID_ARGUMENT instead of a protobuf parse failure.
#ifndef NLPD_SERVER_SERVICE_ANALYSIS_SERVICE_H_
#define NLPD_SERVER_SERVICE_ANALYSIS_SERVICE_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "nlpd/v1/nlpd.grpc.pb.h"
#include "pipeline/analyzer.h"
#include "plugins/plugin_manager.h"
#include "runtime/metrics.h"
#include "runtime/worker_pool.h"
#include "service/call_log.h"
#include "service/token_auth.h"

namespace nlpd {

class AnalysisService final
    : public v1::AnalysisService::WithRawCallbackMethod_Analyze<
          v1::AnalysisService::WithRawCallbackMethod_AnalyzeStream<
              v1::AnalysisService::WithCallbackMethod_ListPlugins<
                  v1::AnalysisService::Service>>> {
 public:
  // Borrows everything; all must outlive the gRPC server this service is
  // registered with. `stream_window` bounds the requests of one stream in
  // flight (at least 1). `server_info` is reported by ListPlugins.
  // `auth` decides who may call (Role::kReader).
  // `metrics` (may be null) records every call.
  AnalysisService(const Analyzer* analyzer, const PluginManager* plugins,
                  WorkerPool* pool, const TokenAuth* auth, Metrics* metrics,
                  size_t stream_window, v1::ServerInfo server_info);

  // Payloads: a serialized nlpd.v1.AnalyzeRequest in, AnalyzeResponse out.
  grpc::ServerUnaryReactor* Analyze(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;

  // Payloads: nlpd.v1.StreamRequest in, nlpd.v1.StreamResponse out.
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* AnalyzeStream(
      grpc::CallbackServerContext* context) override;

  grpc::ServerUnaryReactor* ListPlugins(
      grpc::CallbackServerContext* context,
      const v1::ListPluginsRequest* request,
      v1::ListPluginsResponse* response) override;

  // Serialized requests (unary, or one document of a stream) up to this size
  // that ask for no plugin analysis are answered on the gRPC thread (about
  // 40 us of text pipeline per KB).
  static constexpr size_t kInlineRequestBytes = 4096;

 private:
  // Runs one parsed (or refused) request, writes the response, finishes
  // the call and its log line. Thread-safe.
  void AnalyzeAndFinish(grpc::CallbackServerContext* context,
                        const absl::StatusOr<v1::AnalyzeRequest>& parsed,
                        size_t request_bytes, grpc::ByteBuffer* response,
                        grpc::ServerUnaryReactor* reactor, CallLog& log) const;

  const Analyzer* const analyzer_;
  const PluginManager* const plugins_;
  WorkerPool* const pool_;
  const TokenAuth* const auth_;
  Metrics* const metrics_;
  const size_t stream_window_;
  const v1::ServerInfo server_info_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_ANALYSIS_SERVICE_H_

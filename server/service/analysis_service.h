// nlpd.v1.AnalysisService over gRPC's callback API. Handlers never run
// analyses on gRPC's threads: they queue them on the WorkerPool and finish
// the call when the work is done, so the pool size and queue bound decide
// the server's concurrency and overload behavior. Analyze and AnalyzeStream
// take their requests as raw bytes (wire_request.h), so that invalid UTF-8
// gets a precise INVALID_ARGUMENT instead of a protobuf parse failure.
#ifndef NLPD_SERVER_SERVICE_ANALYSIS_SERVICE_H_
#define NLPD_SERVER_SERVICE_ANALYSIS_SERVICE_H_

#include <cstddef>

#include "nlpd/v1/nlpd.grpc.pb.h"
#include "pipeline/analyzer.h"
#include "plugins/plugin_manager.h"
#include "runtime/metrics.h"
#include "runtime/worker_pool.h"
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

 private:
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

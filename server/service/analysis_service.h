// nlpd.v1.AnalysisService over gRPC's callback API. Handlers never run
// analyses on gRPC's threads: they queue them on the WorkerPool and finish
// the call when the work is done, so the pool size and queue bound decide
// the server's concurrency and overload behavior.
#ifndef NLPD_SERVER_SERVICE_ANALYSIS_SERVICE_H_
#define NLPD_SERVER_SERVICE_ANALYSIS_SERVICE_H_

#include <cstddef>

#include "nlpd/v1/nlpd.grpc.pb.h"
#include "pipeline/analyzer.h"
#include "plugins/plugin_registry.h"
#include "runtime/worker_pool.h"

namespace nlpd {

class AnalysisService final : public v1::AnalysisService::CallbackService {
 public:
  // Borrows everything; all must outlive the gRPC server this service is
  // registered with. `stream_window` bounds the requests of one stream in
  // flight (at least 1).
  AnalysisService(const Analyzer* analyzer, const PluginRegistry* registry,
                  WorkerPool* pool, size_t stream_window);

  grpc::ServerUnaryReactor* Analyze(grpc::CallbackServerContext* context,
                                    const v1::AnalyzeRequest* request,
                                    v1::AnalyzeResponse* response) override;

  grpc::ServerBidiReactor<v1::StreamRequest, v1::StreamResponse>*
  AnalyzeStream(grpc::CallbackServerContext* context) override;

  grpc::ServerUnaryReactor* ListPlugins(grpc::CallbackServerContext* context,
                                        const v1::ListPluginsRequest* request,
                                        v1::ListPluginsResponse* response) override;

 private:
  const Analyzer* const analyzer_;
  WorkerPool* const pool_;
  const size_t stream_window_;
  // Built once: the registry is immutable.
  const v1::ListPluginsResponse plugin_list_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_ANALYSIS_SERVICE_H_

#include "service/analysis_service.h"

#include <deque>
#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "service/grpc_status.h"

namespace nlpd {
namespace {

v1::ListPluginsResponse MakePluginList(const PluginRegistry& registry) {
  v1::ListPluginsResponse list;
  for (const auto& plugin : registry.plugins()) {
    *list.add_plugins() = plugin->info();
  }
  for (const v1::PluginLoadError& error : registry.load_errors()) {
    *list.add_load_errors() = error;
  }
  return list;
}

CallContext MakeCallContext(grpc::CallbackServerContext* context) {
  CallContext call;
  call.deadline = absl::FromChrono(context->deadline());
  call.is_cancelled = [context] { return context->IsCancelled(); };
  return call;
}

absl::Status Busy(const WorkerPool& pool) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "server busy: ", pool.queue_capacity(),
      " documents already wait for a worker (queue_size); retry with backoff"));
}

// One AnalyzeStream call. Reads a request only while fewer than `window`
// are in flight, so gRPC flow control pushes back on a fast client; answers
// in request order. Deletes itself in OnDone.
//
// Locking: state is guarded by mutex_, but StartRead/StartWrite/Finish are
// called after releasing it (collected as Actions), because gRPC may run a
// reaction on the calling thread.
class StreamReactor final
    : public grpc::ServerBidiReactor<v1::StreamRequest, v1::StreamResponse> {
 public:
  StreamReactor(grpc::CallbackServerContext* context, const Analyzer* analyzer,
                WorkerPool* pool, size_t window)
      : context_(context), analyzer_(analyzer), pool_(pool), window_(window) {
    reading_ = true;
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    std::unique_ptr<v1::StreamRequest> request;
    Slot* slot = nullptr;
    {
      absl::MutexLock lock(&mutex_);
      reading_ = false;
      if (!ok) {
        reads_done_ = true;  // client finished sending, or the call broke
      } else {
        request = std::make_unique<v1::StreamRequest>(std::move(incoming_));
        incoming_.Clear();
        slot = &slots_.emplace_back();
        slot->response.set_id(request->id());
        ++in_flight_;
      }
    }
    if (slot != nullptr) Submit(slot, std::move(request));
    Perform(NextActions());
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mutex_);
      writing_ = false;
      if (!ok) broken_ = true;  // the client is gone; drop what is left
    }
    Perform(NextActions());
  }

  void OnDone() override { delete this; }

 private:
  struct Slot {
    v1::StreamResponse response;
    bool ready = false;
  };
  struct Actions {
    bool read = false;
    const v1::StreamResponse* write = nullptr;
    bool finish = false;
  };

  void Submit(Slot* slot, std::unique_ptr<v1::StreamRequest> request) {
    bool queued = pool_->TrySubmit([this, slot, request = std::move(request)] {
      v1::AnalyzeResponse response;
      absl::Status status = analyzer_->Analyze(
          request->request(), MakeCallContext(context_), &response);
      Complete(slot, status, std::move(response));
    });
    if (!queued) Complete(slot, Busy(*pool_), v1::AnalyzeResponse());
  }

  void Complete(Slot* slot, const absl::Status& status,
                v1::AnalyzeResponse response) {
    {
      absl::MutexLock lock(&mutex_);
      if (status.ok()) {
        *slot->response.mutable_response() = std::move(response);
      } else {
        v1::Error* error = slot->response.mutable_error();
        error->set_code(static_cast<int>(status.code()));
        error->set_message(std::string(status.message()));
      }
      slot->ready = true;
      --in_flight_;
    }
    Perform(NextActions());
  }

  // Decides what to start next; the caller performs it unlocked.
  Actions NextActions() {
    absl::MutexLock lock(&mutex_);
    Actions actions;
    if (finished_) return actions;
    if (broken_) {
      while (!slots_.empty() && slots_.front().ready) slots_.pop_front();
    }
    if (!broken_ && !writing_ && !slots_.empty() && slots_.front().ready) {
      outgoing_ = std::move(slots_.front().response);
      slots_.pop_front();
      writing_ = true;
      actions.write = &outgoing_;
    }
    if (!reads_done_ && !reading_ && in_flight_ < window_ &&
        slots_.size() < 2 * window_) {
      reading_ = true;
      actions.read = true;
    }
    if (reads_done_ && !reading_ && in_flight_ == 0 && !writing_ &&
        slots_.empty()) {
      finished_ = true;
      actions.finish = true;
    }
    return actions;
  }

  void Perform(const Actions& actions) {
    if (actions.read) StartRead(&incoming_);
    if (actions.write != nullptr) StartWrite(actions.write);
    if (actions.finish) {
      Finish(context_->IsCancelled()
                 ? grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")
                 : grpc::Status::OK);
    }
  }

  grpc::CallbackServerContext* const context_;
  const Analyzer* const analyzer_;
  WorkerPool* const pool_;
  const size_t window_;

  absl::Mutex mutex_;
  // Read buffer; owned by gRPC while reading_.
  v1::StreamRequest incoming_;
  // Write buffer; owned by gRPC while writing_.
  v1::StreamResponse outgoing_;
  // Responses not yet written, in request order. std::deque keeps
  // references to elements stable across push_back/pop_front.
  std::deque<Slot> slots_ ABSL_GUARDED_BY(mutex_);
  size_t in_flight_ ABSL_GUARDED_BY(mutex_) = 0;
  bool reading_ ABSL_GUARDED_BY(mutex_) = false;
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mutex_) = false;
  bool broken_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace

AnalysisService::AnalysisService(const Analyzer* analyzer,
                                 const PluginRegistry* registry,
                                 WorkerPool* pool, size_t stream_window)
    : analyzer_(analyzer),
      pool_(pool),
      stream_window_(std::max<size_t>(stream_window, 1)),
      plugin_list_(MakePluginList(*registry)) {}

grpc::ServerUnaryReactor* AnalysisService::Analyze(
    grpc::CallbackServerContext* context, const v1::AnalyzeRequest* request,
    v1::AnalyzeResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  bool queued =
      pool_->TrySubmit([this, context, request, response, reactor] {
        absl::Status status =
            analyzer_->Analyze(*request, MakeCallContext(context), response);
        if (!status.ok()) response->Clear();
        reactor->Finish(ToGrpcStatus(status));
      });
  if (!queued) reactor->Finish(ToGrpcStatus(Busy(*pool_)));
  return reactor;
}

grpc::ServerBidiReactor<v1::StreamRequest, v1::StreamResponse>*
AnalysisService::AnalyzeStream(grpc::CallbackServerContext* context) {
  return new StreamReactor(context, analyzer_, pool_, stream_window_);
}

grpc::ServerUnaryReactor* AnalysisService::ListPlugins(
    grpc::CallbackServerContext* context,
    const v1::ListPluginsRequest* /*request*/,
    v1::ListPluginsResponse* response) {
  *response = plugin_list_;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace nlpd

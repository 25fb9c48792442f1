#include "service/analysis_service.h"

#include <malloc.h>

#include <deque>
#include <memory>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/arena.h"
#include "service/call_log.h"
#include "service/grpc_status.h"
#include "service/wire_request.h"

namespace nlpd {
namespace {

// The call's deadline; absl::InfiniteFuture() when the client set none.
absl::Time DeadlineOf(const grpc::CallbackServerContext* context) {
  const auto deadline = context->deadline();
  return deadline == std::chrono::system_clock::time_point::max()
             ? absl::InfiniteFuture()
             : absl::FromChrono(deadline);
}

CallContext MakeCallContext(grpc::CallbackServerContext* context) {
  CallContext call;
  call.deadline = DeadlineOf(context);
  call.is_cancelled = [context] { return context->IsCancelled(); };
  return call;
}

// After a request of this many bytes (a text of hundreds of KB makes a
// document model of tens of MB), the memory it freed goes back to the
// system: malloc keeps freed memory of worker threads' arenas otherwise, and
// one large document would leave the server's resident size raised for good.
constexpr size_t kReleaseMemoryAfterBytes = size_t{256} * 1024;

void ReleaseMemoryAfter(size_t request_bytes) {
  // A few milliseconds, once per large request: small next to its analysis.
  if (request_bytes >= kReleaseMemoryAfterBytes) malloc_trim(0);
}

absl::Status Busy(const WorkerPool& pool) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "server busy: ", pool.queue_capacity(),
      " documents already wait for a worker (queue_size); retry with backoff"));
}

// Whether a request read on the gRPC thread (one of at most
// AnalysisService::kInlineRequestBytes) is also answered there: when it is
// refused, or asks for no plugin analysis (the text pipeline only: our own
// code, tens of microseconds, no plugin that could hang), which costs less
// than the two thread hand-offs to a worker and back.
bool AnswerOnGrpcThread(const absl::StatusOr<v1::AnalyzeRequest>& request) {
  return !request.ok() || request->analyses().empty();
}

// One AnalyzeStream call. Reads a request only while fewer than `window`
// are in flight, so gRPC flow control pushes back on a fast client; answers
// in request order. Deletes itself in OnDone.
//
// Locking: state is guarded by mutex_, but StartRead/StartWrite/Finish are
// called after releasing it (collected as Actions), because gRPC may run a
// reaction on the calling thread.
class StreamReactor final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamReactor(grpc::CallbackServerContext* context, const Analyzer* analyzer,
                WorkerPool* pool, size_t window, std::unique_ptr<CallLog> log)
      : context_(context),
        analyzer_(analyzer),
        pool_(pool),
        window_(window),
        log_(std::move(log)) {
    reading_ = true;
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    auto payload = std::make_shared<grpc::ByteBuffer>();
    Slot* slot = nullptr;
    {
      absl::MutexLock lock(&mutex_);
      reading_ = false;
      if (!ok) {
        reads_done_ = true;  // client finished sending, or the call broke
      } else {
        payload->Swap(&incoming_);
        bytes_in_ += payload->Length();
        ++documents_;
        slot = &slots_.emplace_back();
        ++in_flight_;
      }
    }
    if (slot != nullptr) Submit(slot, std::move(payload));
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

  void OnDone() override {
    absl::Status status = absl::OkStatus();
    size_t documents = 0, bytes_in = 0, bytes_out = 0;
    {
      absl::MutexLock lock(&mutex_);
      if (broken_) status = absl::CancelledError("the client went away");
      documents = documents_;
      bytes_in = bytes_in_;
      bytes_out = bytes_out_;
    }
    log_->Finish(status, bytes_in, bytes_out,
                 absl::StrCat(documents, " documents"));
    delete this;
  }

 private:
  // One request's place in the response order. Holds the serialized
  // StreamResponse: a fraction of the message's memory, and serialized on
  // the worker rather than under mutex_.
  struct Slot {
    grpc::ByteBuffer payload;
    bool ready = false;
  };
  struct Actions {
    bool read = false;
    bool write = false;
    // Another answer is ready behind this one: let gRPC hold this write
    // back and send both together (fewer frames and syscalls).
    bool more_ready = false;
    bool finish = false;
  };

  // Runs one read item (of `bytes` on the wire) and completes its slot.
  void AnalyzeItem(Slot* slot, StreamItem item, size_t bytes) {
    {
      google::protobuf::Arena arena;
      auto* response =
          google::protobuf::Arena::CreateMessage<v1::AnalyzeResponse>(&arena);
      absl::Status status = item.request.status();
      if (status.ok()) {
        status = analyzer_->Analyze(*item.request, MakeCallContext(context_),
                                    response);
      }
      Complete(slot, std::move(item.id), status, response);
    }
    ReleaseMemoryAfter(bytes);  // the arena is gone now
  }

  void Submit(Slot* slot,
              const std::shared_ptr<const grpc::ByteBuffer>& payload) {
    std::optional<StreamItem> item;
    if (payload->Length() <= AnalysisService::kInlineRequestBytes) {
      item = ReadStreamRequest(*payload);
      if (AnswerOnGrpcThread(item->request)) {
        AnalyzeItem(slot, *std::move(item), payload->Length());
        return;
      }
    }
    bool queued = pool_->TrySubmit(
        [this, slot, payload, item = std::move(item)]() mutable {
          if (!item.has_value()) item = ReadStreamRequest(*payload);
          AnalyzeItem(slot, *std::move(item), payload->Length());
        },
        DeadlineOf(context_));
    if (!queued) {
      // Rare (many streams at once): reading the id here, on the gRPC
      // thread, is cheap enough.
      Complete(slot, ReadStreamRequest(*payload).id, Busy(*pool_), nullptr);
    }
  }

  // Serializes the outcome of one request into its slot. `response` (null
  // on error) stays owned by the caller.
  void Complete(Slot* slot, std::string id, absl::Status status,
                const v1::AnalyzeResponse* response) {
    v1::StreamResponse message;
    message.set_id(std::move(id));
    grpc::ByteBuffer payload;
    if (status.ok()) {
      // Borrow the response for serialization instead of copying it off
      // its arena.
      message.unsafe_arena_set_allocated_response(
          const_cast<v1::AnalyzeResponse*>(response));
      status = WriteMessage(message, &payload);
      message.unsafe_arena_release_response();
    }
    if (!status.ok()) {
      v1::Error* error = message.mutable_error();
      error->set_code(static_cast<int>(status.code()));
      error->set_message(std::string(status.message()));
      // An id and a short message always serialize.
      WriteMessage(message, &payload).IgnoreError();
    }
    {
      absl::MutexLock lock(&mutex_);
      slot->payload.Swap(&payload);
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
      outgoing_.Swap(&slots_.front().payload);
      bytes_out_ += outgoing_.Length();
      slots_.pop_front();
      writing_ = true;
      actions.write = true;
      actions.more_ready = !slots_.empty() && slots_.front().ready;
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
    if (actions.write) {
      grpc::WriteOptions options;
      if (actions.more_ready) options.set_buffer_hint();
      StartWrite(&outgoing_, options);
    }
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
  // Read buffer (a serialized StreamRequest); owned by gRPC while reading_.
  grpc::ByteBuffer incoming_;
  // Write buffer (a serialized StreamResponse); owned by gRPC while writing_.
  grpc::ByteBuffer outgoing_;
  // Responses not yet written, in request order. std::deque keeps
  // references to elements stable across push_back/pop_front.
  std::deque<Slot> slots_ ABSL_GUARDED_BY(mutex_);
  size_t in_flight_ ABSL_GUARDED_BY(mutex_) = 0;
  bool reading_ ABSL_GUARDED_BY(mutex_) = false;
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mutex_) = false;
  bool broken_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
  // For the call's log line, read in OnDone when nothing else runs.
  const std::unique_ptr<CallLog> log_;
  size_t documents_ ABSL_GUARDED_BY(mutex_) = 0;
  size_t bytes_in_ ABSL_GUARDED_BY(mutex_) = 0;
  size_t bytes_out_ ABSL_GUARDED_BY(mutex_) = 0;
};

// A stream refused before it starts (no valid token). Deletes itself.
class RefusedStream final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit RefusedStream(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

AnalysisService::AnalysisService(const Analyzer* analyzer,
                                 const PluginManager* plugins, WorkerPool* pool,
                                 const TokenAuth* auth, Metrics* metrics,
                                 size_t stream_window,
                                 v1::ServerInfo server_info)
    : analyzer_(analyzer),
      plugins_(plugins),
      pool_(pool),
      auth_(auth),
      metrics_(metrics),
      stream_window_(std::max<size_t>(stream_window, 1)),
      server_info_(std::move(server_info)) {}

void AnalysisService::AnalyzeAndFinish(
    grpc::CallbackServerContext* context,
    const absl::StatusOr<v1::AnalyzeRequest>& parsed, size_t request_bytes,
    grpc::ByteBuffer* response, grpc::ServerUnaryReactor* reactor,
    CallLog& log) const {
  // One arena per call: thousands of token messages, freed at once.
  google::protobuf::Arena arena;
  auto* result =
      google::protobuf::Arena::CreateMessage<v1::AnalyzeResponse>(&arena);
  absl::Status status = parsed.status();
  if (status.ok()) {
    status = analyzer_->Analyze(*parsed, MakeCallContext(context), result);
  }
  if (status.ok()) status = WriteMessage(*result, response);
  log.Finish(status, request_bytes, status.ok() ? response->Length() : 0,
             parsed.ok() ? absl::StrJoin(parsed->analyses(), ",") : "");
  reactor->Finish(ToGrpcStatus(status));
}

grpc::ServerUnaryReactor* AnalysisService::Analyze(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto log = std::make_shared<CallLog>(context, "Analyze", metrics_);
  const size_t request_bytes = request->Length();
  if (absl::Status allowed = auth_->Check(*context, Role::kReader);
      !allowed.ok()) {
    log->Finish(allowed, request_bytes, 0, "");
    reactor->Finish(ToGrpcStatus(allowed));
    return reactor;
  }
  std::optional<absl::StatusOr<v1::AnalyzeRequest>> parsed;
  if (request_bytes <= kInlineRequestBytes) {
    parsed = ReadAnalyzeRequest(*request);
    if (AnswerOnGrpcThread(*parsed)) {
      AnalyzeAndFinish(context, *parsed, request_bytes, response, reactor,
                       *log);
      return reactor;
    }
  }
  bool queued = pool_->TrySubmit(
      [this, context, request, request_bytes, response, reactor, log,
       parsed = std::move(parsed)]() mutable {
        if (!parsed.has_value()) parsed = ReadAnalyzeRequest(*request);
        AnalyzeAndFinish(context, *parsed, request_bytes, response, reactor,
                         *log);
        ReleaseMemoryAfter(request_bytes);  // the call's arena is gone now
      },
      DeadlineOf(context));
  if (!queued) {
    log->Finish(Busy(*pool_), request_bytes, 0, "");
    reactor->Finish(ToGrpcStatus(Busy(*pool_)));
  }
  return reactor;
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
AnalysisService::AnalyzeStream(grpc::CallbackServerContext* context) {
  auto log = std::make_unique<CallLog>(context, "AnalyzeStream", metrics_);
  if (absl::Status allowed = auth_->Check(*context, Role::kReader);
      !allowed.ok()) {
    log->Finish(allowed, 0, 0, "");
    return new RefusedStream(ToGrpcStatus(allowed));
  }
  return new StreamReactor(context, analyzer_, pool_, stream_window_,
                           std::move(log));
}

grpc::ServerUnaryReactor* AnalysisService::ListPlugins(
    grpc::CallbackServerContext* context,
    const v1::ListPluginsRequest* /*request*/,
    v1::ListPluginsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  CallLog log(context, "ListPlugins", metrics_);
  if (absl::Status allowed = auth_->Check(*context, Role::kReader);
      !allowed.ok()) {
    log.Finish(allowed, 0, 0, "");
    reactor->Finish(ToGrpcStatus(allowed));
    return reactor;
  }
  *response = plugins_->List();
  *response->mutable_server() = server_info_;
  log.Finish(absl::OkStatus(), 0, response->ByteSizeLong(), "");
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace nlpd

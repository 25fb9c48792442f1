// test_fault: an SDK plugin that misbehaves on request, for the tests that
// prove a bad plugin fails only its own call (in process) or only its own
// child process (--isolate=test_fault). A keyword in the text picks the
// fault; the first one found in this order wins:
//
//   FAULT_ERROR     returns an INTERNAL error
//   FAULT_GARBAGE   writes bytes that do not parse as nlpd.v1.EntitiesResult
//                   (a length-delimited field cut short)
//   FAULT_THROW     throws std::runtime_error out of Analyze (the SDK turns it
//                   into an INTERNAL error)
//   FAULT_SEGFAULT  writes through a null pointer (SIGSEGV)
//   FAULT_ABORT     calls abort() (SIGABRT)
//   FAULT_HANG      sleeps 60 s and ignores cancellation
//   FAULT_LEAK      allocates and touches 10 MB it never frees, then answers
//                   as a good call does
//   FAULT_BAD_SPAN  returns one entity whose span ends at byte and code point
//                   1000, far past any test text
//   FAULT_SPLIT_UTF8 returns one entity whose span ends one byte into the
//                   text's first multi-byte character (the text must have one)
//   FAULT_WRONG_TYPE writes the bytes of an nlpd.v1.SentimentResult (one
//                   empty summary, field 4), which parse as an EntitiesResult
//                   with an unknown field
//
// Any other text gets one entity labeled "FIRST_WORD" over the first word
// (the first run of characters that are not ASCII white space), with correct
// byte and code-point offsets. Result type nlpd.v1.EntitiesResult; thread
// safe; does not poll for cancellation.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "nlpd/plugin_sdk.h"
#include "nlpd/v1/results.pb.h"

namespace {

constexpr size_t kLeakBytes = 10 * 1024 * 1024;

bool Contains(std::string_view text, std::string_view keyword) {
  return text.find(keyword) != std::string_view::npos;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Code points in the valid UTF-8 `text`: bytes that are not continuation
// bytes.
uint32_t CodePoints(std::string_view text) {
  uint32_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// Memory FAULT_LEAK took. Reachable, so leak checkers stay quiet, but never
// freed while the process lives.
std::mutex leak_mutex;
std::vector<std::unique_ptr<char[]>>* leaked =
    new std::vector<std::unique_ptr<char[]>>;

void Leak() {
  std::unique_ptr<char[]> block(new char[kLeakBytes]);
  std::memset(block.get(), 0x5A, kLeakBytes);  // make it resident
  std::lock_guard<std::mutex> lock(leak_mutex);
  leaked->push_back(std::move(block));
}

class FaultPlugin {
 public:
  using Result = nlpd::v1::EntitiesResult;

  static nlpd::sdk::PluginInfo Info() {
    return {.name = "test_fault",
            .version = "1.0.0",
            .description =
                "Test plugin: fails, crashes, hangs or leaks when the text "
                "asks it to",
            .languages = {"*"},
            .thread_safe = true};
  }

  static absl::StatusOr<std::unique_ptr<FaultPlugin>> Create(
      const nlpd::sdk::CreateContext& /*context*/) {
    return std::make_unique<FaultPlugin>();
  }

  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request) const {
    const std::string_view text = request.document().text();
    if (Contains(text, "FAULT_ERROR")) {
      return absl::InternalError("FAULT_ERROR: failing as asked");
    }
    // FAULT_GARBAGE never gets here: see AnalyzeOrWriteGarbage below.
    if (Contains(text, "FAULT_THROW")) {
      throw std::runtime_error("FAULT_THROW: throwing as asked");
    }
    if (Contains(text, "FAULT_SEGFAULT")) {
      // The pointer is read from a volatile object, so the compiler cannot
      // prove it null and must emit the store.
      int* volatile bad_pointer = nullptr;
      *bad_pointer = 42;
    }
    if (Contains(text, "FAULT_ABORT")) std::abort();
    if (Contains(text, "FAULT_HANG")) {
      std::this_thread::sleep_for(std::chrono::seconds(60));
    }
    if (Contains(text, "FAULT_LEAK")) Leak();

    Result result;
    nlpd::v1::Entity* entity = result.add_entities();
    nlpd::v1::Span* span = entity->mutable_span();
    if (Contains(text, "FAULT_BAD_SPAN")) {
      span->set_byte_start(0);
      span->set_byte_end(1000);
      span->set_char_start(0);
      span->set_char_end(1000);
      entity->set_label("BAD_SPAN");
      return result;
    }
    if (Contains(text, "FAULT_SPLIT_UTF8")) {
      size_t first = 0;
      while (first < text.size() && static_cast<uint8_t>(text[first]) < 0x80) {
        ++first;
      }
      span->set_byte_end(static_cast<uint32_t>(first + 1));
      span->set_char_end(CodePoints(text.substr(0, first)) + 1);
      entity->set_label("SPLIT_UTF8");
      return result;
    }
    size_t start = 0;
    while (start < text.size() && IsAsciiSpace(text[start])) ++start;
    size_t end = start;
    while (end < text.size() && !IsAsciiSpace(text[end])) ++end;
    span->set_byte_start(static_cast<uint32_t>(start));
    span->set_byte_end(static_cast<uint32_t>(end));
    span->set_char_start(CodePoints(text.substr(0, start)));
    span->set_char_end(CodePoints(text.substr(0, end)));
    entity->set_label("FIRST_WORD");
    entity->set_confidence(1.0f);
    entity->set_text(std::string(text.substr(start, end - start)));
    return result;
  }
};

// The SDK always serializes a valid Result, so FAULT_GARBAGE and
// FAULT_WRONG_TYPE are answered
// here, in front of the SDK's analyze(): it writes the bytes itself through
// the host table that create() was given.
using Sdk = nlpd::sdk::internal::Adapter<FaultPlugin>;

std::atomic<const nlpd_host_api*> host_api{nullptr};

nlpd_error* CreateKeepingHost(const nlpd_host_api* host,
                              const nlpd_create_args* args,
                              nlpd_plugin_instance** instance) {
  host_api.store(host);
  return Sdk::Api()->create(host, args, instance);
}

nlpd_error* AnalyzeOrWriteGarbage(nlpd_plugin_instance* instance,
                                  const nlpd_analyze_input* input,
                                  nlpd_result_sink* sink) {
  if (Contains(std::string_view(input->text, input->text_size),
               "FAULT_GARBAGE")) {
    // Field 1 (entities), length-delimited, announces 16 bytes; 2 follow.
    static constexpr uint8_t kTruncated[] = {0x0A, 0x10, 0x0A, 0x02};
    return host_api.load()->result_write(sink, kTruncated, sizeof(kTruncated));
  }
  if (Contains(std::string_view(input->text, input->text_size),
               "FAULT_WRONG_TYPE")) {
    nlpd::v1::SentimentResult other;
    other.add_summaries();
    const std::string bytes = other.SerializeAsString();
    return host_api.load()->result_write(
        sink, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  return Sdk::Api()->analyze(instance, input, sink);
}

}  // namespace

// NLPD_PLUGIN(FaultPlugin), with create() and analyze() wrapped as above.
extern "C" NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1() {
  static const nlpd_plugin_api api = [] {
    nlpd_plugin_api wrapped = *Sdk::Api();
    wrapped.create = &CreateKeepingHost;
    wrapped.analyze = &AnalyzeOrWriteGarbage;
    return wrapped;
  }();
  return &api;
}

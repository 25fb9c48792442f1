// libFuzzer target: the plugin-host transport (proto/nlpd/v1/plugin_host.proto)
// on arbitrary bytes. Byte 0 chooses what the rest is:
//
//  bit 2 clear: a serialized nlpd.v1.HostAnalyzeRequest, as
//    nlpd-plugin-host receives it. When it parses, it runs through
//    nlpd::HostAnalyze (server/plugin_host/host_analyze.h, the code the
//    host's PluginHost.Analyze runs) on a real plugin loaded in this process
//    through the loader: bit 0 clear = the built-in keywords plugin (its SDK
//    parses the PluginRequest bytes, its extractor reads the document),
//    set = tests/plugins test_echo (C, reads only the text). Bit 1 set:
//    text and language are first replaced by those of the document in the
//    request (when request.request parses as a PluginRequest), so that the
//    plugin gets a coherent text more often. The response then goes back
//    through serialization and nlpd::FromHostAnalyzeResponse, as the server
//    (IsolatedPlugin) reads it.
//  bit 2 set: the stdout of `nlpd-plugin-host --probe`, a serialized
//    nlpd.v1.PluginProbe, as ProbePluginFile parses it; its PluginInfo goes
//    to ResultSchema::Create (the descriptor set is built into a pool), and
//    when that succeeds, the input is parsed as a message of that type and
//    its spans checked by the schema's ResultChecker against a short text.
//
// Checks: no crash (ASan+UBSan on nlpd_server and the two plugins); a
// response holds exactly one of result and error, an error has a code in
// absl's range other than OK; the response read back gives the same result
// or the same code and message. When the request is coherent, as the
// server's always are (the PluginRequest parses, its document's text is the
// request's text and is UTF-8, tokens are sorted, non-overlapping and on
// character boundaries with the right char offsets, sentences likewise and
// their token ranges inside the tokens, target mentions on boundaries), an
// OK result must also parse as the plugin's result type and its spans pass
// the schema's ResultChecker: what the analyzer demands. Incoherent
// requests (which only a broken server sends) may give results the server
// would refuse with INTERNAL, so only the crash checks apply to them.
//
// With NLPD_FUZZ_WRITE_SEEDS=DIR set, writes seed inputs (requests the
// server would send for a few texts, through the real TextPipeline) into
// DIR and exits: that is how tests/fuzz/corpus/fuzz_plugin_host was made.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/stubs/logging.h"
#include "nlpd/v1/plugin.pb.h"
#include "nlpd/v1/plugin_host.pb.h"
#include "plugin_host/host_analyze.h"
#include "plugins/plugin_loader.h"
#include "plugins/result_checker.h"
#include "plugins/result_schema.h"
#include "text/text_pipeline.h"
#include "utf8_oracle.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "INVARIANT VIOLATED: %s\n", what);
  std::abort();
}

struct LoadedPlugin {
  std::unique_ptr<nlpd::Plugin> plugin;
  std::unique_ptr<const nlpd::ResultSchema> schema;
};

LoadedPlugin* g_plugins[2] = {nullptr, nullptr};

LoadedPlugin* Load(const char* path) {
  absl::StatusOr<nlpd::PluginLibrary> library = nlpd::OpenPluginLibrary(path);
  if (!library.ok()) {
    std::fprintf(stderr, "OpenPluginLibrary(%s): %s\n", path,
                 std::string(library.status().message()).c_str());
    std::exit(1);
  }
  absl::StatusOr<std::unique_ptr<nlpd::Plugin>> plugin =
      nlpd::InstantiatePlugin(*library, "");
  if (!plugin.ok()) {
    std::fprintf(stderr, "InstantiatePlugin(%s): %s\n", path,
                 std::string(plugin.status().message()).c_str());
    std::exit(1);
  }
  absl::StatusOr<std::unique_ptr<const nlpd::ResultSchema>> schema =
      nlpd::ResultSchema::Create((*plugin)->info());
  if (!schema.ok()) {
    std::fprintf(stderr, "ResultSchema::Create(%s): %s\n", path,
                 std::string(schema.status().message()).c_str());
    std::exit(1);
  }
  return new LoadedPlugin{*std::move(plugin), *std::move(schema)};
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

// Requests as the analyzer builds them (document from the text pipeline),
// each with the selector bytes 0x00 (keywords), 0x01 (test_echo) and 0x02
// (keywords, coherent text); and two probes.
void WriteSeeds(const std::string& dir) {
  auto pipeline = nlpd::text::TextPipeline::Create();
  if (!pipeline.ok()) Fail("TextPipeline::Create");
  struct Seed {
    const char* name;
    const char* text;
    const char* hint;
  };
  const Seed seeds[] = {
      {"en",
       "The quick brown fox jumps over the lazy dog. Dr. Smith said "
       "the fox was quick; the dog was not.",
       ""},
      {"de",
       "Die Bundesregierung hat am 3. Oktober neue Pläne vorgestellt. "
       "Frau Müller sagte, die Pläne seien gut.",
       "de"},
      {"emoji", "Ein 👩‍💻 schreibt Code: https://example.org/a?b=c.",
       ""},
  };
  for (const Seed& seed : seeds) {
    absl::StatusOr<nlpd::v1::Document> document =
        (*pipeline)->Process(seed.text, seed.hint);
    if (!document.ok()) Fail("seed text rejected");
    nlpd::v1::PluginRequest plugin_request;
    *plugin_request.mutable_document() = *document;
    nlpd::v1::HostAnalyzeRequest request;
    request.set_request(plugin_request.SerializeAsString());
    request.set_text(document->text());
    request.set_language(document->language());
    const std::string bytes = request.SerializeAsString();
    for (char selector : {'\x00', '\x01', '\x02'}) {
      WriteFile(dir + "/" + seed.name + "-" +
                    std::to_string(static_cast<int>(selector)),
                std::string(1, selector) + bytes);
    }
  }
  for (int i = 0; i < 2; ++i) {
    const nlpd::v1::PluginInfo& info = g_plugins[i]->plugin->info();
    nlpd::v1::PluginProbe probe;
    *probe.mutable_info() = info;
    probe.add_registered_files("nlpd/keywords/v1/keywords.proto");
    WriteFile(dir + "/probe-" + info.name(),
              std::string(1, '\x04') + probe.SerializeAsString());
  }
  std::exit(0);
}

bool SpanFits(const nlpd::v1::Span& span,
              const nlpd::DocumentOffsets& offsets) {
  return span.byte_start() <= span.byte_end() &&
         span.byte_end() <= offsets.size() &&
         offsets.IsCharBoundary(span.byte_start()) &&
         offsets.IsCharBoundary(span.byte_end()) &&
         offsets.CharOffset(span.byte_start()) == span.char_start() &&
         offsets.CharOffset(span.byte_end()) == span.char_end();
}

// Whether `request` could have come from the server (see the top).
bool Coherent(const nlpd::v1::HostAnalyzeRequest& request,
              const nlpd::DocumentOffsets& offsets) {
  nlpd::v1::PluginRequest plugin_request;
  if (!plugin_request.ParseFromString(request.request())) return false;
  const nlpd::v1::Document& document = plugin_request.document();
  if (document.text() != request.text() ||
      document.language() != request.language() ||
      !nlpd::fuzz::DecodeUtf8(request.text(), nullptr, nullptr)) {
    return false;
  }
  uint32_t end = 0;
  for (const nlpd::v1::Token& token : document.tokens()) {
    if (!SpanFits(token.span(), offsets) || token.span().byte_start() < end) {
      return false;
    }
    end = token.span().byte_end();
  }
  end = 0;
  for (const nlpd::v1::Sentence& sentence : document.sentences()) {
    if (!SpanFits(sentence.span(), offsets) ||
        sentence.span().byte_start() < end ||
        sentence.token_begin() > sentence.token_end() ||
        sentence.token_end() > static_cast<uint32_t>(document.tokens_size())) {
      return false;
    }
    end = sentence.span().byte_end();
  }
  for (const nlpd::v1::TargetMention& mention :
       plugin_request.target_mentions()) {
    if (!SpanFits(mention.span(), offsets)) return false;
  }
  return true;
}

void CheckResponse(const LoadedPlugin& loaded,
                   const nlpd::v1::HostAnalyzeRequest& request,
                   const nlpd::v1::HostAnalyzeResponse& response) {
  if (response.has_error() == response.has_result()) {
    Fail("response holds not exactly one of result and error");
  }
  if (response.has_error()) {
    const int code = response.error().code();
    if (code <= 0 ||
        code > static_cast<int>(absl::StatusCode::kUnauthenticated)) {
      Fail("error code is OK or outside absl's range");
    }
  }
  // What the server reads back.
  nlpd::v1::HostAnalyzeResponse again;
  if (!again.ParseFromString(response.SerializeAsString())) {
    Fail("response does not parse back");
  }
  absl::StatusOr<std::string> read =
      nlpd::FromHostAnalyzeResponse(std::move(again));
  if (response.has_error()) {
    if (read.ok() ||
        static_cast<int>(read.status().code()) != response.error().code() ||
        read.status().message() != response.error().message()) {
      Fail("server reads a different error");
    }
    return;
  }
  if (!read.ok() || *read != response.result()) {
    Fail("server reads a different result");
  }
  const nlpd::DocumentOffsets offsets(request.text());
  if (!Coherent(request, offsets)) return;
  google::protobuf::Arena arena;
  google::protobuf::Message* result = loaded.schema->New(&arena);
  if (!result->ParseFromString(*read)) {
    Fail(
        "OK result of a coherent request does not parse as the plugin's "
        "result type");
  }
  absl::Status spans = loaded.schema->checker().Check(*result, offsets);
  if (!spans.ok()) {
    std::fprintf(stderr, "%s\n", std::string(spans.message()).c_str());
    Fail("OK result of a coherent request has a bad span");
  }
}

void FuzzProbe(std::string_view bytes) {
  nlpd::v1::PluginProbe probe;
  if (!probe.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return;
  }
  absl::StatusOr<std::unique_ptr<const nlpd::ResultSchema>> schema =
      nlpd::ResultSchema::Create(probe.info());
  if (!schema.ok()) return;
  google::protobuf::Arena arena;
  google::protobuf::Message* result = (*schema)->New(&arena);
  if (result->GetDescriptor() != (*schema)->type()) {
    Fail("schema makes a message of another type");
  }
  if (!result->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return;
  }
  static const nlpd::DocumentOffsets* offsets =
      new nlpd::DocumentOffsets("Grüße, 👩‍💻 world.");
  (void)(*schema)->checker().Check(*result, *offsets);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs every non-UTF-8 proto3 string and every descriptor that
  // does not build; silence it.
  google::protobuf::SetLogHandler(nullptr);
  g_plugins[0] = Load(NLPD_FUZZ_KEYWORDS_PLUGIN);
  g_plugins[1] = Load(NLPD_FUZZ_ECHO_PLUGIN);
  if (const char* dir = std::getenv("NLPD_FUZZ_WRITE_SEEDS")) WriteSeeds(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1),
                               size - 1);
  if (selector & 4) {
    FuzzProbe(bytes);
    return 0;
  }
  nlpd::v1::HostAnalyzeRequest request;
  // What the host's generated gRPC service does with the bytes; a request
  // that does not parse never reaches the host's code.
  if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return 0;
  }
  if (selector & 2) {
    nlpd::v1::PluginRequest plugin_request;
    if (plugin_request.ParseFromString(request.request())) {
      request.set_text(plugin_request.document().text());
      request.set_language(plugin_request.document().language());
    }
  }
  const LoadedPlugin& loaded = *g_plugins[selector & 1];
  nlpd::v1::HostAnalyzeResponse response;
  nlpd::HostAnalyze(
      *loaded.plugin, request, [] { return false; }, &response);
  CheckResponse(loaded, request, response);
  return 0;
}

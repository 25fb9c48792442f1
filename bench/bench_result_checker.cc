// The cost of checking a plugin result's spans (nlpd::ResultChecker) next
// to the cost the analyzer already pays for the same result: parsing its
// bytes (ParseFromString). Inputs: /work/shared/samples/de-news-nordkorea.txt
// (2.7 KB; NLPD_BENCH_SAMPLE overrides), else the built-in German article,
// run through the real text pipeline; results made from its tokens the way
// the built-in plugins make them: an EntitiesResult with 25 entities and a
// SentimentResult (document and per-sentence polarity, 25 target mentions,
// their summaries). Each result is checked and parsed both as its generated
// type (built-in plugins) and as a dynamic message of the same descriptor
// (what a custom plugin's result is).
//
//   BM_Check_*        Check with a fresh DocumentOffsets per iteration, so
//                     the index build is included (the first plugin of a
//                     request pays it)
//   BM_CheckShared_*  Check against offsets whose index is already built
//                     (every later plugin of the request)
//   BM_Parse_*        ParseFromString of the result's bytes into a fresh
//                     message, as Analyzer::StoreResult does
//   BM_BuildChecker_* constructing the checker (once per plugin load)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <type_traits>

#include "bench_texts.h"
#include "google/protobuf/dynamic_message.h"
#include "nlpd/v1/results.pb.h"
#include "plugins/result_checker.h"
#include "text/text_pipeline.h"

namespace nlpd::bench {
namespace {

constexpr int kEntities = 25;

struct Inputs {
  v1::Document document;
  v1::EntitiesResult entities;
  v1::SentimentResult sentiment;
  std::string entities_bytes;
  std::string sentiment_bytes;
};

std::string_view SpanText(const v1::Document& document, const v1::Span& span) {
  return std::string_view(document.text())
      .substr(span.byte_start(), span.byte_end() - span.byte_start());
}

// The index of the sentence holding token `token`.
uint32_t SentenceOf(const v1::Document& document, int token) {
  for (int s = 0; s < document.sentences_size(); ++s) {
    if (static_cast<uint32_t>(token) < document.sentences(s).token_end()) {
      return static_cast<uint32_t>(s);
    }
  }
  return 0;
}

const Inputs& SharedInputs() {
  static const Inputs* const inputs = [] {
    auto pipeline = text::TextPipeline::Create();
    if (!pipeline.ok()) {
      std::fprintf(stderr, "TextPipeline::Create: %s\n",
                   pipeline.status().ToString().c_str());
      std::abort();
    }
    const std::string text = ReadSample().value_or(kGermanArticle);
    auto document = (*pipeline)->Process(text, "de");
    if (!document.ok()) {
      std::fprintf(stderr, "Process: %s\n",
                   document.status().ToString().c_str());
      std::abort();
    }
    auto* in = new Inputs;
    in->document = *std::move(document);
    const v1::Document& doc = in->document;

    // 25 capitalized words spread over the text, as entity mentions.
    std::vector<int> words;
    for (int t = 0; t < doc.tokens_size(); ++t) {
      const v1::Token& token = doc.tokens(t);
      const std::string_view word = SpanText(doc, token.span());
      const unsigned char first = static_cast<unsigned char>(word[0]);
      if (token.kind() == v1::TOKEN_KIND_WORD &&
          ((first >= 'A' && first <= 'Z') || first == 0xC3)) {
        words.push_back(t);
      }
    }
    if (words.size() < kEntities) {
      std::fprintf(stderr, "only %zu capitalized words\n", words.size());
      std::abort();
    }
    const char* const labels[] = {"PER", "LOC", "ORG", "MISC"};
    std::map<std::string, std::vector<uint32_t>> mentions;
    v1::Polarity polarity;
    polarity.set_label(v1::Polarity::NEUTRAL);
    polarity.set_negative(0.2f);
    polarity.set_neutral(0.6f);
    polarity.set_positive(0.2f);
    for (int i = 0; i < kEntities; ++i) {
      const int t = words[i * words.size() / kEntities];
      const v1::Span& span = doc.tokens(t).span();
      const std::string text(SpanText(doc, span));
      v1::Entity* entity = in->entities.add_entities();
      *entity->mutable_span() = span;
      entity->set_label(labels[i % 4]);
      entity->set_confidence(0.9f);
      entity->set_text(text);

      v1::TargetSentiment* target = in->sentiment.add_targets();
      *target->mutable_span() = span;
      target->set_text(text);
      *target->mutable_polarity() = polarity;
      target->set_source(v1::ENTITY);
      target->set_label(labels[i % 4]);
      target->set_sentence(SentenceOf(doc, t));
      mentions[text].push_back(static_cast<uint32_t>(i));
    }
    *in->sentiment.mutable_document() = polarity;
    for (int s = 0; s < doc.sentences_size(); ++s) {
      *in->sentiment.add_sentences() = polarity;
    }
    for (const auto& [name, indices] : mentions) {
      v1::TargetSummary* summary = in->sentiment.add_summaries();
      summary->set_name(name);
      summary->set_source(v1::ENTITY);
      *summary->mutable_polarity() = polarity;
      for (uint32_t m : indices) summary->add_mentions(m);
    }
    in->entities.SerializeToString(&in->entities_bytes);
    in->sentiment.SerializeToString(&in->sentiment_bytes);
    return in;
  }();
  return *inputs;
}

// Dynamic messages of the generated descriptors (no delegation to the
// generated factory): the representation of a custom plugin's result.
google::protobuf::DynamicMessageFactory& DynamicFactory() {
  static auto* const factory = new google::protobuf::DynamicMessageFactory();
  return *factory;
}

template <typename Result>
const std::string& Bytes(const Inputs& in) {
  return std::is_same_v<Result, v1::EntitiesResult> ? in.entities_bytes
                                                    : in.sentiment_bytes;
}

void Counters(benchmark::State& state, const Inputs& in,
              const std::string& bytes) {
  state.counters["text_bytes"] = static_cast<double>(in.document.text().size());
  state.counters["result_bytes"] = static_cast<double>(bytes.size());
}

// The result as a message of `dynamic` kind, owned by the caller.
template <typename Result>
std::unique_ptr<google::protobuf::Message> Message(const Inputs& in,
                                                   bool dynamic) {
  std::unique_ptr<google::protobuf::Message> message(
      dynamic ? DynamicFactory().GetPrototype(Result::descriptor())->New()
              : new Result());
  message->ParseFromString(Bytes<Result>(in));
  return message;
}

template <typename Result>
void RunCheck(benchmark::State& state, bool dynamic) {
  const Inputs& in = SharedInputs();
  const ResultChecker checker(Result::descriptor());
  const auto result = Message<Result>(in, dynamic);
  for (auto _ : state) {
    const DocumentOffsets offsets(in.document.text());
    absl::Status status = checker.Check(*result, offsets);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(status);
  }
  Counters(state, in, Bytes<Result>(in));
}

template <typename Result>
void RunCheckShared(benchmark::State& state, bool dynamic) {
  const Inputs& in = SharedInputs();
  const ResultChecker checker(Result::descriptor());
  const auto result = Message<Result>(in, dynamic);
  const DocumentOffsets offsets(in.document.text());
  offsets.CharOffset(offsets.size());  // Builds the index.
  for (auto _ : state) {
    absl::Status status = checker.Check(*result, offsets);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(status);
  }
  Counters(state, in, Bytes<Result>(in));
}

template <typename Result>
void RunParse(benchmark::State& state, bool dynamic) {
  const Inputs& in = SharedInputs();
  const std::string& bytes = Bytes<Result>(in);
  const google::protobuf::Message* prototype =
      dynamic ? DynamicFactory().GetPrototype(Result::descriptor())
              : &Result::default_instance();
  for (auto _ : state) {
    std::unique_ptr<google::protobuf::Message> message(prototype->New());
    if (!message->ParseFromString(bytes)) {
      state.SkipWithError("ParseFromString failed");
      return;
    }
    benchmark::DoNotOptimize(message);
  }
  Counters(state, in, bytes);
}

void BM_DocumentOffsetsIndex(benchmark::State& state) {
  const Inputs& in = SharedInputs();
  for (auto _ : state) {
    const DocumentOffsets offsets(in.document.text());
    benchmark::DoNotOptimize(offsets.CharOffset(offsets.size()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(in.document.text().size()) *
                          state.iterations());
}

template <typename Result>
void RunBuildChecker(benchmark::State& state) {
  for (auto _ : state) {
    ResultChecker checker(Result::descriptor());
    benchmark::DoNotOptimize(checker);
  }
}

using v1::EntitiesResult;
using v1::SentimentResult;

void BM_Check_Entities(benchmark::State& s) {
  RunCheck<EntitiesResult>(s, false);
}
void BM_CheckShared_Entities(benchmark::State& s) {
  RunCheckShared<EntitiesResult>(s, false);
}
void BM_Parse_Entities(benchmark::State& s) {
  RunParse<EntitiesResult>(s, false);
}
void BM_Check_Sentiment(benchmark::State& s) {
  RunCheck<SentimentResult>(s, false);
}
void BM_CheckShared_Sentiment(benchmark::State& s) {
  RunCheckShared<SentimentResult>(s, false);
}
void BM_Parse_Sentiment(benchmark::State& s) {
  RunParse<SentimentResult>(s, false);
}
void BM_Check_EntitiesDynamic(benchmark::State& s) {
  RunCheck<EntitiesResult>(s, true);
}
void BM_Parse_EntitiesDynamic(benchmark::State& s) {
  RunParse<EntitiesResult>(s, true);
}
void BM_Check_SentimentDynamic(benchmark::State& s) {
  RunCheck<SentimentResult>(s, true);
}
void BM_Parse_SentimentDynamic(benchmark::State& s) {
  RunParse<SentimentResult>(s, true);
}
void BM_BuildChecker_Entities(benchmark::State& s) {
  RunBuildChecker<EntitiesResult>(s);
}
void BM_BuildChecker_Stance(benchmark::State& s) {
  RunBuildChecker<v1::StanceResult>(s);
}
BENCHMARK(BM_Check_Entities);
BENCHMARK(BM_CheckShared_Entities);
BENCHMARK(BM_Parse_Entities);
BENCHMARK(BM_Check_Sentiment);
BENCHMARK(BM_CheckShared_Sentiment);
BENCHMARK(BM_Parse_Sentiment);
BENCHMARK(BM_Check_EntitiesDynamic);
BENCHMARK(BM_Parse_EntitiesDynamic);
BENCHMARK(BM_Check_SentimentDynamic);
BENCHMARK(BM_Parse_SentimentDynamic);
BENCHMARK(BM_DocumentOffsetsIndex);
BENCHMARK(BM_BuildChecker_Entities);
BENCHMARK(BM_BuildChecker_Stance);

}  // namespace
}  // namespace nlpd::bench

BENCHMARK_MAIN();

// The sentiment datasets (../shared/data/newsmtsc, ../shared/data/gerntsa),
// tokenized with the server's own text pipeline so that training sees the
// tokens the plugin sees, and the dataset's character offsets mapped onto
// token indices.
#ifndef NLPD_TRAINING_SENTIMENT_SENTIMENT_DATA_H_
#define NLPD_TRAINING_SENTIMENT_SENTIMENT_DATA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/text_pipeline.h"

namespace nlpd::sentiment {

// One labelled target: the tokens of the sentence (as the pipeline splits
// the text) that contains the target's first character, and the target's
// tokens [target_begin, target_end) within it: every token that overlaps
// the target's characters (a target inside a compound, "Kinder" in
// "Kinderarzt", is the compound's token).
struct Example {
  std::vector<std::string> words;
  int target_begin = 0;
  int target_end = 0;
  int label = 0;  // Class index (model/classes.h).
  // Hash of the sentence's tokens: groups the targets of one sentence.
  uint64_t sentence_key = 0;
  std::vector<std::string_view> Views() const {
    return {words.begin(), words.end()};
  }
};

// A sentence with a sentence-level label (no target).
struct SentenceExample {
  std::vector<std::string> words;
  int label = 0;
  std::vector<std::string_view> Views() const {
    return {words.begin(), words.end()};
  }
};

// What reading a dataset met, for the trainer's report.
struct ReadStats {
  int records = 0;           // Targets in the file (of the selected split).
  int examples = 0;          // Targets kept.
  int nfc_changed = 0;       // Texts that NFC changed (offsets remapped).
  int no_token = 0;          // Targets that overlap no token (dropped).
  int across_sentences = 0;  // Targets that span a sentence boundary
                             // (cut at the first sentence's end).
};

// NewsMTSC JSON Lines (train.jsonl, newsmtsc-rw/dev.jsonl, ...): polarity
// 2.0 / 4.0 / 6.0 -> negative / neutral / positive; `from`/`to` are
// code-point offsets into sentence_normalized. With further_mentions, each
// coreferent mention of a target ("further_mentions": "she", "her") is one
// more example with the target's label (for training; dev figures use the
// main mentions only). Returns false with *error when the file cannot be
// read or parsed.
bool ReadNewsMtsc(const std::string& path, const text::TextPipeline& pipeline,
                  bool further_mentions, std::vector<Example>* examples,
                  ReadStats* stats, std::string* error);

// Which part of gerntsa.trainval.json to read.
enum class GerNtsaSplit { kTrain, kDev, kAll };

// The GerNTSA dev split: a snippet (opinion_snippet) belongs to dev when
// HashText(snippet, 0x6e7473) % 5 == 0 (about 20 %), so all targets of a
// sentence are on the same side and the split never changes.
bool IsGerNtsaDevSnippet(std::string_view snippet);

// GerNTSA (one JSON array): polarity "negative" / "neutral" / "positive";
// target_anchor.from/to are code-point offsets into opinion_snippet.
bool ReadGerNtsa(const std::string& path, GerNtsaSplit split,
                 const text::TextPipeline& pipeline,
                 std::vector<Example>* examples, ReadStats* stats,
                 std::string* error);

// Sentence-level labels: the sentences (grouped by sentence_key) whose
// targets all have the same label, with that label; sentences whose targets
// disagree are left out. In first-seen order.
std::vector<SentenceExample> AgreeingSentences(
    const std::vector<Example>& examples);

}  // namespace nlpd::sentiment

#endif  // NLPD_TRAINING_SENTIMENT_SENTIMENT_DATA_H_

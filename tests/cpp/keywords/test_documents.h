// Documents for the keywords tests, tokenized the way the server does it.
#ifndef NLPD_TESTS_CPP_KEYWORDS_TEST_DOCUMENTS_H_
#define NLPD_TESTS_CPP_KEYWORDS_TEST_DOCUMENTS_H_

#include <string>
#include <string_view>

#include "nlpd/v1/document.pb.h"

namespace nlpd::keywords::testing {

// Returns `text` as the server would hand it to a plugin: split into
// sentences and tokens with byte and code-point offsets, language set to
// `language`. Uses the server's text pipeline (nlpd_text) when the build has
// it, else SimpleDocument. Fails the calling test on error.
nlpd::v1::Document MakeDocument(std::string_view text,
                                std::string_view language);

// A stand-in for the text pipeline, enough for hand-written news text:
// words (letters and digits, with inner ' ’ . , as in "Powell's", "z.B",
// "3,5"), numbers and single punctuation marks (hyphens included, as ICU
// splits "CDU-Fraktion"); a sentence ends after ".", "!" or "?".
nlpd::v1::Document SimpleDocument(std::string_view text,
                                  std::string_view language);

// An English news text about a central bank raising interest rates, and a
// German one about a Bundestag vote on a Heizungsgesetz (written for these
// tests).
extern const std::string_view kEnglishRatesArticle;
extern const std::string_view kGermanHeatingLawArticle;

}  // namespace nlpd::keywords::testing

#endif  // NLPD_TESTS_CPP_KEYWORDS_TEST_DOCUMENTS_H_

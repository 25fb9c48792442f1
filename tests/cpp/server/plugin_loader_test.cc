// The C ABI loader against real shared libraries: a good plugin, a wrong ABI
// version, a future ABI's entry symbol, a library that is no plugin, a
// plugin whose create() fails, plugins built against the frozen ABI 1.0
// header, and the SDK plugin test_fault's in-process errors.
#include "plugins/plugin_loader.h"

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "nlpd/v1/plugin.pb.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string PluginPath(const std::string& name,
                       const std::string& directory = NLPD_TEST_PLUGIN_DIR) {
  return directory + "/libnlpd_" + name + ".so";
}

// sizeof of the ABI structs as an ABI 1.0 test plugin was compiled, read
// from its test_abi_1_0_struct_sizes() (tests/plugins/test_abi_1_0.c).
struct Abi10Sizes {
  size_t host_api = 0;
  size_t plugin_descriptor = 0;
  size_t plugin_api = 0;
  // One past nlpd_plugin_descriptor.thread_safe, the last 1.0 field.
  size_t descriptor_fields_end = 0;
};

Abi10Sizes SizesOfAbi10Plugin(const std::string& path) {
  Abi10Sizes sizes;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    ADD_FAILURE() << "cannot dlopen " << path << ": " << dlerror();
    return sizes;
  }
  using SizesFn = void (*)(size_t*);
  auto fn =
      reinterpret_cast<SizesFn>(dlsym(handle, "test_abi_1_0_struct_sizes"));
  if (fn == nullptr) {
    ADD_FAILURE() << path << " exports no test_abi_1_0_struct_sizes";
    return sizes;
  }
  size_t values[4] = {};
  fn(values);
  sizes = {values[0], values[1], values[2], values[3]};
  return sizes;  // never dlclose()d, as the loader's libraries
}

TEST(PluginLoaderTest, LoadsGoodPluginAndReadsDescriptor) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_dependent"));
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(library->info.name(), "test_dependent");
  EXPECT_EQ(library->info.version(), "1.0.0");
  EXPECT_THAT(library->info.languages(), ElementsAre("de"));
  EXPECT_THAT(library->info.dependencies(), ElementsAre("test_echo"));
  EXPECT_EQ(library->info.result_type(), "nlpd.v1.SentimentResult");
  EXPECT_EQ(library->info.path(), PluginPath("test_dependent"));

  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_TRUE((*plugin)->SupportsLanguage("de"));
  EXPECT_TRUE((*plugin)->SupportsLanguage("de-AT"));
  EXPECT_TRUE((*plugin)->SupportsLanguage("DE_ch"));
  EXPECT_FALSE((*plugin)->SupportsLanguage("en"));
  EXPECT_FALSE((*plugin)->SupportsLanguage("den"));
}

TEST(PluginLoaderTest, AnalyzeReturnsResultBytesAndPluginErrors) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_echo"));
  ASSERT_TRUE(library.ok()) << library.status();
  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  ASSERT_TRUE(plugin.ok()) << plugin.status();

  const std::string de = "de";
  const CallContext context;
  absl::StatusOr<std::string> result =
      (*plugin)->Analyze({"", "Hallo", &de, &context});
  ASSERT_TRUE(result.ok()) << result.status();
  v1::EntitiesResult entities;
  ASSERT_TRUE(entities.ParseFromString(*result));
  ASSERT_EQ(entities.entities_size(), 1);
  EXPECT_EQ(entities.entities(0).label(), "TEST");
  EXPECT_EQ(entities.entities(0).span().byte_end(), 5u);

  absl::StatusOr<std::string> failed =
      (*plugin)->Analyze({"", "FAIL_PLUGIN", &de, &context});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(failed.status().message()),
              HasSubstr("plugin 'test_echo': asked to fail"));
}

TEST(PluginLoaderTest, RefusesWrongAbiVersion) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_wrong_abi"));
  EXPECT_EQ(library.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(library.status().message()),
              HasSubstr("libnlpd_test_wrong_abi.so"));
  EXPECT_THAT(std::string(library.status().message()),
              HasSubstr("ABI version 2.0, server speaks 1.1"));
}

TEST(PluginLoaderTest, NamesTheAbiOfAFutureEntrySymbol) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_v2_symbol"));
  EXPECT_EQ(library.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(
      library.status().message(),
      HasSubstr(
          "exports nlpd_plugin_v2: built for ABI version 2, server speaks 1"));
}

TEST(PluginLoaderTest, RefusesLibraryWithoutEntrySymbol) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_no_symbol"));
  EXPECT_EQ(library.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(library.status().message()),
              HasSubstr("no entry symbol nlpd_plugin_v1"));
}

TEST(PluginLoaderTest, RefusesFileThatIsNoLibrary) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary("/nonexistent/libnlpd_x.so");
  EXPECT_EQ(library.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(library.status().message()),
              HasSubstr("cannot load"));
}

TEST(PluginLoaderTest, ReportsCreateFailureWithPluginReason) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_create_fails"));
  ASSERT_TRUE(library.ok()) << library.status();
  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  EXPECT_EQ(plugin.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(plugin.status().message()),
              HasSubstr("create failed"));
  EXPECT_THAT(std::string(plugin.status().message()),
              HasSubstr("model file test.model not found"));
}

// What ABI 1.1 added, and where: a 1.0 plugin's structs end before these.
constexpr size_t kIsCancelledEnd =
    offsetof(nlpd_host_api, is_cancelled) + sizeof(nlpd_host_api::is_cancelled);
constexpr size_t kChecksCancellationEnd =
    offsetof(nlpd_plugin_descriptor, checks_cancellation) +
    sizeof(nlpd_plugin_descriptor::checks_cancellation);
static_assert(NLPD_ABI_VERSION_MAJOR == 1 && NLPD_ABI_VERSION_MINOR >= 1,
              "these tests load an ABI 1.0 plugin into a newer server");

// Expects the ABI 1.0 test plugin `name` to load with its 1.0 layout intact
// and to analyze.
void ExpectAbi10PluginLoadsAndRuns(const std::string& name) {
  const std::string path = PluginPath(name, NLPD_TEST_PLUGIN_ABI_1_0_DIR);
  absl::StatusOr<PluginLibrary> library = OpenPluginLibrary(path);
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(library->info.name(), name);
  EXPECT_EQ(library->info.abi_version(), "1.0");
  EXPECT_EQ(library->api->abi_minor, 0u);
  // A 1.0 plugin says nothing about cancellation: the field reads as false.
  EXPECT_FALSE(library->info.checks_cancellation());

  // The plugin really has the 1.0 layout: its host table type is smaller
  // than the server's (no is_cancelled), and its descriptor's fields end
  // before checks_cancellation.
  const Abi10Sizes sizes = SizesOfAbi10Plugin(path);
  EXPECT_LT(sizes.host_api, sizeof(nlpd_host_api));
  EXPECT_LT(sizes.host_api, kIsCancelledEnd);
  EXPECT_LT(sizes.descriptor_fields_end, kChecksCancellationEnd);
  EXPECT_LE(sizes.plugin_descriptor, sizeof(nlpd_plugin_descriptor));
  EXPECT_EQ(sizes.plugin_api, sizeof(nlpd_plugin_api));  // unchanged in 1.1
  EXPECT_EQ(library->api->struct_size, sizes.plugin_api);

  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_FALSE((*plugin)->info().checks_cancellation());
  const std::string en = "en";
  const CallContext context;
  absl::StatusOr<std::string> result =
      (*plugin)->Analyze({"", "Hello there", &en, &context});
  ASSERT_TRUE(result.ok()) << result.status();
  v1::EntitiesResult entities;
  ASSERT_TRUE(entities.ParseFromString(*result));
  ASSERT_EQ(entities.entities_size(), 1);
  EXPECT_EQ(entities.entities(0).label(), "ABI_1_0");
  EXPECT_EQ(entities.entities(0).span().byte_end(), 11u);
  EXPECT_EQ(entities.entities(0).span().char_end(), 11u);
}

TEST(PluginLoaderTest, LoadsAndRunsAPluginBuiltAgainstAbi10) {
  ExpectAbi10PluginLoadsAndRuns("test_abi_1_0");
  // Its descriptor's struct_size is its sizeof, which on LP64 targets equals
  // the server's: ABI 1.1's int fits into the 1.0 struct's tail padding.
  absl::StatusOr<PluginLibrary> library = OpenPluginLibrary(
      PluginPath("test_abi_1_0", NLPD_TEST_PLUGIN_ABI_1_0_DIR));
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(library->api->descriptor->struct_size,
            SizesOfAbi10Plugin(library->info.path()).plugin_descriptor);
}

// The smallest descriptor ABI 1.0 allows, struct_size up to its last field
// (no tail padding), is smaller than the server's: the loader must accept it
// and must not read past it.
TEST(PluginLoaderTest, AcceptsAnAbi10DescriptorSmallerThanTheServers) {
  const std::string path =
      PluginPath("test_abi_1_0_tight", NLPD_TEST_PLUGIN_ABI_1_0_DIR);
  ExpectAbi10PluginLoadsAndRuns("test_abi_1_0_tight");
  absl::StatusOr<PluginLibrary> library = OpenPluginLibrary(path);
  ASSERT_TRUE(library.ok()) << library.status();
  const Abi10Sizes sizes = SizesOfAbi10Plugin(path);
  EXPECT_EQ(library->api->descriptor->struct_size, sizes.descriptor_fields_end);
  EXPECT_LT(library->api->descriptor->struct_size,
            sizeof(nlpd_plugin_descriptor));
}

// ABI 1.0 leaves the bytes after nlpd_plugin_descriptor.thread_safe
// unspecified (padding), and a 1.0 plugin may fill its descriptor in at run
// time over memory that was not zero. On LP64 targets ABI 1.1 put
// checks_cancellation into exactly those bytes without changing sizeof, so
// struct_size cannot tell the server whether the field is there: only the
// plugin's abi_minor can.
TEST(PluginLoaderTest, Abi10DescriptorPaddingIsNotReadAsChecksCancellation) {
  const std::string path =
      PluginPath("test_abi_1_0_dirty", NLPD_TEST_PLUGIN_ABI_1_0_DIR);
  absl::StatusOr<PluginLibrary> library = OpenPluginLibrary(path);
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(library->info.abi_version(), "1.0");
  EXPECT_FALSE(library->info.checks_cancellation())
      << "the server read ABI 1.0 padding bytes as checks_cancellation";
  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_FALSE((*plugin)->info().checks_cancellation());
}

TEST(PluginLoaderTest, SdkPluginErrorsAndExceptionsFailOnlyTheCall) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_fault", NLPD_TEST_PLUGIN_FAULT_DIR));
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_TRUE(library->thread_safe);
  EXPECT_FALSE(library->info.checks_cancellation());
  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  const std::string en = "en";
  const CallContext context;
  auto analyze = [&](const std::string& text) {
    v1::PluginRequest request;
    request.mutable_document()->set_text(text);
    return (*plugin)->Analyze(
        {request.SerializeAsString(), text, &en, &context});
  };

  absl::StatusOr<std::string> error = analyze("FAULT_ERROR please");
  EXPECT_EQ(error.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(error.status().message()),
              HasSubstr("plugin 'test_fault': FAULT_ERROR"));

  absl::StatusOr<std::string> thrown = analyze("FAULT_THROW please");
  EXPECT_EQ(thrown.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(thrown.status().message()),
              HasSubstr("plugin 'test_fault': FAULT_THROW: throwing as asked"));

  // The loader passes the bytes on; the analyzer is the one that parses.
  absl::StatusOr<std::string> garbage = analyze("FAULT_GARBAGE please");
  ASSERT_TRUE(garbage.ok()) << garbage.status();
  v1::EntitiesResult unparsable;
  EXPECT_FALSE(unparsable.ParseFromString(*garbage));

  // "\xc3\xa4" (a-umlaut) is two bytes, one code point.
  absl::StatusOr<std::string> good = analyze("  K\xc3\xa4se ist gut");
  ASSERT_TRUE(good.ok()) << good.status();
  v1::EntitiesResult entities;
  ASSERT_TRUE(entities.ParseFromString(*good));
  ASSERT_EQ(entities.entities_size(), 1);
  const v1::Span& span = entities.entities(0).span();
  EXPECT_EQ(span.byte_start(), 2u);
  EXPECT_EQ(span.byte_end(), 7u);
  EXPECT_EQ(span.char_start(), 2u);
  EXPECT_EQ(span.char_end(), 6u);
  EXPECT_EQ(entities.entities(0).text(), "K\xc3\xa4se");
}

}  // namespace
}  // namespace nlpd

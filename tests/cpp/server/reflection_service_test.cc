// Server reflection's schema: the server's own files from the generated
// pool, plugin result types from the plugins' descriptor sets (whatever
// process the plugin runs in), imports with every file, clear NOT_FOUND
// errors, plugin files that clash, and a new schema for a new registry.
#include "service/reflection_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "plugins/plugin_manager.h"

namespace nlpd {
namespace {

using ::google::protobuf::FileDescriptorProto;
using ::google::protobuf::FileDescriptorSet;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A plugin that only describes itself.
class DescribedPlugin : public Plugin {
 public:
  explicit DescribedPlugin(v1::PluginInfo info) : Plugin(std::move(info)) {}
  absl::StatusOr<std::string> Analyze(const PluginCall& /*call*/) const final {
    return absl::UnimplementedError("not for analysis");
  }
};

FileDescriptorProto File(const std::string& text) {
  FileDescriptorProto file;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &file))
      << text;
  return file;
}

// thing.proto: test.v1.Thing with a nlpd.v1.Span, importing part.proto.
const char kThing[] = R"pb(
  name: "test/v1/thing.proto"
  package: "test.v1"
  syntax: "proto3"
  dependency: "nlpd/v1/document.proto"
  dependency: "test/v1/part.proto"
  message_type {
    name: "Thing"
    field {
      name: "span"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".nlpd.v1.Span"
      json_name: "span"
    }
    field {
      name: "parts"
      number: 2
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".test.v1.Part"
      json_name: "parts"
    }
  }
)pb";
const char kPart[] = R"pb(
  name: "test/v1/part.proto"
  package: "test.v1"
  syntax: "proto3"
  message_type {
    name: "Part"
    field {
      name: "label"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_STRING
      json_name: "label"
    }
  }
)pb";

RegisteredPlugin Described(const std::string& name,
                           const std::string& result_type,
                           const std::vector<FileDescriptorProto>& files) {
  v1::PluginInfo info;
  info.set_name(name);
  info.set_result_type(result_type);
  FileDescriptorSet set;
  for (const FileDescriptorProto& file : files) *set.add_file() = file;
  info.set_descriptor_set(set.SerializeAsString());
  RegisteredPlugin entry;
  entry.plugin = std::make_shared<DescribedPlugin>(std::move(info));
  return entry;
}

std::unique_ptr<const ReflectionSchema> SchemaOf(
    std::vector<RegisteredPlugin> plugins) {
  return ReflectionSchema::Create(
      *PluginRegistry::Build(std::move(plugins), {}, {}));
}

// The file names of an answer, in order.
std::vector<std::string> Names(const std::vector<std::string>& files) {
  std::vector<std::string> names;
  for (const std::string& bytes : files) {
    FileDescriptorProto file;
    EXPECT_TRUE(file.ParseFromString(bytes));
    names.push_back(file.name());
  }
  return names;
}

TEST(ReflectionSchemaTest, PluginTypeWithItsImportsWhateverTheSetOrder) {
  // Imports after the file that needs them: the set's order does not matter.
  auto schema = SchemaOf(
      {Described("thing", "test.v1.Thing", {File(kThing), File(kPart)})});
  absl::StatusOr<std::vector<std::string>> files =
      schema->FileContainingSymbol("test.v1.Thing");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(Names(*files),
              ElementsAre("test/v1/thing.proto", "nlpd/v1/document.proto",
                          "test/v1/part.proto"));
  // Nested symbols and the file by name answer the same.
  files = schema->FileContainingSymbol("test.v1.Thing.span");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(Names(*files)[0], "test/v1/thing.proto");
  files = schema->FileByName("test/v1/part.proto");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(Names(*files), ElementsAre("test/v1/part.proto"));
}

TEST(ReflectionSchemaTest, ServerFilesComeFromTheGeneratedPool) {
  auto schema = SchemaOf({});
  absl::StatusOr<std::vector<std::string>> files =
      schema->FileContainingSymbol("nlpd.v1.AnalysisService");
  ASSERT_TRUE(files.ok()) << files.status();
  std::vector<std::string> names = Names(*files);
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names[0], "nlpd/v1/nlpd.proto");
  // Every import once.
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(),
            names.size());
  EXPECT_THAT(names, testing::Contains("google/protobuf/any.proto"));
  EXPECT_TRUE(schema->FileContainingSymbol("grpc.health.v1.Health").ok());
  EXPECT_TRUE(
      schema->FileContainingSymbol("grpc.reflection.v1.ServerReflection").ok());
  EXPECT_TRUE(
      schema->FileContainingSymbol("grpc.reflection.v1alpha.ServerReflection")
          .ok());
}

TEST(ReflectionSchemaTest, UnknownNamesAreNotFoundByName) {
  auto schema = SchemaOf({});
  absl::StatusOr<std::vector<std::string>> files =
      schema->FileContainingSymbol("test.v1.Nothing");
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(files.status().message(), HasSubstr("symbol test.v1.Nothing"));
  files = schema->FileByName("test/v1/nothing.proto");
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(files.status().message(), HasSubstr("test/v1/nothing.proto"));
  files = schema->FileContainingExtension("test.v1.Nothing", 100);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(files.status().message(), HasSubstr("test.v1.Nothing"));
  files = schema->FileContainingExtension("nlpd.v1.Span", 100);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(files.status().message(), HasSubstr("no extension 100"));
  absl::StatusOr<std::vector<int>> numbers =
      schema->ExtensionNumbersOf("nlpd.v1.Span");
  ASSERT_TRUE(numbers.ok()) << numbers.status();
  EXPECT_THAT(*numbers, IsEmpty());
  EXPECT_EQ(schema->ExtensionNumbersOf("test.v1.Nothing").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ReflectionSchemaTest, ExtensionsOfPluginFiles) {
  auto schema = SchemaOf({Described(
      "ext", "test.v1.Part", {File(kPart), File(R"pb(
                                name: "test/v1/ext.proto"
                                package: "test.v1"
                                dependency: "google/protobuf/descriptor.proto"
                                extension {
                                  name: "weight"
                                  number: 50001
                                  label: LABEL_OPTIONAL
                                  type: TYPE_INT32
                                  extendee: ".google.protobuf.FieldOptions"
                                }
                              )pb")})});
  absl::StatusOr<std::vector<int>> numbers =
      schema->ExtensionNumbersOf("google.protobuf.FieldOptions");
  ASSERT_TRUE(numbers.ok()) << numbers.status();
  EXPECT_THAT(*numbers, testing::Contains(50001));
  absl::StatusOr<std::vector<std::string>> files =
      schema->FileContainingExtension("google.protobuf.FieldOptions", 50001);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(Names(*files)[0], "test/v1/ext.proto");
}

TEST(ReflectionSchemaTest, ClashingPluginFilesKeepTheFirstAndSayWhy) {
  // Same file, same content, twice (two plugins sharing a .proto): fine.
  // Another file defining test.v1.Part: refused, and named when asked for.
  auto schema = SchemaOf(
      {Described("first", "test.v1.Thing", {File(kPart), File(kThing)}),
       Described("second", "test.v1.Part", {File(kPart)}),
       Described("third", "test.v1.Other", {File(R"pb(
                   name: "test/v1/other.proto"
                   package: "test.v1"
                   message_type { name: "Part" }
                   message_type { name: "Other" }
                 )pb")})});
  EXPECT_TRUE(schema->FileContainingSymbol("test.v1.Thing").ok());
  absl::StatusOr<std::vector<std::string>> files =
      schema->FileContainingSymbol("test.v1.Part");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(Names(*files)[0], "test/v1/part.proto");
  files = schema->FileContainingSymbol("test.v1.Other");
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(files.status().message(),
              HasSubstr("file test/v1/other.proto of plugin 'third' does not "
                        "build"));
  EXPECT_THAT(files.status().message(), HasSubstr("test.v1.Part"));
  EXPECT_THAT(schema->FileByName("test/v1/other.proto").status().message(),
              HasSubstr("plugin 'third'"));
}

TEST(ReflectionSchemaTest, TheFirstPluginsCopyOfAFileServes) {
  FileDescriptorProto changed = File(kPart);
  changed.mutable_message_type(0)->mutable_field(0)->set_name("weight");
  auto schema =
      SchemaOf({Described("first", "test.v1.Part", {File(kPart)}),
                Described("second", "test.v1.Part", {std::move(changed)})});
  absl::StatusOr<std::vector<std::string>> files =
      schema->FileByName("test/v1/part.proto");
  ASSERT_TRUE(files.ok()) << files.status();
  FileDescriptorProto served;
  ASSERT_TRUE(served.ParseFromString(files->at(0)));
  EXPECT_EQ(served.message_type(0).field(0).name(), "label");
}

TEST(ReflectionServiceTest, NewSchemaOnlyForANewRegistry) {
  std::unique_ptr<PluginManager> plugins =
      LoadPlugins({NLPD_TEST_PLUGIN_DIR}, NLPD_PLUGIN_HOST);
  ReflectionService service(plugins.get(), ReflectionService::ServiceNames());
  EXPECT_THAT(service.services(),
              ElementsAre("grpc.reflection.v1.ServerReflection",
                          "grpc.reflection.v1alpha.ServerReflection"));
  std::shared_ptr<const ReflectionSchema> first = service.CurrentSchema();
  EXPECT_EQ(service.CurrentSchema(), first);
  ASSERT_TRUE(plugins->Unload("test_targets").ok());
  std::shared_ptr<const ReflectionSchema> second = service.CurrentSchema();
  EXPECT_NE(second, first);
  EXPECT_EQ(service.CurrentSchema(), second);
}

}  // namespace
}  // namespace nlpd

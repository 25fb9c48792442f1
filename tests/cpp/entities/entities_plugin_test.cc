// The built entities plugin through the server's loader: its configuration
// string ("min_confidence=X") is checked at create().
#include <gtest/gtest.h>

#include <string>

#include "plugins/plugin_loader.h"

namespace nlpd {
namespace {

TEST(EntitiesPluginTest, ConfigMinConfidence) {
  auto library = OpenPluginLibrary(NLPD_ENTITIES_PLUGIN_FILE);
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(library->info.name(), "entities");
  for (const char* good :
       {"", "min_confidence=0", "min_confidence=0.5", "min_confidence=1\n"}) {
    auto plugin = InstantiatePlugin(*library, good);
    EXPECT_TRUE(plugin.ok()) << good << ": " << plugin.status();
  }
  for (const char* bad :
       {"min_confidence=", "min_confidence=1.5", "min_confidence=-0.1",
        "min_confidence=0.3x", "threshold=0.3"}) {
    auto plugin = InstantiatePlugin(*library, bad);
    EXPECT_FALSE(plugin.ok()) << bad;
  }
}

}  // namespace
}  // namespace nlpd

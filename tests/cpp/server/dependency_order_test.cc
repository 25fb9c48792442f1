#include "plugins/dependency_order.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace nlpd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::UnorderedElementsAre;

TEST(DependencyOrderTest, PutsDependenciesFirst) {
  DependencyOrder order =
      OrderByDependencies({{"stance", {"entities", "sentiment"}},
                           {"sentiment", {"entities"}},
                           {"entities", {}},
                           {"keywords", {}}});
  EXPECT_THAT(order.order,
              ElementsAre("entities", "keywords", "sentiment", "stance"));
  EXPECT_THAT(order.rejected, IsEmpty());
}

TEST(DependencyOrderTest, RejectsMissingDependencyTransitively) {
  DependencyOrder order = OrderByDependencies(
      {{"stance", {"sentiment"}}, {"sentiment", {"entities"}}, {"a", {}}});
  EXPECT_THAT(order.order, ElementsAre("a"));
  EXPECT_THAT(order.rejected,
              UnorderedElementsAre(Key("sentiment"), Key("stance")));
  EXPECT_THAT(order.rejected.at("sentiment"),
              HasSubstr("needs 'entities', which is not loaded"));
  EXPECT_THAT(order.rejected.at("stance"),
              HasSubstr("needs 'sentiment', which cannot run"));
}

TEST(DependencyOrderTest, RejectsCyclesAndNamesThem) {
  DependencyOrder order = OrderByDependencies({{"a", {"b"}},
                                               {"b", {"a"}},
                                               {"c", {"a"}},
                                               {"d", {}},
                                               {"self", {"self"}}});
  EXPECT_THAT(order.order, ElementsAre("d"));
  EXPECT_THAT(order.rejected.at("a"),
              HasSubstr("dependency cycle: a -> b -> a"));
  EXPECT_THAT(order.rejected.at("self"), HasSubstr("self -> self"));
  EXPECT_THAT(order.rejected.at("c"), HasSubstr("dependency cycle"));
}

}  // namespace
}  // namespace nlpd

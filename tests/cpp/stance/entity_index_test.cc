// EntityIndex against the scans it replaces: the first entity ending after a
// position and the last person before it, on entities in text order and on
// entities whose ends are out of order.
#include "entity_index.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nlpd::stance {
namespace {

nlpd::v1::EntitiesResult Entities(
    const std::vector<std::pair<uint32_t, std::string>>& ends_and_labels) {
  nlpd::v1::EntitiesResult result;
  uint32_t start = 0;
  for (const auto& [end, label] : ends_and_labels) {
    nlpd::v1::Entity* entity = result.add_entities();
    entity->mutable_span()->set_char_start(start++);
    entity->mutable_span()->set_char_end(end);
    entity->set_label(label);
    entity->set_text("Name" + std::to_string(start));
  }
  return result;
}

int ScanFirstEndingAfter(const nlpd::v1::EntitiesResult& entities,
                         uint32_t position) {
  int e = 0;
  while (e < entities.entities_size() &&
         entities.entities(e).span().char_end() <= position) {
    ++e;
  }
  return e;
}

int ScanLastPersonBefore(const nlpd::v1::EntitiesResult& entities,
                         uint32_t position) {
  int found = -1;
  for (int e = 0; e < entities.entities_size(); ++e) {
    if (entities.entities(e).span().char_end() > position) break;
    if (entities.entities(e).label() == "PER") found = e;
  }
  return found;
}

void ExpectSameAsScans(const nlpd::v1::EntitiesResult& entities) {
  const EntityIndex index(entities);
  for (uint32_t position = 0; position < 40; ++position) {
    EXPECT_EQ(index.FirstEndingAfter(position),
              ScanFirstEndingAfter(entities, position))
        << position;
    EXPECT_EQ(index.LastPersonBefore(position),
              ScanLastPersonBefore(entities, position))
        << position;
  }
}

TEST(EntityIndexTest, AgreesWithTheScansInTextOrder) {
  ExpectSameAsScans(Entities(
      {{3, "PER"}, {7, "LOC"}, {12, "PER"}, {20, "ORG"}, {30, "PER"}}));
}

TEST(EntityIndexTest, AgreesWithTheScansWhenEndsAreOutOfOrder) {
  ExpectSameAsScans(Entities(
      {{10, "PER"}, {5, "PER"}, {25, "LOC"}, {15, "PER"}, {35, "ORG"}}));
}

TEST(EntityIndexTest, EmptyEntities) { ExpectSameAsScans(Entities({})); }

}  // namespace
}  // namespace nlpd::stance

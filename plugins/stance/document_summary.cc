#include "document_summary.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "lexicon.h"

namespace nlpd::stance {
namespace {

std::string LastWord(const std::string& name) {
  const std::size_t space = name.find_last_of(' ');
  return space == std::string::npos ? name : name.substr(space + 1);
}

// The groups by key and by the key's last word, for SummarizeActors: finds
// the lowest group whose key equals a key, or (for a one-word key) whose key
// ends in it, or whose one-word key is the key's last word. Keys change when
// a longer name takes over a group, so groups move between entries.
class KeyIndex {
 public:
  void Add(const std::string& key, int group) {
    by_key_[key].insert(group);
    by_last_word_[LastWord(key)].insert(group);
  }
  void Remove(const std::string& key, int group) {
    by_key_[key].erase(group);
    by_last_word_[LastWord(key)].erase(group);
  }
  // The lowest matching group, or -1.
  int First(const std::string& key, bool single_word) const {
    int found = Lowest(by_key_, key);
    if (single_word) found = Min(found, Lowest(by_last_word_, key));
    // A group whose key is this key's last word has a one-word key.
    return Min(found, Lowest(by_key_, LastWord(key)));
  }

 private:
  using Groups = std::unordered_map<std::string, std::set<int>>;
  static int Lowest(const Groups& groups, const std::string& key) {
    auto it = groups.find(key);
    return it == groups.end() || it->second.empty() ? -1 : *it->second.begin();
  }
  static int Min(int a, int b) {
    if (a < 0) return b;
    if (b < 0) return a;
    return std::min(a, b);
  }
  Groups by_key_;
  Groups by_last_word_;
};

}  // namespace

void SummarizeActors(nlpd::v1::StanceResult* result) {
  result->clear_actors();
  std::vector<std::string> keys;  // parallel to result->actors
  std::vector<float> favor_weight;
  std::vector<float> against_weight;
  std::vector<std::set<uint32_t>> entities;
  KeyIndex index;
  uint32_t favor = 0, against = 0, none = 0;
  for (int s = 0; s < result->statements_size(); ++s) {
    const nlpd::v1::StanceStatement& statement = result->statements(s);
    switch (statement.stance()) {
      case nlpd::v1::FAVOR:
        ++favor;
        break;
      case nlpd::v1::AGAINST:
        ++against;
        break;
      default:
        ++none;
        break;
    }
    if (statement.actor().empty()) continue;
    const std::string key = Lowercase(statement.actor());
    // The first group with the same name, or one name's last word alone
    // ("Sinowjew" and "Georgi Sinowjew"): through the indexes, not a scan
    // of all groups.
    const bool single_word = key.find(' ') == std::string::npos;
    int found = index.First(key, single_word);
    if (found < 0) {
      found = static_cast<int>(keys.size());
      keys.push_back(key);
      index.Add(key, found);
      favor_weight.push_back(0);
      against_weight.push_back(0);
      entities.emplace_back();
      result->add_actors()->set_actor(statement.actor());
    }
    nlpd::v1::ActorStance* actor = result->mutable_actors(found);
    // The longer name stands for the group.
    if (statement.actor().size() > actor->actor().size()) {
      actor->set_actor(statement.actor());
      index.Remove(keys[found], found);
      keys[found] = key;
      index.Add(key, found);
    }
    actor->add_statements(static_cast<uint32_t>(s));
    if (statement.stance() == nlpd::v1::FAVOR) {
      actor->set_favor(actor->favor() + 1);
      favor_weight[found] += statement.confidence();
    } else if (statement.stance() == nlpd::v1::AGAINST) {
      actor->set_against(actor->against() + 1);
      against_weight[found] += statement.confidence();
    }
    entities[found].insert(statement.actor_entities().begin(),
                           statement.actor_entities().end());
  }
  for (int a = 0; a < result->actors_size(); ++a) {
    nlpd::v1::ActorStance* actor = result->mutable_actors(a);
    if (actor->favor() == 0 && actor->against() == 0) {
      actor->set_stance(nlpd::v1::NONE);
    } else if (actor->favor() != actor->against()) {
      actor->set_stance(actor->favor() > actor->against() ? nlpd::v1::FAVOR
                                                          : nlpd::v1::AGAINST);
    } else {
      actor->set_stance(favor_weight[a] >= against_weight[a]
                            ? nlpd::v1::FAVOR
                            : nlpd::v1::AGAINST);
    }
    for (uint32_t entity : entities[a]) actor->add_actor_entities(entity);
  }
  result->set_favor(favor);
  result->set_against(against);
  result->set_none(none);
  result->set_balance(
      favor + against == 0
          ? 0.0f
          : (static_cast<float>(favor) - static_cast<float>(against)) /
                static_cast<float>(favor + against));
}

}  // namespace nlpd::stance

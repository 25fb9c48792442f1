#include "plugins/dependency_order.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nlpd {
namespace {

// Follows unresolved edges from `start` until a name repeats, and returns
// the cycle it closes ("a -> b -> a").
std::string DescribeCycle(
    const std::string& start,
    const std::map<std::string, std::vector<std::string>>& dependencies,
    const std::set<std::string>& unresolved) {
  std::vector<std::string> path;
  std::string current = start;
  while (true) {
    for (size_t i = 0; i < path.size(); ++i) {
      if (path[i] == current) {
        std::vector<std::string> cycle(
            path.begin() + static_cast<std::ptrdiff_t>(i), path.end());
        cycle.push_back(current);
        return absl::StrJoin(cycle, " -> ");
      }
    }
    path.push_back(current);
    std::string next;
    for (const std::string& dependency : dependencies.at(current)) {
      if (unresolved.count(dependency) != 0) {
        next = dependency;
        break;
      }
    }
    if (next.empty()) return absl::StrJoin(path, " -> ");
    current = next;
  }
}

}  // namespace

DependencyOrder OrderByDependencies(
    const std::map<std::string, std::vector<std::string>>& dependencies) {
  DependencyOrder result;
  // Reject names whose dependencies are missing, transitively.
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& [name, needs] : dependencies) {
      if (result.rejected.count(name) != 0) continue;
      for (const std::string& need : needs) {
        if (dependencies.count(need) == 0) {
          result.rejected[name] =
              absl::StrCat("needs '", need, "', which is not loaded");
        } else if (result.rejected.count(need) != 0) {
          result.rejected[name] =
              absl::StrCat("needs '", need, "', which cannot run");
        } else {
          continue;
        }
        changed = true;
        break;
      }
    }
  }
  // Kahn's algorithm over the rest; std::set keeps the order deterministic.
  std::set<std::string> unresolved;
  for (const auto& [name, needs] : dependencies) {
    if (result.rejected.count(name) == 0) unresolved.insert(name);
  }
  while (!unresolved.empty()) {
    std::string ready;
    for (const std::string& name : unresolved) {
      bool met = true;
      for (const std::string& need : dependencies.at(name)) {
        if (unresolved.count(need) != 0) {
          met = false;
          break;
        }
      }
      if (met) {
        ready = name;
        break;
      }
    }
    if (ready.empty()) break;  // only cycles are left
    result.order.push_back(ready);
    unresolved.erase(ready);
  }
  for (const std::string& name : unresolved) {
    result.rejected[name] = absl::StrCat(
        "dependency cycle: ", DescribeCycle(name, dependencies, unresolved));
  }
  return result;
}

}  // namespace nlpd

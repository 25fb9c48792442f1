// Orders analyses so that each runs after the analyses it depends on, and
// finds the ones that cannot run (missing dependency, cycle). Validated once
// when plugins load, so requests never meet a broken pipeline.
#ifndef NLPD_SERVER_PLUGINS_DEPENDENCY_ORDER_H_
#define NLPD_SERVER_PLUGINS_DEPENDENCY_ORDER_H_

#include <map>
#include <string>
#include <vector>

namespace nlpd {

struct DependencyOrder {
  // Names that can run, each after all of its dependencies. Deterministic:
  // among names whose dependencies are met, the alphabetically first comes
  // first.
  std::vector<std::string> order;
  // Names that cannot run, with the reason ("needs 'x', which is not
  // loaded", "dependency cycle: a -> b -> a").
  std::map<std::string, std::string> rejected;
};

// `dependencies` maps every available name to the names it needs. Pure
// function; thread-safe.
DependencyOrder OrderByDependencies(
    const std::map<std::string, std::vector<std::string>>& dependencies);

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_DEPENDENCY_ORDER_H_

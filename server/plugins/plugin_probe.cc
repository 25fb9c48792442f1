#include "plugins/plugin_probe.h"

#include <signal.h>
#include <sys/wait.h>

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"

namespace nlpd {
namespace {

constexpr absl::Duration kProbeTimeout = absl::Seconds(30);

// The most telling line of a crashed probe's stderr: protobuf's clash
// message if there is one, else the last non-empty line.
std::string WhyFromStderr(const std::string& stderr_text) {
  std::string last;
  for (absl::string_view line : absl::StrSplit(stderr_text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    if (absl::StrContains(line, "File already exists in database:")) {
      absl::string_view file = line.substr(
          line.find("File already exists in database:") +
          std::string_view("File already exists in database:").size());
      return absl::StrCat(
          "it registers the protobuf file ", absl::StripAsciiWhitespace(file),
          ", which the server already has (libnlpd-proto.so); link nlpd::proto "
          "instead of compiling that file into the plugin");
    }
    last = std::string(line);
  }
  return last;
}

}  // namespace

absl::StatusOr<v1::PluginProbe> ProbePluginFile(
    const std::vector<std::string>& host_command, const std::string& path) {
  auto refuse = [&path](absl::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin ", path, ": ", why));
  };
  if (host_command.empty()) {
    return refuse("no plugin host is configured for this kind of file");
  }
  std::vector<std::string> argv = host_command;
  argv.push_back("--probe");
  argv.push_back("--plugin=" + path);
  absl::StatusOr<ChildProcess> child =
      SpawnProcess(argv, /*capture_stderr=*/true);
  if (!child.ok()) return refuse(child.status().message());
  const absl::Time deadline = absl::Now() + kProbeTimeout;
  absl::StatusOr<ChildOutput> output = ReadAllOutput(*child, deadline);
  if (!output.ok()) kill(child->pid, SIGKILL);
  int status = 0;
  waitpid(child->pid, &status, 0);
  if (!output.ok()) {
    return refuse(absl::StrCat("loading it did not finish within ",
                               absl::FormatDuration(kProbeTimeout)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string why = WhyFromStderr(output->stderr_text);
    if (absl::StrContains(output->stderr_text, "No module named nlpd") ||
        absl::StrContains(output->stderr_text, "No module named 'nlpd")) {
      why = absl::StrCat(host_command[0],
                         " cannot import nlpd.plugin_host: install this "
                         "nlpd's Python package into it (pip install "
                         "clients/python) or choose another interpreter "
                         "with --python=PATH");
    }
    return refuse(absl::StrCat("loading it crashed the probe process (",
                               DescribeExitStatus(status), ")",
                               why.empty() ? "" : ": ", why));
  }
  v1::PluginProbe probe;
  if (!probe.ParseFromString(output->stdout_text)) {
    return refuse("the probe process wrote no valid answer");
  }
  if (!probe.error().empty()) {
    // The loader's message already names the file.
    return absl::FailedPreconditionError(probe.error());
  }
  return probe;
}

}  // namespace nlpd

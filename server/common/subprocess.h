// Starting and watching child processes: the plugin host of an isolated
// plugin and the throw-away probe that reads a plugin file.
#ifndef NLPD_SERVER_COMMON_SUBPROCESS_H_
#define NLPD_SERVER_COMMON_SUBPROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace nlpd {

// A started child process whose stdout (and, when captured, stderr) the
// caller reads from pipes. Owns the pipe ends; closes them on destruction.
// Does not wait for the child: call WaitForExit or reap it elsewhere.
struct ChildProcess {
  pid_t pid = -1;
  int stdout_fd = -1;
  // -1 when stderr goes to the parent's stderr.
  int stderr_fd = -1;

  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();
};

// Starts `argv` (argv[0] is the path of the binary) with stdin from
// /dev/null, stdout to a pipe and stderr to a pipe when `capture_stderr`,
// else to the parent's stderr. Errors: INTERNAL naming the binary.
// Thread-safe (posix_spawn; no fork of the multi-threaded parent).
absl::StatusOr<ChildProcess> SpawnProcess(const std::vector<std::string>& argv,
                                          bool capture_stderr);

// Reads one line (without the newline) from `fd`, waiting at most until
// `deadline`. Errors: DEADLINE_EXCEEDED, or UNAVAILABLE at end of file
// before a newline (the child exited).
absl::StatusOr<std::string> ReadLine(int fd, absl::Time deadline);

// What a child wrote to its pipes.
struct ChildOutput {
  std::string stdout_text;
  // Empty when stderr was not captured.
  std::string stderr_text;
};

// Reads the child's stdout (and captured stderr) until end of file on both
// or `deadline`, draining both pipes together so that a child that fills
// one cannot stall. Errors: DEADLINE_EXCEEDED with nothing returned.
absl::StatusOr<ChildOutput> ReadAllOutput(const ChildProcess& child,
                                          absl::Time deadline);

// "exited with code 1", "killed by signal 11 (Segmentation fault)": a
// waitpid() status for a human. Pure.
std::string DescribeExitStatus(int status);

// Resident set size of process `pid` in bytes, from /proc; 0 when it cannot
// be read (the process is gone).
uint64_t ResidentBytes(pid_t pid);

}  // namespace nlpd

#endif  // NLPD_SERVER_COMMON_SUBPROCESS_H_

#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace nlpd {
namespace {

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

// Waits until `fd` is readable or `deadline` passes; false on timeout.
bool WaitReadable(int fd, absl::Time deadline) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    pollfd p{fd, POLLIN, 0};
    const int ms = static_cast<int>(
        std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 1 << 30));
    int ready = poll(&p, 1, ms);
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return true;  // let read() report it
  }
}

}  // namespace

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid(other.pid), stdout_fd(other.stdout_fd), stderr_fd(other.stderr_fd) {
  other.pid = -1;
  other.stdout_fd = -1;
  other.stderr_fd = -1;
}

ChildProcess::~ChildProcess() {
  CloseFd(&stdout_fd);
  CloseFd(&stderr_fd);
}

absl::StatusOr<ChildProcess> SpawnProcess(const std::vector<std::string>& argv,
                                          bool capture_stderr) {
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) != 0 ||
      (capture_stderr && pipe2(err, O_CLOEXEC) != 0)) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  if (capture_stderr) posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  // The child starts with default signal handling and an empty mask: the
  // server blocks SIGTERM/SIGHUP in all its threads.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attributes, &empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP, SIGPIPE}) {
    sigaddset(&defaults, signal_number);
  }
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  ChildProcess child;
  const int error = posix_spawn(&child.pid, argv[0].c_str(), &actions,
                                &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(out[1]);
  if (capture_stderr) close(err[1]);
  child.stdout_fd = out[0];
  child.stderr_fd = capture_stderr ? err[0] : -1;
  if (error != 0) {
    child.pid = -1;
    return absl::InternalError(
        absl::StrCat("cannot start ", argv[0], ": ", std::strerror(error)));
  }
  return child;
}

absl::StatusOr<std::string> ReadLine(int fd, absl::Time deadline) {
  std::string line;
  char c;
  while (true) {
    if (!WaitReadable(fd, deadline)) {
      return absl::DeadlineExceededError("no line within the time allowed");
    }
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::UnavailableError("the child closed its output");
    }
    if (c == '\n') return line;
    line.push_back(c);
  }
}

absl::StatusOr<ChildOutput> ReadAllOutput(const ChildProcess& child,
                                          absl::Time deadline) {
  ChildOutput output;
  // Both pipes at once: a child that fills one while the parent waits on
  // the other would stall.
  struct Stream {
    int fd;
    std::string* data;
  };
  std::vector<Stream> open_streams = {{child.stdout_fd, &output.stdout_text}};
  if (child.stderr_fd >= 0) {
    open_streams.push_back({child.stderr_fd, &output.stderr_text});
  }
  char buffer[1 << 14];
  while (!open_streams.empty()) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError("no end of output in time");
    }
    std::vector<pollfd> polled;
    polled.reserve(open_streams.size());
    for (const Stream& stream : open_streams) {
      polled.push_back({stream.fd, POLLIN, 0});
    }
    const int ms = static_cast<int>(
        std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 1 << 30));
    if (poll(polled.data(), polled.size(), ms) < 0 && errno != EINTR) {
      return absl::InternalError("poll() failed");
    }
    for (size_t i = polled.size(); i-- > 0;) {
      if (polled[i].revents == 0) continue;
      const ssize_t n = read(polled[i].fd, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        open_streams.erase(open_streams.begin() + static_cast<ptrdiff_t>(i));
        continue;
      }
      open_streams[i].data->append(buffer, static_cast<size_t>(n));
    }
  }
  return output;
}

std::string DescribeExitStatus(int status) {
  if (WIFEXITED(status)) {
    return absl::StrCat("exited with code ", WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    const int signal_number = WTERMSIG(status);
    return absl::StrCat("killed by signal ", signal_number, " (",
                        strsignal(signal_number), ")");
  }
  return absl::StrCat("stopped (status ", status, ")");
}

uint64_t ResidentBytes(pid_t pid) {
  std::ifstream statm(absl::StrCat("/proc/", pid, "/statm"));
  uint64_t size_pages = 0;
  uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace nlpd

#include "ingest/extract_pdf.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "util/strings.h"

namespace cg::ingest {
namespace {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Resolves a program name through PATH before fork (execve in the child needs a path).
std::string resolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : std::string();
  const char* path = std::getenv("PATH");
  std::string dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (const auto& dir : split(dirs, ':', true)) {
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

void setNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Right-trims every line, drops blank lines at page ends, separates pages by one blank line.
std::string cleanLayoutText(std::string_view raw, int& pages) {
  pages = static_cast<int>(std::count(raw.begin(), raw.end(), '\f'));
  std::vector<std::string> pageTexts;
  for (const auto& page : split(raw, '\f')) {
    std::string cleaned;
    for (const auto& line : split(page, '\n')) {
      size_t end = line.find_last_not_of(" \t\r");
      cleaned += end == std::string::npos ? std::string() : line.substr(0, end + 1);
      cleaned += '\n';
    }
    // Collapse runs of blank lines to one.
    std::string collapsed;
    int newlines = 0;
    for (char c : cleaned) {
      if (c == '\n') {
        if (++newlines > 2) continue;
      } else {
        newlines = 0;
      }
      collapsed += c;
    }
    std::string trimmed = trim(collapsed);
    if (!trimmed.empty()) pageTexts.push_back(std::move(trimmed));
  }
  if (pages == 0 && !pageTexts.empty()) pages = 1;
  return join(pageTexts, "\n\n");
}

}  // namespace

PdfExtraction extractPdfText(std::string_view bytes, const PdfLimits& limits) {
  PdfExtraction result;
  std::string program = resolveProgram(limits.pdftotextPath);
  if (program.empty()) {
    result.status = PdfExtraction::Status::ToolMissing;
    result.diagnostic = "the PDF text extractor '" + limits.pdftotextPath + "' is not installed";
    return result;
  }

  int stdinPair[2], stdoutPipe[2], stderrPipe[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, stdinPair) != 0) {
    result.diagnostic = std::string("socketpair failed: ") + std::strerror(errno);
    return result;
  }
  Fd inParent(stdinPair[0]), inChild(stdinPair[1]);
  if (pipe2(stdoutPipe, O_CLOEXEC) != 0) {
    result.diagnostic = std::string("pipe failed: ") + std::strerror(errno);
    return result;
  }
  Fd outParent(stdoutPipe[0]), outChild(stdoutPipe[1]);
  if (pipe2(stderrPipe, O_CLOEXEC) != 0) {
    result.diagnostic = std::string("pipe failed: ") + std::strerror(errno);
    return result;
  }
  Fd errParent(stderrPipe[0]), errChild(stderrPipe[1]);

  // Everything the child needs is prepared before fork: only async-signal-safe calls after it.
  std::vector<std::string> args = {program, "-layout", "-enc", "UTF-8", "-", "-"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string envPath = "PATH=/usr/local/bin:/usr/bin:/bin";
  std::string envLang = "LC_ALL=C.UTF-8";
  char* envp[] = {envPath.data(), envLang.data(), nullptr};
  rlimit memory{static_cast<rlim_t>(limits.maxMemoryBytes), static_cast<rlim_t>(limits.maxMemoryBytes)};
  rlimit cpu{static_cast<rlim_t>(limits.cpuSeconds), static_cast<rlim_t>(limits.cpuSeconds + 1)};
  rlimit zero{0, 0};
  rlimit files{64, 64};

  pid_t pid = fork();
  if (pid < 0) {
    result.diagnostic = std::string("fork failed: ") + std::strerror(errno);
    return result;
  }
  if (pid == 0) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    if (dup2(inChild.get(), 0) < 0 || dup2(outChild.get(), 1) < 0 || dup2(errChild.get(), 2) < 0) _exit(126);
    syscall(SYS_close_range, 3u, ~0u, 0u);
    setrlimit(RLIMIT_AS, &memory);
    setrlimit(RLIMIT_CPU, &cpu);
    setrlimit(RLIMIT_FSIZE, &zero);
    setrlimit(RLIMIT_CORE, &zero);
    setrlimit(RLIMIT_NOFILE, &files);
    execve(argv[0], argv.data(), envp);
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so the group exists before any kill
  inChild.reset();
  outChild.reset();
  errChild.reset();
  setNonBlocking(inParent.get());
  setNonBlocking(outParent.get());
  setNonBlocking(errParent.get());

  auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  std::string out, err;
  size_t written = 0;
  bool inOpen = true, outOpen = true, errOpen = true, killed = false;
  if (bytes.empty()) {
    inParent.reset();
    inOpen = false;
  }
  char buffer[64 * 1024];
  auto killGroup = [&] {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    killed = true;
  };

  while (outOpen || errOpen) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      result.status = PdfExtraction::Status::Timeout;
      killGroup();
      break;
    }
    int waitMs = static_cast<int>(
        std::min<long long>(1000, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1));
    pollfd fds[3];
    nfds_t n = 0;
    int outIndex = -1, errIndex = -1, inIndex = -1;
    if (outOpen) fds[outIndex = static_cast<int>(n++)] = {outParent.get(), POLLIN, 0};
    if (errOpen) fds[errIndex = static_cast<int>(n++)] = {errParent.get(), POLLIN, 0};
    if (inOpen) fds[inIndex = static_cast<int>(n++)] = {inParent.get(), POLLOUT, 0};
    int ready = poll(fds, n, waitMs);
    if (ready < 0) {
      if (errno == EINTR) continue;
      result.diagnostic = std::string("poll failed: ") + std::strerror(errno);
      killGroup();
      break;
    }
    if (inIndex >= 0 && fds[inIndex].revents) {
      if (fds[inIndex].revents & (POLLERR | POLLHUP)) {
        inParent.reset();  // the child stopped reading; its exit status tells why
        inOpen = false;
      } else {
        ssize_t w = send(inParent.get(), bytes.data() + written, std::min<size_t>(bytes.size() - written, 256 * 1024),
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) written += static_cast<size_t>(w);
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == bytes.size()) {
          inParent.reset();
          inOpen = false;
        }
      }
    }
    if (outIndex >= 0 && fds[outIndex].revents) {
      ssize_t r = read(outParent.get(), buffer, sizeof buffer);
      if (r > 0) {
        out.append(buffer, static_cast<size_t>(r));
        if (out.size() > limits.maxOutputBytes) {
          result.status = PdfExtraction::Status::OutputTooLarge;
          killGroup();
          break;
        }
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        outOpen = false;
      }
    }
    if (errIndex >= 0 && fds[errIndex].revents) {
      ssize_t r = read(errParent.get(), buffer, sizeof buffer);
      if (r > 0) {
        if (err.size() < 8192) err.append(buffer, std::min<size_t>(static_cast<size_t>(r), 8192 - err.size()));
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        errOpen = false;
      }
    }
  }
  inParent.reset();

  // Reap the child; give it until the deadline (plus a moment) to exit after closing its output.
  int status = 0;
  while (true) {
    pid_t w = waitpid(pid, &status, killed ? 0 : WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    if (w == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        result.status = PdfExtraction::Status::Timeout;
        killGroup();
      } else {
        usleep(2000);
      }
    }
  }
  kill(-pid, SIGKILL);  // anything the tool left behind in its group

  std::string stderrText = trim(sanitizeUtf8(err));
  if (stderrText.size() > 500) stderrText = sanitizeUtf8(stderrText.substr(0, 500));
  if (killed) {
    if (result.status == PdfExtraction::Status::Timeout)
      result.diagnostic = "pdftotext did not finish within " + std::to_string(limits.timeout.count()) + " ms";
    else if (result.status == PdfExtraction::Status::OutputTooLarge)
      result.diagnostic = "pdftotext produced more than " + std::to_string(limits.maxOutputBytes) + " bytes";
    return result;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string lower = toLower(stderrText);
    result.status = (lower.find("password") != std::string::npos || lower.find("encrypt") != std::string::npos ||
                     (WIFEXITED(status) && WEXITSTATUS(status) == 3))
                        ? PdfExtraction::Status::Encrypted
                        : PdfExtraction::Status::Failed;
    if (WIFSIGNALED(status))
      result.diagnostic = "pdftotext was stopped by signal " + std::to_string(WTERMSIG(status)) +
                          (WTERMSIG(status) == SIGXCPU ? " (CPU time limit)" : "");
    else
      result.diagnostic = "pdftotext exited with status " + std::to_string(WEXITSTATUS(status));
    if (!stderrText.empty()) result.diagnostic += ": " + stderrText;
    return result;
  }
  result.text = cleanLayoutText(sanitizeUtf8(out), result.pages);
  result.diagnostic = stderrText;
  result.status = trim(result.text).empty() ? PdfExtraction::Status::NoText : PdfExtraction::Status::Ok;
  return result;
}

}  // namespace cg::ingest

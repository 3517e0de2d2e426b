// PDF → text, out of process: runs poppler's `pdftotext -layout -enc UTF-8 - -` (Debian package
// poppler-utils) in a sandboxed child so a hostile PDF cannot take the service down.
//
// Contract: `extractPdfText(bytes, limits)` never throws. The PDF is streamed to the child's stdin
// (no temporary file); the child is started with fork/execve (no shell) in its own process group,
// with RLIMIT_AS (memory), RLIMIT_CPU, RLIMIT_FSIZE=0, RLIMIT_CORE=0 and a small RLIMIT_NOFILE.
// A wall-clock timeout kills the whole group; stdout beyond `maxOutputBytes` kills it too.
// Pages are counted from pdftotext's form feeds (one per page). Layout padding at line ends is
// trimmed; pages are separated by a blank line. `status` tells the caller which contract error
// applies (NoText → 422 "does not contain extractable text").
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cg::ingest {

struct PdfLimits {
  std::chrono::milliseconds timeout{30'000};
  uint64_t maxMemoryBytes = 1024ull * 1024 * 1024;  // RLIMIT_AS of the child
  unsigned cpuSeconds = 60;                          // RLIMIT_CPU of the child
  size_t maxOutputBytes = 64 * 1024 * 1024;
  std::string pdftotextPath = "pdftotext";           // a name is looked up in PATH
};

struct PdfExtraction {
  enum class Status { Ok, NoText, Encrypted, Failed, Timeout, OutputTooLarge, ToolMissing };
  Status status = Status::Failed;
  std::string text;
  int pages = 0;
  std::string diagnostic;  // first lines of pdftotext's stderr, or why it failed
};

PdfExtraction extractPdfText(std::string_view bytes, const PdfLimits& limits = {});

}  // namespace cg::ingest

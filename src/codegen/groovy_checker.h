// Bridge to the real Groovy 4 compiler: manages ONE long-lived JVM running
// tools/groovy/GroovyCheck.groovy and sends it scripts over pipes (JSON lines), so hundreds of
// scripts cost one JVM start; checkMany() batches scripts into one compilation unit. Each script is compiled to SEMANTIC_ANALYSIS (never executed); the
// answer carries errors with line/column and the AST call tree for the conformance check.
//
// Contract:
//  - Lazy: the JVM starts on the first check(). Thread-safe (requests are serialized).
//  - A script that exceeds perScriptTimeout kills the JVM; it restarts on the next request. A JVM
//    that dies mid-request is restarted once and the request retried.
//  - When java, the Groovy jars or the checker script are missing, or the JVM cannot start, every
//    result has status Skipped and `skippedReason` says why ("Groovy compilation skipped: …").
//  - Never throws.
#pragma once
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/dsl_parser.h"
#include "util/json.h"

namespace cg::codegen {

struct GroovyCheckerOptions {
  std::string javaPath = "java";  // looked up on PATH when not absolute
  std::string groovyJar;          // groovy-4.x.jar; empty → $CG_GROOVY_JAR, else the npm-groovy-lint copy
  std::string checkerScript;      // empty → <CG_SOURCE_DIR>/tools/groovy/GroovyCheck.groovy
  std::chrono::milliseconds startupTimeout{60000};
  std::chrono::milliseconds perScriptTimeout{15000};
};

struct GroovyCheckResult {
  enum class Status { Compiled, Failed, Skipped };
  Status status = Status::Skipped;
  std::vector<ScriptIssue> errors;
  std::vector<ScriptIssue> warnings;
  std::optional<Json> tree;  // the checker's call tree (dsl_tree.h JSON), when compiled
  std::string skippedReason;
  bool ok() const { return status == Status::Compiled; }
};

class GroovyChecker {
 public:
  explicit GroovyChecker(GroovyCheckerOptions options = {});
  ~GroovyChecker();
  GroovyChecker(const GroovyChecker&) = delete;
  GroovyChecker& operator=(const GroovyChecker&) = delete;

  GroovyCheckResult check(std::string_view name, std::string_view source);
  // Checks many scripts with few JVM requests: each chunk of scripts is compiled in ONE Groovy
  // CompilationUnit (much cheaper than one unit per script); scripts of a chunk that has errors are
  // recompiled alone by the checker, so every result equals what check() would answer. Results are
  // in input order. If a batch request times out or the JVM keeps dying, falls back to check() per script.
  std::vector<GroovyCheckResult> checkMany(const std::vector<std::pair<std::string, std::string>>& nameAndSource);
  // "" when the checker can run; otherwise why not (without starting the JVM if avoidable).
  std::string unavailableReason();
  std::string groovyVersion();  // after a successful start, e.g. "4.0.26"
  int starts() const;           // how many JVMs were started (tests/benchmarks)

 private:
  struct Process;
  GroovyCheckerOptions options_;
  mutable std::mutex mutex_;
  std::unique_ptr<Process> process_;
  std::string permanentFailure_;
  std::string version_;
  int starts_ = 0;
  long nextId_ = 1;

  std::string resolveSetup(std::vector<std::string>& argv);
  bool ensureStarted(std::string& reason);
  void stop();
  GroovyCheckResult checkLocked(std::string_view name, std::string_view source);
  std::optional<std::vector<GroovyCheckResult>> checkChunkLocked(
      const std::vector<std::pair<std::string, std::string>>& nameAndSource, size_t begin, size_t end);
  std::optional<std::string> exchange(const std::string& line, std::chrono::milliseconds timeout, std::string& error);
};

}  // namespace cg::codegen

// Config: every setting of connector-gen, read from environment variables (the reference's names
// where they exist, `SECTION__NAME`) and overridden by command-line flags. docs/CONFIGURATION.md
// lists them all.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cg {
struct Config {
  // APP__*
  std::string host = "0.0.0.0";
  uint16_t port = 8090;
  std::string apiBaseUrl = "/api";
  int ioThreads = 0;  // 0 → one per core
  int workers = 2;    // job worker threads in this process (0 = none: serve only)
  std::vector<std::string> apiKeys;
  uint64_t maxBodyBytes = 64ull << 20;
  int headerTimeoutSeconds = 30;
  int bodyTimeoutSeconds = 300;
  int keepAliveSeconds = 10;
  int gracefulShutdownSeconds = 15;
  std::string swaggerUiDir;  // default: <source>/third_party/npm/node_modules/swagger-ui-dist
  std::string title = "connector-gen";
  std::string version = "0.1.0";
  // Documentation processing
  uint64_t maxUploadBytes = 50ull << 20;   // DOCUMENTATION__MAX_UPLOAD_BYTES
  uint64_t maxExtractedTextBytes = 64ull << 20;  // DOCUMENTATION__MAX_TEXT_BYTES
  int chunkTokens = 10'000;                // SCRAPE_AND_PROCESS__CHUNK_LENGTH
  // LOGGING__*
  std::string logLevel = "info";
  bool accessLog = true;
  // DATABASE__*
  std::string databaseUrl;  // empty → SQLite ./data/connector-gen.db
  int databasePoolSize = 10;
  // JOBS__*
  int jobLeaseSeconds = 30;
  int jobMaxAttempts = 3;
  int jobPollMilliseconds = 200;
};

// Reads the environment (names are case-insensitive, like the reference). Throws
// std::invalid_argument naming the variable when a value does not parse.
Config configFromEnvironment(char** envp);
// Reads `KEY=VALUE` lines from a .env file if present (does not override real environment values).
std::map<std::string, std::string> readDotEnv(const std::string& path);
}  // namespace cg

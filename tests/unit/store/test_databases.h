// Test helpers: a fresh SQLite file or a fresh PostgreSQL database (on the throwaway server the
// CTest fixture "pg" starts; its URL is in the file named by CG_PG_URL_FILE) per test.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <string>

#include "util/strings.h"
#include "util/uuid.h"

namespace cg::test {
inline std::string pgServerUrl() {
  if (const char* direct = std::getenv("CG_TEST_PG_URL")) return direct;
  const char* file = std::getenv("CG_PG_URL_FILE");
#ifdef CG_PG_URL_FILE_DEFAULT
  if (!file) file = CG_PG_URL_FILE_DEFAULT;
#endif
  if (!file) return "";
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  return trim(url);
}

// Creates a new, empty database on the test server and returns its URL ("" if no server).
inline std::string freshPgDatabase() {
  std::string server = pgServerUrl();
  if (server.empty()) return "";
  std::string name = "cgtest_" + newUuid().substr(0, 8);
  {
    pqxx::connection c(server);
    pqxx::nontransaction n(c);
    n.exec("CREATE DATABASE " + name);
  }
  auto slash = server.rfind('/');
  return server.substr(0, slash + 1) + name;
}

inline std::string freshSqlitePath() {
  auto dir = std::filesystem::temp_directory_path() / ("cg-test-" + newUuid());
  std::filesystem::create_directories(dir);
  return (dir / "test.db").string();
}

// "sqlite" → a new SQLite file; "postgresql" → a new database, or skips the test when no server is
// configured (CG_REQUIRE_PG=1 turns that skip into a failure, as in CI).
#define CG_DATABASE_URL_OR_SKIP(backend, out)                                              \
  do {                                                                                     \
    if (std::string(backend) == "sqlite") {                                                \
      out = ::cg::test::freshSqlitePath();                                                 \
    } else {                                                                               \
      out = ::cg::test::freshPgDatabase();                                                 \
      if (out.empty()) {                                                                   \
        if (std::getenv("CG_REQUIRE_PG")) FAIL() << "PostgreSQL test server not available"; \
        GTEST_SKIP() << "no PostgreSQL test server (run through ctest, which starts one)"; \
      }                                                                                    \
    }                                                                                      \
  } while (0)
}  // namespace cg::test

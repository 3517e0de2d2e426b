// Versioned schema migrations, written once for both dialects. `{JSON}` and `{SERIAL_PK}` are
// replaced per dialect. Applied in order at start-up and by `connector-gen migrate`; each version
// runs in its own transaction and is recorded in schema_migrations.
#pragma once
#include <string>
#include <vector>

#include "store/sql_backend.h"

namespace cg {
struct Migration {
  int version;
  std::string name;
  std::string sql;
};
const std::vector<Migration>& allMigrations();
std::string renderMigration(const std::string& sql, SqlDialect dialect);
}  // namespace cg

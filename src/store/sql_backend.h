// SqlBackend: the small database-access layer under SqlStore. A backend hands out pooled
// connections inside a transaction; statements use PostgreSQL-style `$1` placeholders on both
// backends (SQLite statements are rewritten to `?1`). Values travel as null, integer or text.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cg {
using SqlValue = std::variant<std::nullptr_t, int64_t, std::string>;
using SqlRow = std::vector<std::optional<std::string>>;

class SqlTx {
 public:
  virtual ~SqlTx() = default;
  virtual std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  // Returns the number of affected rows.
  virtual int64_t exec(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  // Runs a multi-statement script without parameters (migrations).
  virtual void script(std::string_view sql) = 0;
};

enum class SqlDialect { sqlite, postgresql };

class SqlBackend {
 public:
  virtual ~SqlBackend() = default;
  virtual SqlDialect dialect() const = 0;
  // Runs `fn` in one transaction: commits when it returns, rolls back when it throws (the exception
  // propagates). `write` lets SQLite take the write lock up front (BEGIN IMMEDIATE).
  virtual void transaction(bool write, const std::function<void(SqlTx&)>& fn) = 0;
};

std::unique_ptr<SqlBackend> openSqliteBackend(const std::string& path, int poolSize);
std::unique_ptr<SqlBackend> openPostgresBackend(const std::string& url, int poolSize);
}  // namespace cg

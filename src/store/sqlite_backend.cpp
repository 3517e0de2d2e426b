// SQLite backend: WAL journal, busy timeout, foreign keys on, a small connection pool, and a
// prepared-statement cache per connection.
#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "store/sql_backend.h"
#include "store/store.h"

namespace cg {
namespace {

std::string toSqliteParams(std::string_view sql) {
  // `$N` → `?N` outside string literals.
  std::string out;
  out.reserve(sql.size());
  bool inString = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') inString = !inString;
    if (!inString && c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out.push_back('?');
      continue;
    }
    out.push_back(c);
  }
  return out;
}

class SqliteConn : public SqlTx {
 public:
  explicit SqliteConn(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      if (db_) sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError("cannot open SQLite database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 15000);
    script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  }
  ~SqliteConn() override {
    for (auto& [_, st] : cache_) sqlite3_finalize(st);
    if (db_) sqlite3_close(db_);
  }

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    std::vector<SqlRow> rows;
    int cols = sqlite3_column_count(st);
    while (true) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_ROW) {
        SqlRow row(static_cast<size_t>(cols));
        for (int c = 0; c < cols; ++c) {
          if (sqlite3_column_type(st, c) != SQLITE_NULL) {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
            row[static_cast<size_t>(c)] = std::string(text, static_cast<size_t>(sqlite3_column_bytes(st, c)));
          }
        }
        rows.push_back(std::move(row));
      } else if (rc == SQLITE_DONE) {
        break;
      } else {
        fail(st, rc);
      }
    }
    sqlite3_reset(st);
    return rows;
  }

  int64_t exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(st, rc);
    sqlite3_reset(st);
    return sqlite3_changes(db_);
  }

  void script(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      int code = sqlite3_errcode(db_);
      if ((code & 0xff) == SQLITE_CONSTRAINT) throw StoreConflict(msg);
      throw StoreError("SQLite: " + msg);
    }
  }

 private:
  sqlite3_stmt* prepare(std::string_view sql, const std::vector<SqlValue>& params) {
    std::string key(sql);
    auto it = cache_.find(key);
    sqlite3_stmt* st;
    if (it == cache_.end()) {
      std::string converted = toSqliteParams(sql);
      if (sqlite3_prepare_v2(db_, converted.c_str(), static_cast<int>(converted.size()), &st, nullptr) != SQLITE_OK)
        throw StoreError(std::string("SQLite prepare failed: ") + sqlite3_errmsg(db_) + " in: " + converted);
      cache_.emplace(std::move(key), st);
    } else {
      st = it->second;
      sqlite3_reset(st);
    }
    sqlite3_clear_bindings(st);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      if (idx > sqlite3_bind_parameter_count(st)) break;
      const auto& p = params[i];
      if (std::holds_alternative<std::nullptr_t>(p)) {
        sqlite3_bind_null(st, idx);
      } else if (std::holds_alternative<int64_t>(p)) {
        sqlite3_bind_int64(st, idx, std::get<int64_t>(p));
      } else {
        const auto& s = std::get<std::string>(p);
        sqlite3_bind_text(st, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
    }
    return st;
  }

  [[noreturn]] void fail(sqlite3_stmt* st, int rc) {
    std::string msg = sqlite3_errmsg(db_);
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) throw StoreConflict(msg);
    throw StoreError("SQLite: " + msg);
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteBackend : public SqlBackend {
 public:
  SqliteBackend(const std::string& path, int poolSize) {
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    for (int i = 0; i < std::max(1, poolSize); ++i) {
      all_.push_back(std::make_unique<SqliteConn>(path));
      free_.push_back(all_.back().get());
    }
  }
  SqlDialect dialect() const override { return SqlDialect::sqlite; }

  void transaction(bool write, const std::function<void(SqlTx&)>& fn) override {
    SqliteConn* conn;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !free_.empty(); });
      conn = free_.back();
      free_.pop_back();
    }
    struct Release {
      SqliteBackend* self;
      SqliteConn* conn;
      ~Release() {
        std::lock_guard lock(self->mu_);
        self->free_.push_back(conn);
        self->cv_.notify_one();
      }
    } release{this, conn};
    // Read-only work runs in autocommit mode: each statement sees one consistent snapshot, and
    // callers keep multi-row reads consistent by using single statements.
    if (!write) {
      fn(*conn);
      return;
    }
    // SQLite has one writer at a time. Writers of this process queue on a mutex instead of
    // polling the file lock (the busy handler sleeps in growing steps, which shows up as latency
    // spikes); other processes are still handled by the busy timeout.
    std::lock_guard writeLock(writeMu_);
    conn->exec("BEGIN IMMEDIATE", {});
    try {
      fn(*conn);
      conn->exec("COMMIT", {});
    } catch (...) {
      try {
        conn->exec("ROLLBACK", {});
      } catch (...) {
      }
      throw;
    }
  }

 private:
  std::mutex mu_;
  std::mutex writeMu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqliteConn>> all_;
  std::vector<SqliteConn*> free_;
};
}  // namespace

std::unique_ptr<SqlBackend> openSqliteBackend(const std::string& path, int poolSize) {
  return std::make_unique<SqliteBackend>(path, poolSize);
}
}  // namespace cg

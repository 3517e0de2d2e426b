// PostgreSQL backend on libpqxx 6.x: a bounded pool of connections, one pqxx::work per
// transaction, dynamic parameter lists, broken connections replaced on next use.
#include <pqxx/pqxx>

#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "store/sql_backend.h"
#include "store/store.h"

namespace cg {
namespace {

std::vector<std::optional<std::string>> toParams(const std::vector<SqlValue>& params) {
  std::vector<std::optional<std::string>> out;
  out.reserve(params.size());
  for (const auto& p : params) {
    if (std::holds_alternative<std::nullptr_t>(p))
      out.emplace_back(std::nullopt);
    else if (std::holds_alternative<int64_t>(p))
      out.emplace_back(std::to_string(std::get<int64_t>(p)));
    else
      out.emplace_back(std::get<std::string>(p));
  }
  return out;
}

[[noreturn]] void rethrow(const std::exception& e) {
  if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e)) throw StoreConflict(e.what());
  throw StoreError(std::string("PostgreSQL: ") + e.what());
}

// A pooled connection with the names of the statements already prepared on it.
struct PgConn {
  explicit PgConn(const std::string& url) : c(url) {}
  pqxx::connection c;
  std::unordered_map<std::string, std::string> prepared;
  const std::string& statement(std::string_view sql) {
    auto it = prepared.find(std::string(sql));
    if (it != prepared.end()) return it->second;
    std::string name = "s" + std::to_string(prepared.size());
    c.prepare(name, std::string(sql));
    return prepared.emplace(std::string(sql), name).first->second;
  }
};

class PgTx : public SqlTx {
 public:
  PgTx(pqxx::transaction_base& w, PgConn& conn) : w_(w), conn_(conn) {}
  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto p = toParams(params);
    pqxx::result r = w_.exec_prepared(conn_.statement(sql), pqxx::prepare::make_dynamic_params(p));
    std::vector<SqlRow> rows;
    rows.reserve(r.size());
    for (const auto& row : r) {
      SqlRow out(row.size());
      for (pqxx::row::size_type c = 0; c < row.size(); ++c)
        if (!row[c].is_null()) out[static_cast<size_t>(c)] = std::string(row[c].c_str(), row[c].size());
      rows.push_back(std::move(out));
    }
    return rows;
  }
  int64_t exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto p = toParams(params);
    pqxx::result r = w_.exec_prepared(conn_.statement(sql), pqxx::prepare::make_dynamic_params(p));
    return static_cast<int64_t>(r.affected_rows());
  }
  void script(std::string_view sql) override { w_.exec(std::string(sql)); }

 private:
  pqxx::transaction_base& w_;
  PgConn& conn_;
};

class PostgresBackend : public SqlBackend {
 public:
  PostgresBackend(std::string url, int poolSize) : url_(std::move(url)), size_(std::max(1, poolSize)) {
    // Fail fast with a clear message when the server is unreachable.
    try {
      free_.push_back(std::make_unique<PgConn>(url_));
      ++created_;
    } catch (const std::exception& e) {
      throw StoreError(std::string("cannot connect to PostgreSQL: ") + e.what());
    }
  }
  SqlDialect dialect() const override { return SqlDialect::postgresql; }

  // Read-only work runs without BEGIN/COMMIT (one round trip per statement; callers keep
  // multi-statement reads consistent by using single statements).
  void transaction(bool write, const std::function<void(SqlTx&)>& fn) override {
    std::unique_ptr<PgConn> conn = acquire();
    bool healthy = true;
    try {
      if (write) {
        pqxx::work w(conn->c);
        PgTx tx(w, *conn);
        fn(tx);
        w.commit();
      } else {
        pqxx::nontransaction w(conn->c);
        PgTx tx(w, *conn);
        fn(tx);
      }
    } catch (const pqxx::broken_connection& e) {
      healthy = false;
      release(nullptr);
      throw StoreError(std::string("PostgreSQL connection lost: ") + e.what());
    } catch (const StoreError&) {
      release(std::move(conn));
      throw;
    } catch (const pqxx::failure& e) {
      healthy = conn->c.is_open();
      release(healthy ? std::move(conn) : nullptr);
      rethrow(e);
    } catch (...) {
      release(conn->c.is_open() ? std::move(conn) : nullptr);
      throw;
    }
    release(std::move(conn));
  }

 private:
  std::unique_ptr<PgConn> acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty() || created_ < size_; });
    if (!free_.empty()) {
      auto c = std::move(free_.back());
      free_.pop_back();
      if (c->c.is_open()) return c;
      --created_;
    }
    ++created_;
    lock.unlock();
    try {
      return std::make_unique<PgConn>(url_);
    } catch (const std::exception& e) {
      std::lock_guard relock(mu_);
      --created_;
      cv_.notify_one();
      throw StoreError(std::string("cannot connect to PostgreSQL: ") + e.what());
    }
  }
  void release(std::unique_ptr<PgConn> c) {
    std::lock_guard lock(mu_);
    if (c)
      free_.push_back(std::move(c));
    else
      --created_;
    cv_.notify_one();
  }

  std::string url_;
  int size_;
  int created_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> free_;
};
}  // namespace

std::unique_ptr<SqlBackend> openPostgresBackend(const std::string& url, int poolSize) {
  return std::make_unique<PostgresBackend>(url, poolSize);
}
}  // namespace cg

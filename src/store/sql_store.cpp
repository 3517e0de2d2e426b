// SqlStore: the Store implementation shared by SQLite and PostgreSQL (dialect differences are
// limited to the claim statement's row locking and the migration type names).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

#include "store/migrations.h"
#include "store/sql_backend.h"
#include "store/store.h"
#include "util/base64.h"
#include "util/strings.h"

namespace cg {

const char* toString(JobStatus s) {
  switch (s) {
    case JobStatus::queued: return "queued";
    case JobStatus::running: return "running";
    case JobStatus::finished: return "finished";
    case JobStatus::failed: return "failed";
  }
  return "queued";
}
std::optional<JobStatus> parseJobStatus(const std::string& s) {
  if (s == "queued") return JobStatus::queued;
  if (s == "running") return JobStatus::running;
  if (s == "finished") return JobStatus::finished;
  if (s == "failed") return JobStatus::failed;
  return std::nullopt;
}

namespace {
const char* kJobCols =
    "job_id, session_id, job_type, status, input, input_hash, result, errors, result_key, stage, message, "
    "total_processing, processing_completed, attempts, max_attempts, lease_owner, lease_expires, created_at, "
    "updated_at, started_at, finished_at";
const char* kChunkCols = "chunk_id, session_id, doc_id, source, url, summary, content, metadata, created_at, scrape_job_ids";
const char* kDocCols =
    "doc_id, session_id, source, url, filename, content_type, detected_type, text, sha256, job_id, metadata, created_at";

SqlValue opt(const std::optional<std::string>& v) { return v ? SqlValue(*v) : SqlValue(nullptr); }
SqlValue opt(const std::optional<int64_t>& v) { return v ? SqlValue(*v) : SqlValue(nullptr); }
int64_t toInt(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }
std::optional<int64_t> toOptInt(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return std::stoll(*v);
}
OrderedJson parseJson(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return OrderedJson::parse(*v, nullptr, false);
}

JobRow readJob(const SqlRow& r) {
  JobRow j;
  j.id = *r[0];
  j.sessionId = *r[1];
  j.type = *r[2];
  j.status = parseJobStatus(*r[3]).value_or(JobStatus::failed);
  j.input = parseJson(r[4]);
  j.inputHash = r[5].value_or("");
  if (r[6]) j.result = parseJson(r[6]);
  OrderedJson errs = parseJson(r[7]);
  if (errs.is_array())
    for (auto& e : errs)
      if (e.is_string()) j.errors.push_back(e.get<std::string>());
  j.resultKey = r[8];
  j.progress.stage = r[9];
  j.progress.message = r[10];
  j.progress.total = toOptInt(r[11]);
  j.progress.completed = toOptInt(r[12]);
  j.attempts = static_cast<int>(toInt(r[13]));
  j.maxAttempts = static_cast<int>(toInt(r[14]));
  j.leaseOwner = r[15];
  j.leaseExpires = toOptInt(r[16]);
  j.createdAt = toInt(r[17]);
  j.updatedAt = toInt(r[18]);
  j.startedAt = toOptInt(r[19]);
  j.finishedAt = toOptInt(r[20]);
  return j;
}

ChunkRow readChunk(const SqlRow& r) {
  ChunkRow c;
  c.chunkId = *r[0];
  c.sessionId = *r[1];
  c.docId = r[2];
  c.source = *r[3];
  c.url = r[4];
  c.summary = r[5];
  c.content = r[6].value_or("");
  c.metadata = parseJson(r[7]);
  if (!c.metadata.is_object()) c.metadata = OrderedJson::object();
  c.createdAt = toInt(r[8]);
  OrderedJson ids = parseJson(r[9]);
  if (ids.is_array())
    for (auto& id : ids)
      if (id.is_string()) c.scrapeJobIds.push_back(id.get<std::string>());
  return c;
}

DocumentRow readDoc(const SqlRow& r) {
  DocumentRow d;
  d.docId = *r[0];
  d.sessionId = *r[1];
  d.source = *r[2];
  d.url = r[3];
  d.filename = r[4];
  d.contentType = r[5].value_or("");
  d.detectedType = r[6].value_or("");
  d.text = r[7].value_or("");
  d.sha256 = r[8].value_or("");
  d.jobId = r[9];
  d.metadata = parseJson(r[10]);
  d.createdAt = toInt(r[11]);
  return d;
}

std::string errorsJson(const std::vector<std::string>& errors) {
  OrderedJson arr = OrderedJson::array();
  for (const auto& e : errors) arr.push_back(e);
  return dumpJson(arr);
}

// Appends lines to an errors array, skipping duplicates and blank lines.
std::vector<std::string> mergeErrors(std::vector<std::string> existing, const std::vector<std::string>& more) {
  for (const auto& m : more) {
    std::string line = trim(m);
    if (line.empty()) continue;
    if (std::find(existing.begin(), existing.end(), line) == existing.end()) existing.push_back(line);
  }
  return existing;
}

class SqlStore : public Store {
 public:
  explicit SqlStore(std::unique_ptr<SqlBackend> backend) : db_(std::move(backend)) {}

  std::string backendName() const override {
    return db_->dialect() == SqlDialect::sqlite ? "sqlite" : "postgresql";
  }

  void migrate() override {
    db_->transaction(true, [&](SqlTx& tx) {
      tx.script("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "applied_at BIGINT NOT NULL)");
    });
    for (const auto& m : allMigrations()) {
      db_->transaction(true, [&](SqlTx& tx) {
        if (db_->dialect() == SqlDialect::postgresql)
          tx.exec("SELECT pg_advisory_xact_lock(7215002)");  // one migrator at a time across processes
        auto rows = tx.query("SELECT version FROM schema_migrations WHERE version = $1", {int64_t{m.version}});
        if (!rows.empty()) return;
        tx.script(renderMigration(m.sql, db_->dialect()));
        tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {int64_t{m.version}, m.name, nowMicrosForStore()});
      });
    }
  }

  int schemaVersion() override {
    int v = 0;
    db_->transaction(false, [&](SqlTx& tx) {
      auto rows = tx.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      v = static_cast<int>(toInt(rows.at(0)[0]));
    });
    return v;
  }

  bool ping() override {
    try {
      db_->transaction(false, [&](SqlTx& tx) { tx.query("SELECT 1"); });
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  bool createSession(const std::string& id, int64_t now) override {
    bool created = false;
    db_->transaction(true, [&](SqlTx& tx) {
      created = tx.exec("INSERT INTO sessions (session_id, created_at, updated_at) VALUES ($1, $2, $2) "
                        "ON CONFLICT (session_id) DO NOTHING",
                        {id, now}) == 1;
    });
    return created;
  }

  std::optional<SessionRow> getSession(const std::string& id) override {
    std::optional<SessionRow> out;
    db_->transaction(false, [&](SqlTx& tx) { out = readSession(tx, id); });
    return out;
  }

  bool deleteSession(const std::string& id) override {
    bool deleted = false;
    db_->transaction(true, [&](SqlTx& tx) {
      deleted = tx.exec("DELETE FROM sessions WHERE session_id = $1", {id}) == 1;
    });
    return deleted;
  }

  std::map<std::string, OrderedJson> getSessionData(const std::string& id) override {
    std::map<std::string, OrderedJson> out;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query("SELECT key, value FROM session_data WHERE session_id = $1 ORDER BY key", {id}))
        out.emplace(*r[0], parseJson(r[1]));
    });
    return out;
  }

  std::optional<std::pair<SessionRow, std::map<std::string, OrderedJson>>> getSessionWithData(const std::string& id) override {
    std::optional<std::pair<SessionRow, std::map<std::string, OrderedJson>>> out;
    db_->transaction(false, [&](SqlTx& tx) {
      auto rows = tx.query("SELECT s.created_at, s.updated_at, d.key, d.value FROM sessions s LEFT JOIN session_data d "
                           "ON d.session_id = s.session_id WHERE s.session_id = $1 ORDER BY d.key",
                           {id});
      if (rows.empty()) return;
      out.emplace(SessionRow{id, toInt(rows[0][0]), toInt(rows[0][1])}, std::map<std::string, OrderedJson>{});
      for (auto& r : rows)
        if (r[2]) out->second.emplace(*r[2], parseJson(r[3]));
    });
    return out;
  }

  std::optional<OrderedJson> getSessionValue(const std::string& id, const std::string& key) override {
    std::optional<OrderedJson> out;
    db_->transaction(false, [&](SqlTx& tx) {
      auto rows = tx.query("SELECT value FROM session_data WHERE session_id = $1 AND key = $2", {id, key});
      if (!rows.empty()) out = parseJson(rows[0][0]);
    });
    return out;
  }

  bool putSessionData(const std::string& id, const std::vector<std::pair<std::string, OrderedJson>>& values,
                      int64_t now) override {
    bool ok = false;
    db_->transaction(true, [&](SqlTx& tx) { ok = upsertData(tx, id, values, now); });
    return ok;
  }

  bool createJob(const JobRow& j, const std::vector<std::pair<std::string, OrderedJson>>& sessionValues,
                 const std::optional<std::string>& payload) override {
    bool ok = false;
    db_->transaction(true, [&](SqlTx& tx) {
      if (!readSession(tx, j.sessionId)) return;
      tx.exec(std::string("INSERT INTO jobs (") + kJobCols +
                  ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)",
              {j.id, j.sessionId, j.type, std::string(toString(j.status)), dumpJson(j.input), j.inputHash,
               j.result ? SqlValue(dumpJson(*j.result)) : SqlValue(nullptr), errorsJson(j.errors), opt(j.resultKey),
               opt(j.progress.stage), opt(j.progress.message), opt(j.progress.total), opt(j.progress.completed),
               int64_t{j.attempts}, int64_t{j.maxAttempts}, opt(j.leaseOwner), opt(j.leaseExpires), j.createdAt,
               j.updatedAt, opt(j.startedAt), opt(j.finishedAt)});
      if (payload) tx.exec("INSERT INTO job_payloads (job_id, data) VALUES ($1, $2)", {j.id, base64Encode(*payload)});
      if (!sessionValues.empty()) upsertData(tx, j.sessionId, sessionValues, j.createdAt);
      ok = true;
    });
    return ok;
  }

  std::optional<std::string> getJobPayload(const std::string& jobId) override {
    std::optional<std::string> out;
    db_->transaction(false, [&](SqlTx& tx) {
      auto rows = tx.query("SELECT data FROM job_payloads WHERE job_id = $1", {jobId});
      if (!rows.empty() && rows[0][0]) out = base64Decode(*rows[0][0]);
    });
    return out;
  }

  void putJobPayload(const std::string& jobId, const std::string& payload) override {
    db_->transaction(true, [&](SqlTx& tx) {
      tx.exec("DELETE FROM job_payloads WHERE job_id = $1", {jobId});
      tx.exec("INSERT INTO job_payloads (job_id, data) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM jobs WHERE job_id = $1)",
              {jobId, base64Encode(payload)});
    });
  }

  void deleteJobPayload(const std::string& jobId) override {
    db_->transaction(true, [&](SqlTx& tx) { tx.exec("DELETE FROM job_payloads WHERE job_id = $1", {jobId}); });
  }

  std::optional<JobRow> getJob(const std::string& id) override {
    std::optional<JobRow> out;
    db_->transaction(false, [&](SqlTx& tx) { out = readJobTx(tx, id); });
    return out;
  }

  std::vector<JobRow> listJobs(const std::string& sessionId) override {
    std::vector<JobRow> out;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query(std::string("SELECT ") + kJobCols +
                                  " FROM jobs WHERE session_id = $1 ORDER BY created_at, job_id",
                              {sessionId}))
        out.push_back(readJob(r));
    });
    return out;
  }

  std::optional<JobRow> claimJob(const std::string& owner, int64_t leaseUntil, int64_t now) override {
    std::optional<JobRow> out;
    const bool pg = db_->dialect() == SqlDialect::postgresql;
    std::string sql = std::string(
                          "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = $1, "
                          "lease_expires = $2, started_at = COALESCE(started_at, $3), updated_at = $3 "
                          "WHERE job_id = (SELECT job_id FROM jobs WHERE status = 'queued' ORDER BY created_at, job_id "
                          "LIMIT 1") +
                      (pg ? " FOR UPDATE SKIP LOCKED" : "") + ") AND status = 'queued' RETURNING " + kJobCols;
    db_->transaction(true, [&](SqlTx& tx) {
      auto rows = tx.query(sql, {owner, leaseUntil, now});
      if (!rows.empty()) out = readJob(rows[0]);
    });
    return out;
  }

  bool renewLease(const std::string& jobId, const std::string& owner, int64_t leaseUntil, int64_t now) override {
    bool ok = false;
    db_->transaction(true, [&](SqlTx& tx) {
      ok = tx.exec("UPDATE jobs SET lease_expires = $1 WHERE job_id = $2 AND status = 'running' AND lease_owner = $3",
                   {leaseUntil, jobId, owner}) == 1;
    });
    (void)now;
    return ok;
  }

  bool updateProgress(const std::string& jobId, const JobProgress& p, int64_t now) override {
    bool ok = false;
    db_->transaction(true, [&](SqlTx& tx) {
      ok = tx.exec("UPDATE jobs SET stage = COALESCE($1, stage), message = COALESCE($2, message), "
                   "total_processing = COALESCE($3, total_processing), "
                   "processing_completed = COALESCE($4, processing_completed), updated_at = $5 WHERE job_id = $6",
                   {opt(p.stage ? std::optional<std::string>(p.stage->substr(0, 50)) : std::nullopt), opt(p.message),
                    opt(p.total), opt(p.completed), now, jobId}) == 1;
    });
    return ok;
  }

  bool appendJobErrors(const std::string& jobId, const std::vector<std::string>& errors, int64_t now) override {
    bool ok = false;
    db_->transaction(true, [&](SqlTx& tx) {
      auto job = readJobTx(tx, jobId, true);
      if (!job) return;
      tx.exec("UPDATE jobs SET errors = $1, updated_at = $2 WHERE job_id = $3",
              {errorsJson(mergeErrors(job->errors, errors)), now, jobId});
      ok = true;
    });
    return ok;
  }

  bool finishJob(const std::string& jobId, const std::string& owner, const OrderedJson& result,
                 const std::vector<std::string>& errors, const std::optional<OrderedJson>& sessionValue,
                 int64_t now) override {
    bool ok = false;
    db_->transaction(true, [&](SqlTx& tx) {
      auto job = readJobTx(tx, jobId, true);
      if (!job || job->status != JobStatus::running || job->leaseOwner != owner) return;
      tx.exec("UPDATE jobs SET status = 'finished', result = $1, errors = $2, stage = 'finished', "
              "message = 'completed', finished_at = $3, updated_at = $3, lease_owner = NULL, lease_expires = NULL "
              "WHERE job_id = $4",
              {dumpJson(result), errorsJson(mergeErrors(job->errors, errors)), now, jobId});
      if (job->resultKey && sessionValue) upsertData(tx, job->sessionId, {{*job->resultKey, *sessionValue}}, now);
      ok = true;
    });
    return ok;
  }

  bool failJob(const std::string& jobId, const std::string& owner, const std::vector<std::string>& errors,
               int64_t now) override {
    bool ok = false;
    db_->transaction(true, [&](SqlTx& tx) {
      auto job = readJobTx(tx, jobId, true);
      if (!job || job->status != JobStatus::running || job->leaseOwner != owner) return;
      tx.exec("UPDATE jobs SET status = 'failed', errors = $1, finished_at = $2, updated_at = $2, lease_owner = NULL, "
              "lease_expires = NULL WHERE job_id = $3",
              {errorsJson(mergeErrors(job->errors, errors)), now, jobId});
      ok = true;
    });
    return ok;
  }

  int recoverExpiredLeases(int64_t now) override {
    int touched = 0;
    const bool pg = db_->dialect() == SqlDialect::postgresql;
    db_->transaction(true, [&](SqlTx& tx) {
      auto rows = tx.query(std::string("SELECT ") + kJobCols +
                               " FROM jobs WHERE status = 'running' AND lease_expires < $1 ORDER BY created_at" +
                               (pg ? " FOR UPDATE SKIP LOCKED" : ""),
                           {now});
      for (auto& r : rows) {
        JobRow j = readJob(r);
        if (j.attempts < j.maxAttempts) {
          auto errs = mergeErrors(j.errors, {"Attempt " + std::to_string(j.attempts) +
                                             " was interrupted (worker lease expired); job re-queued."});
          tx.exec("UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires = NULL, errors = $1, "
                  "stage = 'queue', message = 'Re-queued after an interrupted attempt', updated_at = $2 "
                  "WHERE job_id = $3 AND status = 'running'",
                  {errorsJson(errs), now, j.id});
        } else {
          auto errs = mergeErrors(
              j.errors, {"Job failed: the worker running it stopped (lease expired) on each of " +
                         std::to_string(j.attempts) + " attempts; giving up."});
          tx.exec("UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_expires = NULL, errors = $1, "
                  "finished_at = $2, updated_at = $2 WHERE job_id = $3 AND status = 'running'",
                  {errorsJson(errs), now, j.id});
        }
        ++touched;
      }
    });
    return touched;
  }

  std::optional<JobRow> findCachedJob(const std::string& type, const std::string& inputHash, int64_t since,
                                      const std::optional<std::string>& sessionId) override {
    std::optional<JobRow> out;
    db_->transaction(false, [&](SqlTx& tx) {
      std::string sql = std::string("SELECT ") + kJobCols +
                        " FROM jobs WHERE job_type = $1 AND input_hash = $2 AND status = 'finished' AND created_at >= $3";
      std::vector<SqlValue> params{type, inputHash, since};
      if (sessionId) {
        sql += " AND session_id = $4";
        params.push_back(*sessionId);
      }
      sql += " ORDER BY created_at DESC LIMIT 1";
      auto rows = tx.query(sql, params);
      if (!rows.empty()) out = readJob(rows[0]);
    });
    return out;
  }

  std::vector<JobCount> countJobs() override {
    std::vector<JobCount> out;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query("SELECT job_type, status, COUNT(*) FROM jobs GROUP BY job_type, status ORDER BY 1, 2"))
        out.push_back({*r[0], *r[1], toInt(r[2])});
    });
    return out;
  }

  std::vector<std::string> unfinishedJobIds(const std::string& sessionId,
                                            const std::vector<std::string>& types) override {
    std::vector<std::string> out;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query("SELECT job_id, job_type FROM jobs WHERE session_id = $1 AND status IN ('queued', "
                              "'running') ORDER BY created_at",
                              {sessionId}))
        if (types.empty() || std::find(types.begin(), types.end(), *r[1]) != types.end()) out.push_back(*r[0]);
    });
    return out;
  }

  void putDocument(const DocumentRow& d) override {
    db_->transaction(true, [&](SqlTx& tx) { insertDocument(tx, d); });
  }

  std::optional<DocumentRow> getDocument(const std::string& sessionId, const std::string& docId) override {
    std::optional<DocumentRow> out;
    db_->transaction(false, [&](SqlTx& tx) {
      auto rows = tx.query(std::string("SELECT ") + kDocCols + " FROM documents WHERE session_id = $1 AND doc_id = $2",
                           {sessionId, docId});
      if (!rows.empty()) out = readDoc(rows[0]);
    });
    return out;
  }

  std::vector<DocumentRow> listDocuments(const std::string& sessionId) override {
    std::vector<DocumentRow> out;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query(std::string("SELECT ") + kDocCols +
                                  " FROM documents WHERE session_id = $1 ORDER BY created_at, doc_id",
                              {sessionId}))
        out.push_back(readDoc(r));
    });
    return out;
  }

  std::string documentationFingerprint(const std::string& sessionId) override {
    std::string out = sessionId;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query("SELECT doc_id, sha256, created_at FROM documents WHERE session_id = $1 "
                              "ORDER BY created_at, doc_id",
                              {sessionId}))
        out += "|" + *r[0] + ":" + r[1].value_or("") + ":" + r[2].value_or("0");
      for (auto& r : tx.query("SELECT chunk_id FROM documentation_items WHERE session_id = $1 "
                              "ORDER BY CASE WHEN doc_id IS NULL THEN 1 ELSE 0 END, doc_id, created_at, chunk_id",
                              {sessionId}))
        out += "|" + *r[0];
    });
    return out;
  }

  void insertChunks(const std::vector<ChunkRow>& chunks) override {
    if (chunks.empty()) return;
    db_->transaction(true, [&](SqlTx& tx) {
      for (const auto& c : chunks) insertChunk(tx, c);
    });
  }

  void replaceDocumentChunks(const std::string& sessionId, const std::string& docId, const std::vector<ChunkRow>& chunks,
                             const std::optional<DocumentRow>& original, bool replaceAll) override {
    db_->transaction(true, [&](SqlTx& tx) {
      if (replaceAll) {
        tx.exec("DELETE FROM documentation_items WHERE session_id = $1", {sessionId});
        tx.exec("DELETE FROM documents WHERE session_id = $1", {sessionId});
      }
      tx.exec("DELETE FROM documentation_items WHERE session_id = $1 AND doc_id = $2", {sessionId, docId});
      tx.exec("DELETE FROM documents WHERE session_id = $1 AND doc_id = $2", {sessionId, docId});
      if (original) insertDocument(tx, *original);
      for (const auto& c : chunks) insertChunk(tx, c);
    });
  }

  std::vector<ChunkRow> listChunks(const std::string& sessionId) override {
    std::vector<ChunkRow> out;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query(std::string("SELECT ") + kChunkCols +
                                  " FROM documentation_items WHERE session_id = $1 "
                                  "ORDER BY CASE WHEN doc_id IS NULL THEN 1 ELSE 0 END, doc_id, created_at, chunk_id",
                              {sessionId}))
        out.push_back(readChunk(r));
    });
    return out;
  }

  std::vector<ChunkRow> listChunksByDoc(const std::string& sessionId, const std::string& docId) override {
    std::vector<ChunkRow> out;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query(std::string("SELECT ") + kChunkCols +
                                  " FROM documentation_items WHERE session_id = $1 AND doc_id = $2 "
                                  "ORDER BY created_at, chunk_id",
                              {sessionId, docId}))
        out.push_back(readChunk(r));
    });
    return out;
  }

  int64_t countChunksByDoc(const std::string& sessionId, const std::string& docId) override {
    int64_t n = 0;
    db_->transaction(false, [&](SqlTx& tx) {
      n = toInt(tx.query("SELECT COUNT(*) FROM documentation_items WHERE session_id = $1 AND doc_id = $2",
                         {sessionId, docId})
                    .at(0)[0]);
    });
    return n;
  }

  int64_t deleteChunksByDoc(const std::string& sessionId, const std::string& docId) override {
    int64_t n = 0;
    db_->transaction(true, [&](SqlTx& tx) {
      n = tx.exec("DELETE FROM documentation_items WHERE session_id = $1 AND doc_id = $2", {sessionId, docId});
      tx.exec("DELETE FROM documents WHERE session_id = $1 AND doc_id = $2", {sessionId, docId});
    });
    return n;
  }

  int64_t deleteAllDocumentation(const std::string& sessionId) override {
    int64_t n = 0;
    db_->transaction(true, [&](SqlTx& tx) {
      n = tx.exec("DELETE FROM documentation_items WHERE session_id = $1", {sessionId});
      tx.exec("DELETE FROM documents WHERE session_id = $1", {sessionId});
    });
    return n;
  }

  void replaceRelevance(const std::string& sessionId, const std::string& resultKey,
                        const std::vector<RelevanceRow>& rows) override {
    db_->transaction(true, [&](SqlTx& tx) {
      tx.exec("DELETE FROM relevant_chunks WHERE session_id = $1 AND result_key = $2", {sessionId, resultKey});
      std::set<std::tuple<std::string, std::string, std::string>> seen;
      for (const auto& r : rows) {
        std::string seq = dumpJson(r.sequence.is_object() ? r.sequence : OrderedJson::object());
        std::string seqHash = sha256Hex(seq);
        if (!seen.emplace(r.entityKey, r.chunkId, seqHash).second) continue;
        // Rows whose chunk no longer exists are skipped rather than failing the whole write.
        tx.exec("INSERT INTO relevant_chunks (session_id, result_key, entity_key, doc_id, chunk_id, relevant_sequence, "
                "sequence_hash, created_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM "
                "documentation_items WHERE chunk_id = $5 AND session_id = $1)",
                {sessionId, resultKey, r.entityKey, r.docId, r.chunkId, seq, seqHash, nowMicrosForStore()});
      }
    });
  }

  std::vector<RelevanceRow> listRelevance(const std::string& sessionId, const std::string& resultKey) override {
    std::vector<RelevanceRow> out;
    db_->transaction(false, [&](SqlTx& tx) {
      for (auto& r : tx.query("SELECT result_key, entity_key, doc_id, chunk_id, relevant_sequence FROM relevant_chunks "
                              "WHERE session_id = $1 AND result_key = $2 ORDER BY entity_key, id",
                              {sessionId, resultKey}))
        out.push_back({*r[0], r[1].value_or(""), *r[2], *r[3], parseJson(r[4])});
    });
    return out;
  }

 private:
  static int64_t nowMicrosForStore();

  std::optional<SessionRow> readSession(SqlTx& tx, const std::string& id) {
    auto rows = tx.query("SELECT session_id, created_at, updated_at FROM sessions WHERE session_id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return SessionRow{*rows[0][0], toInt(rows[0][1]), toInt(rows[0][2])};
  }

  std::optional<JobRow> readJobTx(SqlTx& tx, const std::string& id, bool forUpdate = false) {
    std::string sql = std::string("SELECT ") + kJobCols + " FROM jobs WHERE job_id = $1";
    if (forUpdate && db_->dialect() == SqlDialect::postgresql) sql += " FOR UPDATE";
    auto rows = tx.query(sql, {id});
    if (rows.empty()) return std::nullopt;
    return readJob(rows[0]);
  }

  bool upsertData(SqlTx& tx, const std::string& id, const std::vector<std::pair<std::string, OrderedJson>>& values, int64_t now) {
    // Bumping updated_at first also takes the session row lock, so concurrent writers serialize here.
    if (tx.exec("UPDATE sessions SET updated_at = CASE WHEN updated_at >= $1 THEN updated_at + 1 ELSE $1 END "
                "WHERE session_id = $2",
                {now, id}) != 1)
      return false;
    for (const auto& [key, value] : values) {
      tx.exec("INSERT INTO session_data (session_id, key, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) "
              "ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
              {id, key, dumpJson(value), now});
    }
    return true;
  }

  void insertDocument(SqlTx& tx, const DocumentRow& d) {
    tx.exec(std::string("INSERT INTO documents (") + kDocCols +
                ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (session_id, doc_id) DO UPDATE SET "
                "source = excluded.source, url = excluded.url, filename = excluded.filename, content_type = "
                "excluded.content_type, detected_type = excluded.detected_type, text = excluded.text, sha256 = "
                "excluded.sha256, job_id = excluded.job_id, metadata = excluded.metadata, created_at = excluded.created_at",
            {d.docId, d.sessionId, d.source, opt(d.url), opt(d.filename), d.contentType, d.detectedType, d.text, d.sha256,
             opt(d.jobId), dumpJson(d.metadata.is_object() ? d.metadata : OrderedJson::object()), d.createdAt});
  }

  void insertChunk(SqlTx& tx, const ChunkRow& c) {
    OrderedJson ids = OrderedJson::array();
    for (const auto& id : c.scrapeJobIds) ids.push_back(id);
    tx.exec(std::string("INSERT INTO documentation_items (") + kChunkCols + ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
            {c.chunkId, c.sessionId, opt(c.docId), c.source, opt(c.url), opt(c.summary), c.content,
             dumpJson(c.metadata.is_object() ? c.metadata : OrderedJson::object()), c.createdAt, dumpJson(ids)});
  }

  std::unique_ptr<SqlBackend> db_;
};

int64_t SqlStore::nowMicrosForStore() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}
}  // namespace

std::string redactDatabaseUrl(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::unique_ptr<Store> openStore(const std::string& databaseUrl, int poolSize) {
  std::string url = trim(databaseUrl);
  if (startsWith(url, "postgresql://") || startsWith(url, "postgres://")) {
    return std::make_unique<SqlStore>(openPostgresBackend(url, poolSize));
  }
  std::string path = url;
  if (path.empty()) path = "./data/connector-gen.db";
  if (startsWith(path, "sqlite:///")) path = path.substr(9);
  else if (startsWith(path, "sqlite://")) path = path.substr(9);
  else if (startsWith(path, "sqlite:")) path = path.substr(7);
  if (path.find("://") != std::string::npos)
    throw StoreError("unsupported DATABASE__URL scheme (use postgresql://… or a SQLite path): " + redactDatabaseUrl(url));
  return std::make_unique<SqlStore>(openSqliteBackend(path, poolSize));
}
}  // namespace cg

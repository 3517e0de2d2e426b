// Store: the persistence interface of connector-gen. Two real implementations share one SQL
// implementation (SqlStore) over SQLite or PostgreSQL backends (see sql_backend.h).
// Sessions own session data (one JSON value per key), jobs (with progress and lease), original
// documents, documentation chunks and relevance rows; deleting a session cascades to all of them.
// All timestamps are microseconds since the Unix epoch (UTC).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "util/json.h"

namespace cg {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// A unique or check constraint rejected a write (e.g. duplicate chunk id).
class StoreConflict : public StoreError {
 public:
  using StoreError::StoreError;
};

struct SessionRow {
  std::string id;
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct JobProgress {
  std::optional<std::string> stage;
  std::optional<std::string> message;
  std::optional<int64_t> total;      // total_processing
  std::optional<int64_t> completed;  // processing_completed
};

enum class JobStatus { queued, running, finished, failed };
const char* toString(JobStatus s);
std::optional<JobStatus> parseJobStatus(const std::string& s);

struct JobRow {
  std::string id;
  std::string sessionId;
  std::string type;
  JobStatus status = JobStatus::queued;
  OrderedJson input = OrderedJson::object();
  std::string inputHash;                 // sha256 of the canonical normalized input (cache key)
  std::optional<OrderedJson> result;
  std::vector<std::string> errors;
  std::optional<std::string> resultKey;  // session data key that receives the result
  JobProgress progress;
  int attempts = 0;
  int maxAttempts = 3;
  std::optional<std::string> leaseOwner;
  std::optional<int64_t> leaseExpires;
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
  std::optional<int64_t> startedAt;
  std::optional<int64_t> finishedAt;
};

struct DocumentRow {  // an original uploaded/scraped document, stored whole
  std::string docId;
  std::string sessionId;
  std::string source;  // upload | scraper
  std::optional<std::string> url;
  std::optional<std::string> filename;
  std::string contentType;
  std::string detectedType;
  std::string text;
  std::string sha256;
  std::optional<std::string> jobId;
  OrderedJson metadata = OrderedJson::object();
  int64_t createdAt = 0;
};

struct ChunkRow {
  std::string chunkId;
  std::string sessionId;
  std::optional<std::string> docId;
  std::string source;  // scraper | upload
  std::optional<std::string> url;
  std::optional<std::string> summary;
  std::string content;
  OrderedJson metadata = OrderedJson::object();
  int64_t createdAt = 0;
  std::vector<std::string> scrapeJobIds;
};

struct RelevanceRow {
  std::string resultKey;
  std::string entityKey;  // "" for job-level rows
  std::string docId;
  std::string chunkId;
  OrderedJson sequence = OrderedJson::object();  // {} or {"startSequence","endSequence"}
};

struct JobCount {
  std::string type;
  std::string status;
  int64_t count = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual std::string backendName() const = 0;  // "sqlite" | "postgresql"
  virtual void migrate() = 0;                   // applies pending versioned migrations
  virtual int schemaVersion() = 0;
  virtual bool ping() = 0;

  // Sessions. createSession returns false when the id exists.
  virtual bool createSession(const std::string& id, int64_t now) = 0;
  virtual std::optional<SessionRow> getSession(const std::string& id) = 0;
  virtual bool deleteSession(const std::string& id) = 0;
  // Whole data map (key → value), keys ordered by name.
  virtual std::map<std::string, OrderedJson> getSessionData(const std::string& id) = 0;
  // The session row and its whole data map read with one statement (one consistent snapshot).
  virtual std::optional<std::pair<SessionRow, std::map<std::string, OrderedJson>>> getSessionWithData(const std::string& id) = 0;
  virtual std::optional<OrderedJson> getSessionValue(const std::string& id, const std::string& key) = 0;
  // Top-level upsert of each key; bumps the session's updatedAt. False when the session is missing.
  virtual bool putSessionData(const std::string& id, const std::vector<std::pair<std::string, OrderedJson>>& values,
                              int64_t now) = 0;

  // Jobs. createJob also writes `sessionValues` (e.g. the job-id and input keys) in the same
  // transaction; false when the session is missing.
  virtual bool createJob(const JobRow& job, const std::vector<std::pair<std::string, OrderedJson>>& sessionValues,
                         const std::optional<std::string>& payload = std::nullopt) = 0;
  // The job's binary payload (e.g. uploaded bytes) stored by createJob; removed with the job.
  virtual std::optional<std::string> getJobPayload(const std::string& jobId) = 0;
  virtual void deleteJobPayload(const std::string& jobId) = 0;
  // Stores (or replaces) a job's payload after creation, e.g. a generated archive.
  virtual void putJobPayload(const std::string& jobId, const std::string& payload) = 0;
  virtual std::optional<JobRow> getJob(const std::string& id) = 0;
  virtual std::vector<JobRow> listJobs(const std::string& sessionId) = 0;  // oldest first
  // Atomically claims the oldest queued job for `owner` until `leaseUntil`; increments attempts.
  virtual std::optional<JobRow> claimJob(const std::string& owner, int64_t leaseUntil, int64_t now) = 0;
  // Extends the lease; false when the job is no longer running under `owner` (finished, re-queued, deleted).
  virtual bool renewLease(const std::string& jobId, const std::string& owner, int64_t leaseUntil, int64_t now) = 0;
  virtual bool updateProgress(const std::string& jobId, const JobProgress& progress, int64_t now) = 0;
  virtual bool appendJobErrors(const std::string& jobId, const std::vector<std::string>& errors, int64_t now) = 0;
  // Compare-and-set completion: only a job still running under `owner` is finished; when the job has
  // a resultKey, `sessionValue` is written to that session key in the same transaction.
  virtual bool finishJob(const std::string& jobId, const std::string& owner, const OrderedJson& result,
                         const std::vector<std::string>& errors, const std::optional<OrderedJson>& sessionValue,
                         int64_t now) = 0;
  virtual bool failJob(const std::string& jobId, const std::string& owner, const std::vector<std::string>& errors,
                       int64_t now) = 0;
  // Jobs running with an expired lease: re-queued while attempts < maxAttempts, else failed with a
  // clear error. Returns the number of jobs touched.
  virtual int recoverExpiredLeases(int64_t now) = 0;
  // Latest finished job of `type` with the same input hash created at or after `since`.
  virtual std::optional<JobRow> findCachedJob(const std::string& type, const std::string& inputHash, int64_t since,
                                              const std::optional<std::string>& sessionId) = 0;
  virtual std::vector<JobCount> countJobs() = 0;
  virtual std::vector<std::string> unfinishedJobIds(const std::string& sessionId,
                                                    const std::vector<std::string>& types) = 0;

  // Original documents (whole normalized text per docId).
  virtual void putDocument(const DocumentRow& doc) = 0;
  virtual std::optional<DocumentRow> getDocument(const std::string& sessionId, const std::string& docId) = 0;
  virtual std::vector<DocumentRow> listDocuments(const std::string& sessionId) = 0;
  // A cheap identity of the session's documentation (document ids, hashes and times, chunk ids; no
  // text), in the order listDocuments/listChunks return them: equal strings mean equal documentation.
  virtual std::string documentationFingerprint(const std::string& sessionId) = 0;

  // Documentation chunks. insertChunks is atomic; a duplicate chunk id throws StoreConflict.
  // replaceDocument deletes the document's chunks (and its original) and inserts the new ones atomically.
  virtual void insertChunks(const std::vector<ChunkRow>& chunks) = 0;
  // With `replaceAllDocumentation`, every other document and chunk of the session is removed in
  // the same transaction (replace-all uploads).
  virtual void replaceDocumentChunks(const std::string& sessionId, const std::string& docId,
                                     const std::vector<ChunkRow>& chunks, const std::optional<DocumentRow>& original,
                                     bool replaceAllDocumentation = false) = 0;
  // Ordered by docId (nulls last), createdAt, chunkId.
  virtual std::vector<ChunkRow> listChunks(const std::string& sessionId) = 0;
  virtual std::vector<ChunkRow> listChunksByDoc(const std::string& sessionId, const std::string& docId) = 0;
  virtual int64_t countChunksByDoc(const std::string& sessionId, const std::string& docId) = 0;
  virtual int64_t deleteChunksByDoc(const std::string& sessionId, const std::string& docId) = 0;
  virtual int64_t deleteAllDocumentation(const std::string& sessionId) = 0;

  // Relevance rows; replaceRelevance clears every row of (session, resultKey) first.
  virtual void replaceRelevance(const std::string& sessionId, const std::string& resultKey,
                                const std::vector<RelevanceRow>& rows) = 0;
  virtual std::vector<RelevanceRow> listRelevance(const std::string& sessionId, const std::string& resultKey) = 0;
};

// Opens the store for a database URL: empty → SQLite file ./data/connector-gen.db; `sqlite://<path>`,
// `sqlite:<path>` or a plain path → SQLite; `postgresql://…`/`postgres://…` → PostgreSQL.
// `poolSize` bounds the number of connections.
std::unique_ptr<Store> openStore(const std::string& databaseUrl, int poolSize = 8);
// Redacts the password of a database URL for logs.
std::string redactDatabaseUrl(const std::string& url);
}  // namespace cg

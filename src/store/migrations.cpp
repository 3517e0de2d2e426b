#include "store/migrations.h"

namespace cg {
const std::vector<Migration>& allMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "initial schema", R"SQL(
CREATE TABLE sessions (
  session_id TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_sessions_updated_at ON sessions(updated_at);

CREATE TABLE session_data (
  session_id TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) <= 255),
  value {JSON} NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (session_id, key)
);

CREATE TABLE jobs (
  job_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
  job_type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'failed')),
  input {JSON} NOT NULL,
  input_hash TEXT NOT NULL,
  result {JSON},
  errors {JSON} NOT NULL,
  result_key TEXT,
  stage TEXT,
  message TEXT,
  total_processing BIGINT,
  processing_completed BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  lease_owner TEXT,
  lease_expires BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT
);
CREATE INDEX idx_jobs_session_created ON jobs(session_id, created_at);
CREATE INDEX idx_jobs_claim ON jobs(status, created_at);
CREATE INDEX idx_jobs_cache ON jobs(job_type, input_hash, created_at);

CREATE TABLE documents (
  session_id TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
  doc_id TEXT NOT NULL,
  source TEXT NOT NULL,
  url TEXT,
  filename TEXT,
  content_type TEXT NOT NULL,
  detected_type TEXT NOT NULL,
  text TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  job_id TEXT,
  metadata {JSON} NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (session_id, doc_id)
);

CREATE TABLE documentation_items (
  chunk_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
  doc_id TEXT,
  source TEXT NOT NULL CHECK (source IN ('scraper', 'upload')),
  url TEXT,
  summary TEXT,
  content TEXT NOT NULL,
  metadata {JSON} NOT NULL,
  created_at BIGINT NOT NULL,
  scrape_job_ids {JSON} NOT NULL
);
CREATE INDEX idx_doc_items_session_doc ON documentation_items(session_id, doc_id, created_at);

CREATE TABLE relevant_chunks (
  id {SERIAL_PK},
  session_id TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
  result_key TEXT NOT NULL,
  entity_key TEXT NOT NULL DEFAULT '',
  doc_id TEXT NOT NULL,
  chunk_id TEXT NOT NULL REFERENCES documentation_items(chunk_id) ON DELETE CASCADE,
  relevant_sequence {JSON} NOT NULL,
  sequence_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (session_id, result_key, entity_key, chunk_id, sequence_hash)
);
CREATE INDEX idx_relevant_chunks_result ON relevant_chunks(session_id, result_key);
CREATE INDEX idx_relevant_chunks_chunk ON relevant_chunks(chunk_id);
)SQL"},
      {2, "job payloads", R"SQL(
CREATE TABLE job_payloads (
  job_id TEXT PRIMARY KEY REFERENCES jobs(job_id) ON DELETE CASCADE,
  data TEXT NOT NULL
);
)SQL"},
  };
  return migrations;
}

std::string renderMigration(const std::string& sql, SqlDialect dialect) {
  std::string out = sql;
  auto replaceAll = [&](const std::string& from, const std::string& to) {
    for (size_t pos = 0; (pos = out.find(from, pos)) != std::string::npos; pos += to.size()) out.replace(pos, from.size(), to);
  };
  // PostgreSQL `json` keeps the exact text (key order) that the API returns; SQLite stores text.
  replaceAll("{JSON}", dialect == SqlDialect::postgresql ? "JSON" : "TEXT");
  replaceAll("{SERIAL_PK}", dialect == SqlDialect::postgresql ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  return out;
}
}  // namespace cg

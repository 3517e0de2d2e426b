#include "jobs/status.h"

#include "util/api_error.h"
#include "util/time.h"

namespace cg {
namespace {
OrderedJson ts(const std::optional<int64_t>& v) { return v ? OrderedJson(formatTimestamp(*v)) : OrderedJson(nullptr); }
OrderedJson optInt(const std::optional<int64_t>& v) { return v ? OrderedJson(*v) : OrderedJson(nullptr); }
OrderedJson optStr(const std::optional<std::string>& v) { return v ? OrderedJson(*v) : OrderedJson(nullptr); }
}  // namespace

OrderedJson buildJobStatus(const JobRow& job, StatusEnvelope env) {
  const bool keepNulls = env == StatusEnvelope::multiDoc;
  OrderedJson out = OrderedJson::object();
  out["jobId"] = job.id;
  out["status"] = toString(job.status);
  out["createdAt"] = formatTimestamp(job.createdAt);
  if (job.startedAt || keepNulls) out["startedAt"] = ts(job.startedAt);
  out["updatedAt"] = formatTimestamp(job.updatedAt);
  bool hasResult = job.status == JobStatus::finished && job.result && !job.result->is_null() &&
                   !(job.result->is_object() && job.result->empty());
  if (hasResult)
    out["result"] = OrderedJson::parse(job.result->dump());
  else if (keepNulls)
    out["result"] = nullptr;
  if (!job.errors.empty())
    out["errors"] = job.errors;
  else if (keepNulls)
    out["errors"] = nullptr;
  OrderedJson p = OrderedJson::object();
  auto put = [&](const char* k, OrderedJson v) {
    if (!v.is_null() || keepNulls) p[k] = std::move(v);
  };
  put("stage", optStr(job.progress.stage));
  put("message", optStr(job.progress.message));
  if (env == StatusEnvelope::iteration) {
    put("completedIterations", optInt(job.progress.completed));
    put("totalIterations", optInt(job.progress.total));
  } else if (env == StatusEnvelope::multiDoc) {
    put("processedDocuments", optInt(job.progress.completed));
    put("totalDocuments", optInt(job.progress.total));
  }
  out["progress"] = std::move(p);
  return out;
}

OrderedJson notFoundJobStatus(const std::string& jobId, StatusEnvelope env) {
  OrderedJson out = {{"jobId", jobId}, {"status", "not_found"}};
  if (env == StatusEnvelope::multiDoc) {
    out["createdAt"] = nullptr;
    out["startedAt"] = nullptr;
    out["updatedAt"] = nullptr;
    out["result"] = nullptr;
    out["errors"] = nullptr;
    out["progress"] = nullptr;
  }
  return out;
}

OrderedJson jobListItem(const JobRow& job) {
  OrderedJson out = OrderedJson::object();
  out["jobId"] = job.id;
  out["type"] = job.type;
  out["status"] = toString(job.status);
  out["createdAt"] = formatTimestamp(job.createdAt);
  out["updatedAt"] = formatTimestamp(job.updatedAt);
  if (job.startedAt) out["startedAt"] = formatTimestamp(*job.startedAt);
  if (job.finishedAt) out["finishedAt"] = formatTimestamp(*job.finishedAt);
  return out;
}

void requireSession(Store& store, const std::string& sessionId) {
  if (!store.getSession(sessionId)) throw ApiError(404, "Session " + sessionId + " not found");
}

OrderedJson resolveJobStatus(Store& store, const std::string& sessionId, const std::optional<std::string>& queryJobId,
                             const std::string& sessionKey, const std::string& missingMessage, StatusEnvelope env) {
  requireSession(store, sessionId);
  std::string jobId;
  if (queryJobId) {
    jobId = *queryJobId;
  } else {
    auto stored = store.getSessionValue(sessionId, sessionKey);
    if (!stored || !stored->is_string()) throw ApiError(404, missingMessage);
    jobId = stored->get<std::string>();
  }
  auto job = store.getJob(jobId);
  if (!job || job->sessionId != sessionId) return notFoundJobStatus(jobId, env);
  return buildJobStatus(*job, env);
}
}  // namespace cg

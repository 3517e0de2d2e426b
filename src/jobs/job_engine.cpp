#include "jobs/job_engine.h"

#include <chrono>
#include <unistd.h>

#include "util/log.h"
#include "util/strings.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {

void JobContext::progress(const std::optional<std::string>& stage, const std::optional<std::string>& message,
                          std::optional<int64_t> total, std::optional<int64_t> completed) {
  JobProgress p{stage, message, total, completed};
  try {
    store_.updateProgress(job_.id, p, nowMicros());
  } catch (const std::exception& e) {
    log::warn("progress update failed", {{"jobId", job_.id}, {"error", e.what()}});
  }
}

void JobContext::addError(const std::string& message) {
  try {
    store_.appendJobErrors(job_.id, {message}, nowMicros());
  } catch (const std::exception& e) {
    log::warn("appending a job error failed", {{"jobId", job_.id}, {"error", e.what()}});
  }
}

void JobContext::checkCancelled() const {
  if (cancelled_->load()) throw JobCancelled("job " + job_.id + " was cancelled");
}

void JobRegistry::add(const std::string& type, JobHandler handler) { handlers_[type] = std::move(handler); }
const JobHandler* JobRegistry::find(const std::string& type) const {
  auto it = handlers_.find(type);
  return it == handlers_.end() ? nullptr : &it->second;
}
std::vector<std::string> JobRegistry::types() const {
  std::vector<std::string> out;
  for (auto& [k, _] : handlers_) out.push_back(k);
  return out;
}

namespace {
// Sorted keys (Json is map-based) so that key order does not change the hash.
Json normalizeForHash(const OrderedJson& v) {
  static const char* dropped[] = {"sessionId", "session_id", "doc_id", "docId", "skipCache", "relevantDocumentations",
                                  "chunkId", "chunk_id", "scrapeJobIds"};
  if (v.is_object()) {
    Json out = Json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      bool drop = false;
      for (const char* d : dropped) drop = drop || it.key() == d;
      if (!drop) out[it.key()] = normalizeForHash(it.value());
    }
    return out;
  }
  if (v.is_array()) {
    Json out = Json::array();
    for (auto& e : v) out.push_back(normalizeForHash(e));
    return out;
  }
  return Json(v);
}
}  // namespace

std::string jobInputHash(const std::string& type, const OrderedJson& input) {
  return sha256Hex(type + "\n" + dumpJson(normalizeForHash(input)));
}

std::optional<std::string> enqueueJob(Store& store, const NewJob& nj) {
  JobRow j;
  j.id = newUuid();
  j.sessionId = nj.sessionId;
  j.type = nj.type;
  j.input = nj.input;
  j.inputHash = jobInputHash(nj.type, nj.input);
  j.resultKey = nj.resultKey;
  j.progress = nj.initialProgress;
  j.maxAttempts = nj.maxAttempts;
  j.createdAt = j.updatedAt = nowMicros();
  auto values = nj.sessionValues;
  if (nj.jobIdKey) values.emplace_back(*nj.jobIdKey, j.id);
  if (!store.createJob(j, values, nj.payload)) return std::nullopt;
  return j.id;
}

WorkerPool::WorkerPool(Store& store, const JobRegistry& registry, WorkerPoolOptions options)
    : store_(store), registry_(registry), opts_(std::move(options)) {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  owner_ = opts_.ownerPrefix + "@" + host + ":" + std::to_string(getpid()) + ":" + newUuid().substr(0, 8);
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::start() {
  stopping_ = false;
  for (int i = 0; i < std::max(1, opts_.threads); ++i) threads_.emplace_back([this, i] { workerLoop(i); });
  maintenance_ = std::thread([this] { maintenanceLoop(); });
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty() && !maintenance_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  maintCv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  if (maintenance_.joinable()) maintenance_.join();
}

void WorkerPool::notify() {
  {
    std::lock_guard lock(mu_);
    ++wakeups_;
  }
  cv_.notify_one();
}

WorkerPoolStats WorkerPool::stats() const {
  return {static_cast<int>(std::max(1, opts_.threads)), busy_.load(), finished_.load(), failed_.load()};
}

void WorkerPool::workerLoop(int index) {
  const std::string owner = owner_ + "/" + std::to_string(index);
  while (!stopping_) {
    std::optional<JobRow> job;
    try {
      int64_t now = nowMicros();
      job = store_.claimJob(owner, now + opts_.leaseMicros, now);
    } catch (const std::exception& e) {
      log::error("claiming a job failed", {{"error", e.what()}});
    }
    if (job) {
      runJob(*job, owner);
      continue;
    }
    std::unique_lock lock(mu_);
    uint64_t seen = wakeups_;
    cv_.wait_for(lock, std::chrono::microseconds(opts_.pollMicros), [&] { return stopping_ || wakeups_ != seen; });
  }
}

void WorkerPool::runJob(const JobRow& job, const std::string& owner) {
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard lock(mu_);
    running_[job.id] = {owner, cancelled};
  }
  ++busy_;
  int64_t started = nowMicros();
  std::string outcome;
  try {
    const JobHandler* handler = registry_.find(job.type);
    if (!handler) throw JobFailure("No handler is registered for job type '" + job.type + "'.");
    JobContext ctx(store_, job, cancelled);
    JobOutcome out = (*handler)(ctx);
    if (cancelled->load()) throw JobCancelled("job was cancelled");
    std::optional<OrderedJson> sessionValue = out.sessionValue ? out.sessionValue : std::optional<OrderedJson>(out.result);
    if (store_.finishJob(job.id, owner, out.result, out.errors, sessionValue, nowMicros())) {
      ++finished_;
      outcome = "finished";
    } else {
      outcome = "superseded";
    }
  } catch (const JobCancelled&) {
    outcome = "cancelled";
  } catch (const std::exception& e) {
    std::vector<std::string> lines;
    for (auto& l : split(e.what(), '\n', true))
      if (!trim(l).empty()) lines.push_back(trim(l));
    if (lines.empty()) lines.push_back("Job failed without an error message.");
    try {
      if (store_.failJob(job.id, owner, lines, nowMicros())) ++failed_;
    } catch (const std::exception& e2) {
      log::error("recording a job failure failed", {{"jobId", job.id}, {"error", e2.what()}});
    }
    outcome = "failed";
  }
  --busy_;
  {
    std::lock_guard lock(mu_);
    running_.erase(job.id);
  }
  maintCv_.notify_all();
  log::info("job done", {{"jobId", job.id},
                         {"type", job.type},
                         {"sessionId", job.sessionId},
                         {"outcome", outcome},
                         {"attempt", job.attempts},
                         {"durationMs", static_cast<double>(nowMicros() - started) / 1000.0}});
}

void WorkerPool::maintenanceLoop() {
  int64_t lastRecovery = 0;
  const int64_t renewEvery = std::max<int64_t>(opts_.leaseMicros / 3, 10'000);
  while (true) {
    {
      std::unique_lock lock(mu_);
      maintCv_.wait_for(lock, std::chrono::microseconds(std::min(renewEvery, opts_.pollMicros * 5)),
                   [&] { return stopping_.load() && running_.empty(); });
      if (stopping_ && running_.empty()) return;
    }
    std::vector<std::tuple<std::string, std::string, std::shared_ptr<std::atomic<bool>>>> snapshot;
    {
      std::lock_guard lock(mu_);
      for (auto& [id, v] : running_) snapshot.emplace_back(id, v.first, v.second);
    }
    int64_t now = nowMicros();
    for (auto& [id, owner, flag] : snapshot) {
      try {
        if (!store_.renewLease(id, owner, now + opts_.leaseMicros, now)) flag->store(true);  // deleted or taken over
      } catch (const std::exception& e) {
        log::warn("lease renewal failed", {{"jobId", id}, {"error", e.what()}});
      }
    }
    if (now - lastRecovery >= opts_.recoveryMicros) {
      lastRecovery = now;
      try {
        if (int n = store_.recoverExpiredLeases(now)) {
          log::warn("recovered jobs with expired leases", {{"count", n}});
          cv_.notify_all();
        }
      } catch (const std::exception& e) {
        log::warn("lease recovery failed", {{"error", e.what()}});
      }
    }
  }
}
}  // namespace cg

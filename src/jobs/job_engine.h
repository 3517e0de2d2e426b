// Durable job engine. Jobs are rows in the Store; a WorkerPool (in `serve` or `worker` processes,
// any number of them sharing one database) claims queued jobs with a lease, runs the handler
// registered for the job type, renews the lease while it runs, records progress, and finishes or
// fails the job with compare-and-set writes. A finished job's session value is written to the
// job's resultKey in the same transaction. Jobs of a crashed process are re-queued when their lease
// expires, a bounded number of times, then failed with a clear error.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "util/json.h"

namespace cg {

// Thrown by a handler to fail its job with these error lines (no stack trace, no "internal").
class JobFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Thrown inside a handler (by JobContext::checkCancelled) when its job was deleted or taken over.
class JobCancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JobContext {
 public:
  JobContext(Store& store, JobRow job, std::shared_ptr<std::atomic<bool>> cancelled)
      : store_(store), job_(std::move(job)), cancelled_(std::move(cancelled)) {}
  const JobRow& job() const { return job_; }
  const OrderedJson& input() const { return job_.input; }
  Store& store() { return store_; }
  void progress(const std::optional<std::string>& stage, const std::optional<std::string>& message,
                std::optional<int64_t> total = std::nullopt, std::optional<int64_t> completed = std::nullopt);
  // Non-fatal problem: recorded in the job's `errors` without failing it.
  void addError(const std::string& message);
  bool cancelled() const { return cancelled_->load(); }
  void checkCancelled() const;

 private:
  Store& store_;
  JobRow job_;
  std::shared_ptr<std::atomic<bool>> cancelled_;
};

struct JobOutcome {
  OrderedJson result = OrderedJson::object();            // stored as the job's result
  std::optional<OrderedJson> sessionValue;        // written to the job's resultKey (defaults to result)
  std::vector<std::string> errors;         // non-fatal errors
};

using JobHandler = std::function<JobOutcome(JobContext&)>;

class JobRegistry {
 public:
  void add(const std::string& type, JobHandler handler);
  const JobHandler* find(const std::string& type) const;
  std::vector<std::string> types() const;

 private:
  std::map<std::string, JobHandler> handlers_;
};

struct NewJob {
  std::string sessionId;
  std::string type;
  OrderedJson input = OrderedJson::object();
  std::optional<std::string> resultKey;
  JobProgress initialProgress;
  std::vector<std::pair<std::string, OrderedJson>> sessionValues;  // written with the job (e.g. *Input)
  std::optional<std::string> jobIdKey;  // session key that receives the new job's id (e.g. "discoveryJobId")
  std::optional<std::string> payload;   // binary input kept beside the job (e.g. uploaded bytes)
  int maxAttempts = 3;
};

// Canonical hash of a job input for result caching: keys sorted, ids that differ per session removed.
std::string jobInputHash(const std::string& type, const OrderedJson& input);

// Creates a job row, its session keys (sessionValues plus jobIdKey → the new id) and its payload in
// one transaction; returns the job id, or nullopt when the session does not exist.
std::optional<std::string> enqueueJob(Store& store, const NewJob& job);

struct WorkerPoolOptions {
  int threads = 2;
  int64_t leaseMicros = 30'000'000;      // a job whose lease is not renewed for this long is re-queued
  int64_t pollMicros = 200'000;          // idle poll interval for work from other processes
  int64_t recoveryMicros = 5'000'000;    // how often expired leases are recovered
  std::string ownerPrefix = "worker";
};

struct WorkerPoolStats {
  int threads = 0;
  int busy = 0;
  uint64_t finished = 0;
  uint64_t failed = 0;
};

class WorkerPool {
 public:
  WorkerPool(Store& store, const JobRegistry& registry, WorkerPoolOptions options);
  ~WorkerPool();
  void start();
  // Stops claiming, lets running handlers finish (their jobs complete normally), joins threads.
  void stop();
  // Wakes idle workers (a job was just enqueued in this process).
  void notify();
  WorkerPoolStats stats() const;
  const std::string& ownerId() const { return owner_; }

 private:
  void workerLoop(int index);
  void maintenanceLoop();
  void runJob(const JobRow& job, const std::string& owner);

  Store& store_;
  const JobRegistry& registry_;
  WorkerPoolOptions opts_;
  std::string owner_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> busy_{0};
  std::atomic<uint64_t> finished_{0}, failed_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;       // wakes workers
  std::condition_variable maintCv_;  // wakes the lease/maintenance thread
  uint64_t wakeups_ = 0;
  std::vector<std::thread> threads_;
  std::thread maintenance_;
  // Running jobs of this pool → (owner, cancel flag), for lease renewal.
  std::map<std::string, std::pair<std::string, std::shared_ptr<std::atomic<bool>>>> running_;
};
}  // namespace cg

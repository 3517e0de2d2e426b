#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "../store/test_databases.h"
#include "jobs/job_engine.h"
#include "jobs/status.h"
#include "util/api_error.h"
#include "util/time.h"

using namespace cg;
using namespace std::chrono_literals;

namespace {
bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 10s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}
}  // namespace

class JobEngine : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    CG_DATABASE_URL_OR_SKIP(GetParam(), url_);
    store_ = openStore(url_, 6);
    store_->migrate();
    session_ = newUuid();
    store_->createSession(session_, nowMicros());
  }
  WorkerPoolOptions fastOptions(int threads = 2) {
    WorkerPoolOptions o;
    o.threads = threads;
    o.leaseMicros = 1'000'000;
    o.pollMicros = 20'000;
    o.recoveryMicros = 100'000;
    return o;
  }
  std::string url_, session_;
  std::unique_ptr<Store> store_;
};

TEST_P(JobEngine, RunsHandlerReportsProgressAndWritesResultKey) {
  JobRegistry reg;
  reg.add("test.echo", [](JobContext& ctx) {
    ctx.progress("processing", "Working", 2, 1);
    ctx.addError("minor issue");
    JobOutcome out;
    out.result = {{"echo", ctx.input()["value"]}};
    out.sessionValue = OrderedJson{{"stored", ctx.input()["value"]}};
    return out;
  });
  WorkerPool pool(*store_, reg, fastOptions());
  pool.start();
  NewJob nj{session_, "test.echo", {{"value", 42}}, "echoOutput", {"queue", "Queued", std::nullopt, std::nullopt},
            {{"echoJobId", "placeholder"}}};
  auto id = enqueueJob(*store_, nj);
  ASSERT_TRUE(id);
  pool.notify();
  ASSERT_TRUE(waitFor([&] { return store_->getJob(*id)->status == JobStatus::finished; }));
  auto job = store_->getJob(*id).value();
  EXPECT_EQ(job.result.value(), OrderedJson({{"echo", 42}}));
  EXPECT_EQ(job.errors, std::vector<std::string>{"minor issue"});
  EXPECT_EQ(job.progress.total.value(), 2);
  EXPECT_EQ(store_->getSessionValue(session_, "echoOutput").value(), OrderedJson({{"stored", 42}}));
  pool.stop();
  EXPECT_EQ(pool.stats().finished, 1u);
}

TEST_P(JobEngine, FailuresAreRecordedLineByLine) {
  JobRegistry reg;
  reg.add("test.fail", [](JobContext&) -> JobOutcome { throw JobFailure("422: bad input\n\nsecond line"); });
  WorkerPool pool(*store_, reg, fastOptions(1));
  pool.start();
  auto id = enqueueJob(*store_, {session_, "test.fail"});
  auto unknown = enqueueJob(*store_, {session_, "test.unregistered"});
  ASSERT_TRUE(waitFor([&] {
    return store_->getJob(*id)->status == JobStatus::failed && store_->getJob(*unknown)->status == JobStatus::failed;
  }));
  EXPECT_EQ(store_->getJob(*id)->errors, (std::vector<std::string>{"422: bad input", "second line"}));
  EXPECT_NE(store_->getJob(*unknown)->errors.at(0).find("No handler"), std::string::npos);
}

TEST_P(JobEngine, DeletingTheSessionCancelsRunningJob) {
  std::atomic<bool> sawCancel{false};
  std::atomic<bool> started{false};
  JobRegistry reg;
  reg.add("test.long", [&](JobContext& ctx) -> JobOutcome {
    started = true;
    for (int i = 0; i < 500; ++i) {
      if (ctx.cancelled()) {
        sawCancel = true;
        ctx.checkCancelled();
      }
      std::this_thread::sleep_for(10ms);
    }
    return {};
  });
  auto opts = fastOptions(1);
  opts.leaseMicros = 150'000;
  WorkerPool pool(*store_, reg, opts);
  pool.start();
  auto id = enqueueJob(*store_, {session_, "test.long"});
  ASSERT_TRUE(waitFor([&] { return started.load(); }));
  store_->deleteSession(session_);
  EXPECT_TRUE(waitFor([&] { return sawCancel.load(); }));
  EXPECT_FALSE(store_->getJob(*id));
}

TEST_P(JobEngine, JobOfACrashedWorkerIsRecoveredAndRun) {
  auto id = enqueueJob(*store_, {session_, "test.ok"});
  // A "crashed" process claimed it and never renewed its lease.
  ASSERT_TRUE(store_->claimJob("crashed-worker", nowMicros() + 50'000, nowMicros()));
  JobRegistry reg;
  reg.add("test.ok", [](JobContext& ctx) {
    JobOutcome o;
    o.result = {{"attempt", ctx.job().attempts}};
    return o;
  });
  WorkerPool pool(*store_, reg, fastOptions(1));
  pool.start();
  ASSERT_TRUE(waitFor([&] { return store_->getJob(*id)->status == JobStatus::finished; }));
  auto job = store_->getJob(*id).value();
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(job.result.value()["attempt"], 2);
  EXPECT_NE(job.errors.at(0).find("re-queued"), std::string::npos);
}

TEST_P(JobEngine, TwoPoolsOnOneDatabaseRunEachJobExactlyOnce) {
  std::mutex mu;
  std::multiset<std::string> runs;
  JobRegistry reg;
  reg.add("test.count", [&](JobContext& ctx) {
    std::lock_guard lock(mu);
    runs.insert(ctx.job().id);
    return JobOutcome{};
  });
  for (int i = 0; i < 200; ++i) enqueueJob(*store_, {session_, "test.count"});
  auto other = openStore(url_, 4);
  WorkerPool a(*store_, reg, fastOptions(2)), b(*other, reg, fastOptions(2));
  a.start();
  b.start();
  ASSERT_TRUE(waitFor([&] {
    std::lock_guard lock(mu);
    return runs.size() >= 200;
  }, 60s));
  a.stop();
  b.stop();
  EXPECT_EQ(runs.size(), 200u);
  EXPECT_EQ(std::set<std::string>(runs.begin(), runs.end()).size(), 200u);
  for (auto& j : store_->listJobs(session_)) EXPECT_EQ(j.status, JobStatus::finished);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobEngine, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(JobStatusEnvelopes, ShapesFollowTheContract) {
  JobRow j;
  j.id = "11111111-1111-1111-1111-111111111111";
  j.status = JobStatus::running;
  j.createdAt = 0;
  j.updatedAt = 1'000'000;
  j.startedAt = 500'000;
  j.progress = {"processing_chunks", "Processing chunks", 9, 3};
  auto multi = buildJobStatus(j, StatusEnvelope::multiDoc);
  EXPECT_EQ(multi.dump(),
            R"({"jobId":"11111111-1111-1111-1111-111111111111","status":"running","createdAt":"1970-01-01T00:00:00Z",)"
            R"("startedAt":"1970-01-01T00:00:00.500000Z","updatedAt":"1970-01-01T00:00:01Z","result":null,"errors":null,)"
            R"("progress":{"stage":"processing_chunks","message":"Processing chunks","processedDocuments":3,"totalDocuments":9}})");
  auto stage = buildJobStatus(j, StatusEnvelope::stage);
  EXPECT_FALSE(stage.contains("result"));
  EXPECT_EQ(stage["progress"].dump(), R"({"stage":"processing_chunks","message":"Processing chunks"})");
  auto iter = buildJobStatus(j, StatusEnvelope::iteration);
  EXPECT_EQ(iter["progress"]["completedIterations"], 3);
  EXPECT_EQ(iter["progress"]["totalIterations"], 9);
  j.status = JobStatus::finished;
  j.result = OrderedJson{{"code", "x"}};
  j.errors = {"warn"};
  auto fin = buildJobStatus(j, StatusEnvelope::stage);
  EXPECT_EQ(fin["result"]["code"], "x");
  EXPECT_EQ(fin["errors"][0], "warn");
  EXPECT_EQ(notFoundJobStatus("abc", StatusEnvelope::stage).dump(), R"({"jobId":"abc","status":"not_found"})");
}

TEST(JobStatusEnvelopes, ResolveOnlyReportsJobsOfTheSession) {
  auto store = openStore(test::freshSqlitePath(), 2);
  store->migrate();
  auto s1 = newUuid(), s2 = newUuid();
  store->createSession(s1, 1);
  store->createSession(s2, 1);
  auto j1 = enqueueJob(*store, {s1, "t", OrderedJson::object(), std::nullopt, {}, {{"tJobId", ""}}});
  store->putSessionData(s1, {{"tJobId", *j1}}, 2);
  EXPECT_EQ(resolveJobStatus(*store, s1, std::nullopt, "tJobId", "none", StatusEnvelope::stage)["status"], "queued");
  EXPECT_EQ(resolveJobStatus(*store, s2, *j1, "tJobId", "none", StatusEnvelope::stage)["status"], "not_found");
  try {
    resolveJobStatus(*store, s2, std::nullopt, "tJobId", "No job yet", StatusEnvelope::stage);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.detail(), "No job yet");
  }
  try {
    resolveJobStatus(*store, newUuid(), std::nullopt, "tJobId", "x", StatusEnvelope::stage);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 404);
  }
}

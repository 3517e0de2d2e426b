// Storage conformance suite: the same behaviour is required from SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store/store.h"
#include "test_databases.h"
#include "util/time.h"
#include "util/uuid.h"

using namespace cg;

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    CG_DATABASE_URL_OR_SKIP(GetParam(), url_);
    store_ = openStore(url_, 4);
    store_->migrate();
  }
  JobRow newJob(const std::string& session, const std::string& type = "test.job", int64_t created = 0) {
    JobRow j;
    j.id = newUuid();
    j.sessionId = session;
    j.type = type;
    j.input = {{"x", 1}};
    j.inputHash = "h";
    j.createdAt = j.updatedAt = created ? created : nowMicros();
    return j;
  }
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, MigrationsAreVersionedAndIdempotent) {
  EXPECT_GE(store_->schemaVersion(), 1);
  store_->migrate();
  EXPECT_GE(store_->schemaVersion(), 1);
  auto again = openStore(url_, 1);
  again->migrate();
  EXPECT_TRUE(again->ping());
}

TEST_P(StoreConformance, SessionLifecycle) {
  auto id = newUuid();
  EXPECT_FALSE(store_->getSession(id));
  EXPECT_TRUE(store_->createSession(id, 1000));
  EXPECT_FALSE(store_->createSession(id, 2000));  // exists
  auto s = store_->getSession(id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->createdAt, 1000);
  EXPECT_EQ(s->updatedAt, 1000);
  EXPECT_TRUE(store_->deleteSession(id));
  EXPECT_FALSE(store_->deleteSession(id));
  EXPECT_FALSE(store_->getSession(id));
}

TEST_P(StoreConformance, SessionDataIsTopLevelUpsertAndBumpsUpdatedAt) {
  auto id = newUuid();
  store_->createSession(id, 1000);
  ASSERT_TRUE(store_->putSessionData(id, {{"a", {{"nested", 1}}}, {"b", "x"}}, 2000));
  ASSERT_TRUE(store_->putSessionData(id, {{"a", {{"other", 2}}}}, 3000));
  auto data = store_->getSessionData(id);
  EXPECT_EQ(data.size(), 2u);
  EXPECT_EQ(data["a"], OrderedJson({{"other", 2}}));  // replaced, not deep-merged
  EXPECT_EQ(data["b"], "x");
  EXPECT_EQ(store_->getSessionValue(id, "b").value(), "x");
  EXPECT_FALSE(store_->getSessionValue(id, "missing"));
  EXPECT_EQ(store_->getSession(id)->updatedAt, 3000);
  EXPECT_FALSE(store_->putSessionData(newUuid(), {{"a", 1}}, 4000));
  // Key order of stored JSON objects is preserved exactly.
  OrderedJson ordered = OrderedJson::parse(R"({"z":1,"a":2})");
  store_->putSessionData(id, {{"o", ordered}}, 5000);
  EXPECT_EQ(store_->getSessionValue(id, "o")->dump(), R"({"z":1,"a":2})");
}

TEST_P(StoreConformance, ConcurrentWritersOfDistinctKeysLoseNothing) {
  auto id = newUuid();
  store_->createSession(id, 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) store_->putSessionData(id, {{"k" + std::to_string(t * 10 + i), t}}, nowMicros());
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(store_->getSessionData(id).size(), 80u);
}

TEST_P(StoreConformance, DeleteSessionCascadesEverything) {
  auto id = newUuid();
  store_->createSession(id, 1);
  store_->putSessionData(id, {{"k", 1}}, 2);
  auto job = newJob(id);
  ASSERT_TRUE(store_->createJob(job, {{"jobKey", job.id}}));
  ChunkRow c{newUuid(), id, "doc", "upload", "upload://a", std::nullopt, "text", OrderedJson::object(), 3, {}};
  store_->insertChunks({c});
  store_->replaceRelevance(id, "objectClassesOutput", {{"objectClassesOutput", "user", "doc", c.chunkId, OrderedJson::object()}});
  DocumentRow d;
  d.docId = "doc";
  d.sessionId = id;
  d.source = "upload";
  d.contentType = "text/plain";
  d.detectedType = "text";
  d.text = "text";
  d.sha256 = "x";
  store_->putDocument(d);
  EXPECT_TRUE(store_->deleteSession(id));
  EXPECT_FALSE(store_->getJob(job.id));
  EXPECT_TRUE(store_->listChunks(id).empty());
  EXPECT_TRUE(store_->listRelevance(id, "objectClassesOutput").empty());
  EXPECT_FALSE(store_->getDocument(id, "doc"));
  EXPECT_TRUE(store_->getSessionData(id).empty());
}

TEST_P(StoreConformance, JobCreateWritesSessionKeysAtomically) {
  auto id = newUuid();
  EXPECT_FALSE(store_->createJob(newJob(id), {}));  // no session
  store_->createSession(id, 1);
  auto job = newJob(id);
  job.progress.stage = "queue";
  job.progress.message = "Queued";
  ASSERT_TRUE(store_->createJob(job, {{"testJobId", job.id}, {"testInput", {{"a", 1}}}}));
  EXPECT_EQ(store_->getSessionValue(id, "testJobId").value(), job.id);
  auto got = store_->getJob(job.id).value();
  EXPECT_EQ(got.status, JobStatus::queued);
  EXPECT_EQ(got.progress.stage.value(), "queue");
  EXPECT_EQ(got.input, job.input);
  EXPECT_FALSE(got.startedAt);
}

TEST_P(StoreConformance, ClaimFinishWritesResultKeyOnlyForOwner) {
  auto id = newUuid();
  store_->createSession(id, 1);
  auto job = newJob(id);
  job.resultKey = "testOutput";
  store_->createJob(job, {});
  auto claimed = store_->claimJob("w1", nowMicros() + 60'000'000, nowMicros());
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, job.id);
  EXPECT_EQ(claimed->status, JobStatus::running);
  EXPECT_EQ(claimed->attempts, 1);
  EXPECT_TRUE(claimed->startedAt);
  EXPECT_FALSE(store_->claimJob("w2", nowMicros() + 60'000'000, nowMicros()));  // nothing else queued
  EXPECT_TRUE(store_->updateProgress(job.id, {"processing", "Working", 10, 3}, nowMicros()));
  EXPECT_FALSE(store_->finishJob(job.id, "w2", {{"r", 1}}, {}, OrderedJson("v"), nowMicros()));  // not the owner
  EXPECT_TRUE(store_->finishJob(job.id, "w1", {{"r", 1}}, {"note"}, OrderedJson({{"out", 1}}), nowMicros()));
  auto done = store_->getJob(job.id).value();
  EXPECT_EQ(done.status, JobStatus::finished);
  EXPECT_EQ(done.result.value(), OrderedJson({{"r", 1}}));
  EXPECT_EQ(done.errors, std::vector<std::string>{"note"});
  EXPECT_EQ(done.progress.stage.value(), "finished");
  EXPECT_EQ(done.progress.total.value(), 10);
  EXPECT_TRUE(done.finishedAt);
  EXPECT_EQ(store_->getSessionValue(id, "testOutput").value(), OrderedJson({{"out", 1}}));
  // A finished job can't be failed or finished again.
  EXPECT_FALSE(store_->failJob(job.id, "w1", {"late"}, nowMicros()));
  EXPECT_EQ(store_->getJob(job.id)->status, JobStatus::finished);
}

TEST_P(StoreConformance, ExpiredLeasesAreRequeuedThenFailed) {
  auto id = newUuid();
  store_->createSession(id, 1);
  auto job = newJob(id);
  job.maxAttempts = 2;
  store_->createJob(job, {});
  int64_t t = nowMicros();
  ASSERT_TRUE(store_->claimJob("dead1", t + 10, t));
  EXPECT_EQ(store_->recoverExpiredLeases(t + 5), 0);  // lease still valid
  EXPECT_EQ(store_->recoverExpiredLeases(t + 100), 1);
  auto requeued = store_->getJob(job.id).value();
  EXPECT_EQ(requeued.status, JobStatus::queued);
  EXPECT_EQ(requeued.errors.size(), 1u);
  EXPECT_FALSE(store_->renewLease(job.id, "dead1", t + 1000, t));
  ASSERT_TRUE(store_->claimJob("dead2", t + 200, t + 150));
  EXPECT_EQ(store_->recoverExpiredLeases(t + 300), 1);
  auto failed = store_->getJob(job.id).value();
  EXPECT_EQ(failed.status, JobStatus::failed);
  EXPECT_EQ(failed.attempts, 2);
  EXPECT_NE(failed.errors.back().find("lease expired"), std::string::npos);
  EXPECT_FALSE(store_->finishJob(job.id, "dead2", OrderedJson::object(), {}, std::nullopt, t + 400));
}

TEST_P(StoreConformance, ConcurrentClaimsRunEachJobOnce) {
  auto id = newUuid();
  store_->createSession(id, 1);
  int64_t base = nowMicros();
  for (int i = 0; i < 100; ++i) store_->createJob(newJob(id, "test.job", base + i), {});
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      auto owner = "w" + std::to_string(t);
      while (auto j = store_->claimJob(owner, nowMicros() + 60'000'000, nowMicros())) {
        store_->finishJob(j->id, owner, OrderedJson::object(), {}, std::nullopt, nowMicros());
        std::lock_guard lock(mu);
        claimed.insert(j->id);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(claimed.size(), 100u);
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), 100u);
}

TEST_P(StoreConformance, ChunksOrderConflictsAndAtomicReplace) {
  auto id = newUuid();
  store_->createSession(id, 1);
  std::string c1 = newUuid(), c2 = newUuid(), c3 = newUuid();
  store_->insertChunks({{c1, id, "d2", "upload", std::nullopt, std::nullopt, "one", {{"chunk_number", 0}}, 10, {"j"}},
                        {c2, id, std::nullopt, "scraper", "http://x", "s", "two", OrderedJson::object(), 5, {}},
                        {c3, id, "d1", "upload", std::nullopt, std::nullopt, "three", OrderedJson::object(), 20, {}}});
  auto all = store_->listChunks(id);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].chunkId, c3);  // d1 < d2, nulls last
  EXPECT_EQ(all[1].chunkId, c1);
  EXPECT_EQ(all[2].chunkId, c2);
  EXPECT_EQ(all[1].scrapeJobIds, std::vector<std::string>{"j"});
  EXPECT_EQ(all[1].metadata["chunk_number"], 0);
  // Duplicate chunk id anywhere → conflict, and nothing of the batch is stored.
  auto other = newUuid();
  store_->createSession(other, 1);
  std::string fresh = newUuid();
  EXPECT_THROW(store_->insertChunks({{fresh, other, "d", "upload", std::nullopt, std::nullopt, "x", OrderedJson::object(), 1, {}},
                                     {c1, other, "d", "upload", std::nullopt, std::nullopt, "x", OrderedJson::object(), 1, {}}}),
               StoreConflict);
  EXPECT_TRUE(store_->listChunks(other).empty());
  // Bad source violates the check constraint.
  EXPECT_THROW(store_->insertChunks({{newUuid(), other, "d", "web", std::nullopt, std::nullopt, "x", OrderedJson::object(), 1, {}}}),
               StoreConflict);
  // Replace is atomic: a failing replacement leaves the old chunks.
  EXPECT_THROW(store_->replaceDocumentChunks(
                   id, "d2", {{c3, id, "d2", "upload", std::nullopt, std::nullopt, "dup", OrderedJson::object(), 1, {}}}, std::nullopt),
               StoreConflict);
  EXPECT_EQ(store_->countChunksByDoc(id, "d2"), 1);
  std::string c4 = newUuid();
  store_->replaceDocumentChunks(id, "d2", {{c4, id, "d2", "upload", std::nullopt, std::nullopt, "new", OrderedJson::object(), 1, {}}},
                                std::nullopt);
  auto d2 = store_->listChunksByDoc(id, "d2");
  ASSERT_EQ(d2.size(), 1u);
  EXPECT_EQ(d2[0].content, "new");
  EXPECT_EQ(store_->deleteChunksByDoc(id, "d2"), 1);
  EXPECT_EQ(store_->deleteAllDocumentation(id), 2);
}

TEST_P(StoreConformance, RelevanceReplaceDedupesAndCascadesWithChunks) {
  auto id = newUuid();
  store_->createSession(id, 1);
  std::string c1 = newUuid(), c2 = newUuid();
  store_->insertChunks({{c1, id, "d", "upload", std::nullopt, std::nullopt, "a", OrderedJson::object(), 1, {}},
                        {c2, id, "d", "upload", std::nullopt, std::nullopt, "b", OrderedJson::object(), 2, {}}});
  store_->replaceRelevance(id, "k", {{"k", "user", "d", c1, OrderedJson::object()},
                                     {"k", "user", "d", c1, OrderedJson::object()},
                                     {"k", "", "d", c2, {{"startSequence", "a"}, {"endSequence", "b"}}},
                                     {"k", "user", "d", newUuid(), OrderedJson::object()}});  // unknown chunk skipped
  auto rows = store_->listRelevance(id, "k");
  ASSERT_EQ(rows.size(), 2u);
  store_->replaceRelevance(id, "k", {{"k", "group", "d", c2, OrderedJson::object()}});
  rows = store_->listRelevance(id, "k");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].entityKey, "group");
  store_->deleteChunksByDoc(id, "d");
  EXPECT_TRUE(store_->listRelevance(id, "k").empty());
}

TEST_P(StoreConformance, DocumentsStoredWholeAndCacheLookup) {
  auto id = newUuid();
  store_->createSession(id, 1);
  DocumentRow d;
  d.docId = newUuid();
  d.sessionId = id;
  d.source = "upload";
  d.filename = "spec.yaml";
  d.contentType = "application/yaml";
  d.detectedType = "openapi";
  d.text = std::string(200000, 'x');
  d.sha256 = "abc";
  d.createdAt = 5;
  store_->putDocument(d);
  auto got = store_->getDocument(id, d.docId).value();
  EXPECT_EQ(got.text.size(), 200000u);
  EXPECT_EQ(got.filename.value(), "spec.yaml");
  EXPECT_EQ(store_->listDocuments(id).size(), 1u);

  auto job = newJob(id, "cache.type", 100);
  job.inputHash = "H1";
  store_->createJob(job, {});
  auto c = store_->claimJob("w", nowMicros() + 1'000'000, 100);
  store_->finishJob(c->id, "w", {{"v", 1}}, {}, std::nullopt, 200);
  EXPECT_TRUE(store_->findCachedJob("cache.type", "H1", 50, std::nullopt));
  EXPECT_TRUE(store_->findCachedJob("cache.type", "H1", 50, id));
  EXPECT_FALSE(store_->findCachedJob("cache.type", "H1", 50, newUuid()));
  EXPECT_FALSE(store_->findCachedJob("cache.type", "H1", 150, std::nullopt));
  EXPECT_FALSE(store_->findCachedJob("cache.type", "H2", 50, std::nullopt));
  bool found = false;
  for (auto& jc : store_->countJobs())
    if (jc.type == "cache.type" && jc.status == "finished") found = jc.count == 1;
  EXPECT_TRUE(found);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(StoreUrl, RedactsPasswordsAndRejectsUnknownSchemes) {
  EXPECT_EQ(redactDatabaseUrl("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(redactDatabaseUrl("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_THROW(openStore("mysql://x/y"), StoreError);
}

TEST_P(StoreConformance, JobPayloadsKeepBinaryBytesAndCascade) {
  auto id = newUuid();
  store_->createSession(id, 1);
  std::string bytes("%PDF\0\xff\xfe binary", 16);
  auto job = newJob(id);
  ASSERT_TRUE(store_->createJob(job, {}, bytes));
  EXPECT_EQ(store_->getJobPayload(job.id).value(), bytes);
  store_->deleteJobPayload(job.id);
  EXPECT_FALSE(store_->getJobPayload(job.id));
  auto job2 = newJob(id);
  store_->createJob(job2, {}, std::string("x"));
  store_->deleteSession(id);
  EXPECT_FALSE(store_->getJobPayload(job2.id));
}

TEST_P(StoreConformance, ReplaceAllDocumentationIsAtomic) {
  auto id = newUuid();
  store_->createSession(id, 1);
  store_->insertChunks({{newUuid(), id, "old", "upload", std::nullopt, std::nullopt, "old", OrderedJson::object(), 1, {}},
                        {newUuid(), id, std::nullopt, "scraper", "http://x", std::nullopt, "page", OrderedJson::object(), 2, {}}});
  store_->replaceDocumentChunks(id, "new", {{newUuid(), id, "new", "upload", std::nullopt, std::nullopt, "n", OrderedJson::object(), 3, {}}},
                                std::nullopt, true);
  auto all = store_->listChunks(id);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].docId.value(), "new");
}

TEST_P(StoreConformance, DocumentationFingerprintChangesWithTheDocumentation) {
  auto id = newUuid();
  store_->createSession(id, 1);
  std::string empty = store_->documentationFingerprint(id);
  EXPECT_EQ(store_->documentationFingerprint(id), empty);
  store_->insertChunks({{newUuid(), id, "d", "upload", std::nullopt, std::nullopt, "a", OrderedJson::object(), 1, {}}});
  std::string one = store_->documentationFingerprint(id);
  EXPECT_NE(one, empty);
  DocumentRow d;
  d.docId = "d";
  d.sessionId = id;
  d.source = "upload";
  d.contentType = "text/plain";
  d.detectedType = "text";
  d.text = "a";
  d.sha256 = "h1";
  store_->putDocument(d);
  std::string withDoc = store_->documentationFingerprint(id);
  EXPECT_NE(withDoc, one);
  d.sha256 = "h2";
  store_->putDocument(d);
  EXPECT_NE(store_->documentationFingerprint(id), withDoc);
}

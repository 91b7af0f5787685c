#include "federation/job_runner.h"

#include <gtest/gtest.h>

#include "store/job_repository.h"
#include "testing/manual_clock.h"
#include "testing/test_cards.h"
#include "tests/fakes/fake_architect.h"

namespace charchive::federation {
namespace {

using std::chrono::seconds;
using testing::FakeArchitect;
using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::ManualClock;
using testing::TempDir;

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    service_ = std::move(FederationService::Open(*archive_)).value();
    PlatformSettings s;
    s.base_url = architect_.base_url();
    s.enabled = true;
    ASSERT_TRUE(service_->UpdatePlatform("architect", s).ok());
    for (int i = 0; i < 30; ++i) {
      ids_.push_back(*archive_->ImportBytes(MakeCardPng(MakeV2Card("Card " + std::to_string(i))), "c.png").id);
    }
    watcher_ = events_.Subscribe();
  }

  // Time moves only when a test advances clock_: back-offs and ticks wait for it.
  std::unique_ptr<JobRunner> Runner() {
    JobRunnerOptions options;
    options.retry.first_backoff = std::chrono::milliseconds(50);
    options.tick = std::chrono::milliseconds(50);
    return std::make_unique<JobRunner>(*archive_, *service_, events_, options, clock_);
  }

  // Every change of a job is published: waits on the events, not on time
  // (the 30 s are the test's failure deadline).
  JobRecord WaitFinished(JobRunner& runner, int64_t id) {
    while (true) {
      auto job = runner.Get(id);
      if (job.ok() && job->status != "queued" && job->status != "running") return *job;
      if (!events_.Next(watcher_, std::chrono::seconds(30))) break;
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return *runner.Get(id);
  }

  // The next published job that matches; nullopt after 30 s without one.
  std::optional<Json> WaitForJob(const std::string& trigger, const std::string& status) {
    while (auto event = events_.Next(watcher_, std::chrono::seconds(30))) {
      if ((*event)["type"] == "job" && (*event)["job"]["trigger"] == trigger && (*event)["job"]["status"] == status) {
        return (*event)["job"];
      }
    }
    return std::nullopt;
  }

  TempDir dir_;
  FakeArchitect architect_;
  ManualClock clock_;
  EventBus events_;
  int watcher_ = 0;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<FederationService> service_;
  std::vector<CardId> ids_;
};

TEST_F(JobRunnerTest, ABulkPushJobPushesEveryCardAndReportsProgress) {
  int subscriber = events_.Subscribe();
  auto runner = Runner();
  runner->Start();
  auto job = runner->Submit({.kind = JobKind::kPush, .platform = "architect", .all = true});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->total, 30);
  JobRecord done = WaitFinished(*runner, job->id);
  EXPECT_EQ(done.status, "done");
  EXPECT_EQ(done.done, 30);
  EXPECT_EQ(done.failed, 0);
  EXPECT_EQ(architect_.CardCount(), 30u);
  int progress = 0;
  bool saw_sync = false;
  while (auto e = events_.Next(subscriber, std::chrono::milliseconds(10))) {
    if ((*e)["type"] == "job") ++progress;
    saw_sync |= (*e)["type"] == "sync" && (*e)["status"] == "synced";
  }
  EXPECT_GE(progress, 30);
  EXPECT_TRUE(saw_sync);
}

TEST_F(JobRunnerTest, AnInterruptedJobResumesWithoutPushingAnyCardTwice) {
  JobRecord job{.kind = JobKind::kPush, .platform = "architect", .trigger = "api"};
  int64_t id = 0;
  {
    auto db = archive_->pool().Acquire();
    id = *job_repository::Create(**db, job, ids_);
    // As if the server died: 10 cards finished, card 10 in flight had reached
    // the peer without being recorded.
    ASSERT_TRUE(job_repository::SetStatus(**db, id, "running", "").ok());
  }
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(service_->Push(ids_[i], "architect", {}).ok());
    auto db = archive_->pool().Acquire();
    ASSERT_TRUE(job_repository::MarkItem(**db, id, i, "running", "").ok());
    ASSERT_TRUE(job_repository::MarkItem(**db, id, i, "done", "").ok());
  }
  // What card 10's push left on the peer: the card with its identity marker.
  Json landed = MakeV2Card("Card 10");
  landed["data"]["extensions"]["charchive"] = Json{{"archive", service_->archive_id()}, {"card_id", ids_[10]}};
  std::string landed_id = architect_.CreateCard(landed);
  // A card someone made on Architect with the same content is not card 10.
  architect_.CreateCard(MakeV2Card("Card 10"));
  {
    auto db = archive_->pool().Acquire();
    ASSERT_TRUE(job_repository::MarkItem(**db, id, 10, "running", "").ok());
  }
  ASSERT_EQ(architect_.CardCount(), 12u);
  size_t imports_before = 0;
  for (const auto& r : architect_.Requests()) imports_before += r == "POST /api/import";

  auto runner = Runner();
  runner->Start();
  JobRecord done = WaitFinished(*runner, id);
  EXPECT_EQ(done.status, "done");
  EXPECT_EQ(done.done, 30);
  EXPECT_EQ(architect_.CardCount(), 31u);  // card 10 adopted, not pushed again; the look-alike left alone
  size_t imports = 0;
  for (const auto& r : architect_.Requests()) imports += r == "POST /api/import";
  EXPECT_EQ(imports - imports_before, 19u);
  for (CardId card : ids_) EXPECT_EQ((*service_->CardSyncs(card))[0].status, SyncState::kSynced);
  EXPECT_EQ((*service_->CardSyncs(ids_[10]))[0].platform_id, landed_id);
}

TEST_F(JobRunnerTest, TransientFailuresAreRetriedAndPermanentOnesReported) {
  auto runner = Runner();
  architect_.SetFault(FakeArchitect::Fault::kServerError);
  // Submitted first: the runner's only waits on the clock are then the cards' back-offs.
  auto job = runner->Submit({.kind = JobKind::kPush, .platform = "architect", .card_ids = {ids_[0], ids_[1]}});
  ASSERT_TRUE(job.ok());
  runner->Start();
  ASSERT_TRUE(clock_.AwaitWaiters(2));               // both cards failed once and wait their back-off
  architect_.SetFault(FakeArchitect::Fault::kNone);  // the peer recovers before the next attempt
  clock_.Advance(seconds(1));
  JobRecord done = WaitFinished(*runner, job->id);
  EXPECT_EQ(done.failed, 0) << done.message;
  EXPECT_EQ(architect_.CardCount(), 2u);

  architect_.SetFault(FakeArchitect::Fault::kForbidden);  // not transient: no retry
  auto refused = runner->Submit({.kind = JobKind::kPush, .platform = "architect", .card_ids = {ids_[2]}});
  JobRecord failed = WaitFinished(*runner, refused->id);
  EXPECT_EQ(failed.status, "failed");
  auto failures = runner->Failures(refused->id, 10);
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_NE((*failures)[0].message.find("HTTP 403"), std::string::npos);
  size_t attempts = 0;
  for (const auto& r : architect_.Requests()) attempts += r == "POST /api/import";
  EXPECT_EQ(attempts, 2u + 2u + 1u);  // two failed, two retried, one refused
}

TEST_F(JobRunnerTest, AutoPushSendsALocalEditOnItsOwn) {
  ASSERT_TRUE(service_->Push(ids_[0], "architect", {}).ok());
  PlatformSettings s;
  s.options = Json{{"auto_push", true}};
  ASSERT_TRUE(service_->UpdatePlatform("architect", s).ok());
  auto runner = Runner();
  runner->Start();
  ASSERT_TRUE(clock_.AwaitWaiters(1));  // the first look found nothing to do
  ASSERT_TRUE(archive_->UpdateData(ids_[0], Json{{"scenario", "Edited, then pushed by itself."}}).ok());
  clock_.Advance(std::chrono::milliseconds(50));  // the next tick
  auto job = WaitForJob("auto", "done");
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ((*job)["total"], 1);
  std::string remote_id = *(*service_->CardSyncs(ids_[0]))[0].platform_id;
  EXPECT_EQ(architect_.Card(remote_id)["data"]["data"]["scenario"], "Edited, then pushed by itself.");
  EXPECT_EQ((*service_->CardSyncs(ids_[0]))[0].status, SyncState::kSynced);
}

TEST_F(JobRunnerTest, PollingSyncsTheLinkedCardsOncePerPeriodOfTheClock) {
  ASSERT_TRUE(service_->Push(ids_[0], "architect", {}).ok());
  PlatformSettings s;
  s.options = Json{{"poll_minutes", 5}};
  ASSERT_TRUE(service_->UpdatePlatform("architect", s).ok());
  auto runner = Runner();
  runner->Start();
  ASSERT_TRUE(clock_.AwaitWaiters(1));  // the first tick only starts the period
  clock_.Advance(std::chrono::minutes(4));
  ASSERT_TRUE(clock_.AwaitWaiters(1));
  auto none = runner->List(10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  clock_.Advance(std::chrono::minutes(1));
  auto job = WaitForJob("poll", "done");
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ((*job)["kind"], "pull");
  EXPECT_EQ((*job)["total"], 1);
}

TEST_F(JobRunnerTest, CancelAndBadRequests) {
  auto runner = Runner();
  auto job = runner->Submit({.kind = JobKind::kPush, .platform = "architect", .all = true});
  ASSERT_TRUE(job.ok());
  auto cancelled = runner->Cancel(job->id);
  EXPECT_EQ(cancelled->status, "cancelled");
  runner->Start();
  ASSERT_TRUE(clock_.AwaitWaiters(1));  // its first tick is over
  EXPECT_EQ(architect_.CardCount(), 0u);
  EXPECT_EQ(runner->Submit({.kind = JobKind::kPush, .platform = "architect"}).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(runner->Submit({.kind = JobKind::kPush, .platform = "nope", .all = true}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(runner->Get(424242).status().code(), StatusCode::kNotFound);
}

TEST_F(JobRunnerTest, APeersRetryAfterIsWaitedBeforeTheRetry) {
  auto runner = Runner();                                      // its own backoff is 50 ms
  architect_.SetFault(FakeArchitect::Fault::kRateLimited, 1);  // one 429 with Retry-After: 1
  auto job = runner->Submit({.kind = JobKind::kPush, .platform = "architect", .card_ids = {ids_[0]}});
  ASSERT_TRUE(job.ok());
  runner->Start();
  ASSERT_TRUE(clock_.AwaitWaiters(1));
  EXPECT_EQ(*clock_.EarliestDeadline() - clock_.Now(), seconds(1));
  clock_.Advance(std::chrono::milliseconds(999));
  ASSERT_TRUE(clock_.AwaitWaiters(1));
  EXPECT_EQ(architect_.CardCount(), 0u);  // not retried yet
  clock_.Advance(std::chrono::milliseconds(1));
  JobRecord done = WaitFinished(*runner, job->id);
  EXPECT_EQ(done.failed, 0) << done.message;
  EXPECT_EQ(architect_.CardCount(), 1u);
}

TEST_F(JobRunnerTest, StoppingEndsAWaitForAPeersRetryAfter) {
  architect_.SetRateLimit(1, std::chrono::seconds(60));  // the read-back is told to wait a minute
  auto runner = Runner();
  // Submitted first: the runner's only wait on the clock is then the card's retry.
  auto job = runner->Submit({.kind = JobKind::kPush, .platform = "architect", .card_ids = {ids_[0]}});
  ASSERT_TRUE(job.ok());
  runner->Start();
  ASSERT_TRUE(clock_.AwaitWaiters(1));  // the minute is never advanced: only Stop ends the wait
  ASSERT_EQ(architect_.RateLimited(), 1u);
  auto start = std::chrono::steady_clock::now();
  runner->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace charchive::federation

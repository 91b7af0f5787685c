#include "util/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "testing/log_capture.h"

namespace charchive {
namespace {

using testing::LogCapture;

const std::regex kTimestamp(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");

// The text line after its timestamp.
std::string AfterTimestamp(const std::string& line) {
  auto space = line.find(' ');
  EXPECT_NE(space, std::string::npos) << line;
  EXPECT_TRUE(std::regex_match(line.substr(0, space), kTimestamp)) << line;
  return line.substr(space + 1);
}

TEST(Log, TextLineIsLevelEventAndFields) {
  LogCapture capture(log::Level::kInfo);
  log::Info("http_request", {{"method", "GET"}, {"status", 200}, {"ms", 1.25}, {"secure", false}});
  auto lines = capture.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(AfterTimestamp(lines[0]), "info http_request method=GET status=200 ms=1.25 secure=false");
}

TEST(Log, TextQuotesValuesThatWouldNotSplitBack) {
  LogCapture capture;
  log::Warn("e", {{"a", "two words"},
                  {"b", "k=v"},
                  {"c", "say \"hi\""},
                  {"d", "back\\slash"},
                  {"e", ""},
                  {"f", "line\nbreak\x1b[31m"},
                  {"g", "caf\xc3\xa9"},
                  {"h", std::string("bad\xff", 4)},
                  {"i", "/api/cards/12"}});
  auto lines = capture.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(AfterTimestamp(lines[0]),
            "warn e a=\"two words\" b=\"k=v\" c=\"say \\\"hi\\\"\" d=\"back\\\\slash\" e=\"\" "
            "f=\"line\\nbreak\\u001b[31m\" g=\"caf\xc3\xa9\" h=\"bad\xef\xbf\xbd\" i=/api/cards/12");
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
}

TEST(Log, JsonLineIsOneObjectWithTypedValues) {
  LogCapture capture(log::Level::kDebug, log::Format::kJson);
  log::Error("job_failed", {{"job", int64_t{7}},
                            {"ms", 0.5},
                            {"ok", true},
                            {"message", "quote \" and\nnewline"},
                            {"bytes", size_t{12}},
                            {"bad", std::string("\xff")},
                            {"nan", std::nan("")}});
  auto lines = capture.Lines();
  ASSERT_EQ(lines.size(), 1u);
  auto j = nlohmann::json::parse(lines[0]);
  EXPECT_TRUE(std::regex_match(j["ts"].get<std::string>(), kTimestamp));
  EXPECT_EQ(j["level"], "error");
  EXPECT_EQ(j["event"], "job_failed");
  EXPECT_EQ(j["job"], 7);
  EXPECT_EQ(j["ms"], 0.5);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["message"], "quote \" and\nnewline");
  EXPECT_EQ(j["bytes"], 12);
  EXPECT_EQ(j["bad"], "\xef\xbf\xbd");
  EXPECT_EQ(j["nan"], "nan");
}

TEST(Log, LevelsBelowTheThresholdAreDropped) {
  LogCapture capture(log::Level::kWarn);
  log::Debug("d");
  log::Info("i");
  log::Warn("w");
  log::Error("e");
  EXPECT_FALSE(log::Enabled(log::Level::kInfo));
  EXPECT_TRUE(log::Enabled(log::Level::kError));
  auto lines = capture.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(AfterTimestamp(lines[0]), "warn w");
  EXPECT_EQ(AfterTimestamp(lines[1]), "error e");
}

TEST(Log, OffWritesNothing) {
  LogCapture capture(log::Level::kOff);
  log::Error("e");
  EXPECT_FALSE(log::Enabled(log::Level::kError));
  EXPECT_TRUE(capture.Lines().empty());
}

TEST(Log, LongValuesAreCut) {
  LogCapture capture(log::Level::kInfo, log::Format::kJson);
  log::Info("e", {{"path", std::string(10000, 'a')}});
  auto j = nlohmann::json::parse(capture.Lines().at(0));
  EXPECT_EQ(j["path"], std::string(log::kMaxValueBytes, 'a') + "...");
}

TEST(Log, ParsesLevelAndFormatNames) {
  for (auto level : {log::Level::kDebug, log::Level::kInfo, log::Level::kWarn, log::Level::kError, log::Level::kOff}) {
    EXPECT_EQ(log::ParseLevel(log::LevelName(level)), level);
  }
  EXPECT_EQ(log::ParseLevel("warning"), std::nullopt);
  EXPECT_EQ(log::ParseLevel("INFO"), std::nullopt);
  EXPECT_EQ(log::ParseFormat("json"), log::Format::kJson);
  EXPECT_EQ(log::ParseFormat("text"), log::Format::kText);
  EXPECT_EQ(log::ParseFormat("xml"), std::nullopt);
}

TEST(Log, LinesFromManyThreadsStayWhole) {
  LogCapture capture(log::Level::kInfo, log::Format::kJson);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) log::Info("tick", {{"thread", t}, {"i", i}, {"pad", std::string(300, 'x')}});
    });
  }
  for (auto& t : threads) t.join();
  auto lines = capture.Lines();
  ASSERT_EQ(lines.size(), 1600u);
  for (const auto& line : lines) EXPECT_EQ(nlohmann::json::parse(line)["pad"].get<std::string>().size(), 300u);
}

}  // namespace
}  // namespace charchive

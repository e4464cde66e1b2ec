// SPDX-License-Identifier: Apache-2.0
// End-to-end: the real monokin command on real footage (vtest.avi from Debian's opencv-doc),
// checking that the outputs agree with each other.
#include <filesystem>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_runner.h"

namespace monokin::testing {
namespace {
namespace fs = std::filesystem;

constexpr int kFrames = 150;  // enough for tracks to form and cross; keeps the test fast

void CheckConsistentOutputs(const std::string& dir, int expected_frames) {
  const nlohmann::json run = ReadJson(dir + "/run.json");
  ASSERT_FALSE(run.is_discarded()) << "run.json must be valid JSON";
  EXPECT_EQ(run["status"]["state"], "completed");
  EXPECT_EQ(run["status"]["frames_written"], expected_frames);
  EXPECT_EQ(run["meta"]["tool"], "monokin");
  EXPECT_TRUE(run["config"].contains("detect"));
  EXPECT_FALSE(run["timings"]["stages"].empty());

  // frames.jsonl: one line per frame, indices in order, strictly increasing timestamps.
  const auto lines = ReadLines(dir + "/frames.jsonl");
  ASSERT_EQ(static_cast<int>(lines.size()), expected_frames);
  std::set<int> jsonl_ids;
  double last_t = -1;
  int most_people = 0;
  for (int i = 0; i < expected_frames; ++i) {
    const nlohmann::json f = nlohmann::json::parse(lines[i], nullptr, false);
    ASSERT_FALSE(f.is_discarded()) << "line " << i;
    EXPECT_EQ(f["frame"], i);
    const double t = f["t"].get<double>();
    EXPECT_GT(t, last_t) << "timestamps must strictly increase (frame " << i << ")";
    last_t = t;
    most_people = std::max(most_people, static_cast<int>(f["athletes"].size()));
    for (const auto& a : f["athletes"]) jsonl_ids.insert(a["id"].get<int>());
  }
  // vtest.avi shows several people walking at once.
  EXPECT_GE(most_people, 3);

  // tracks.txt: MOTChallenge lines, 1-based frames, every id also in frames.jsonl.
  std::set<int> mot_ids;
  for (const std::string& line : ReadLines(dir + "/tracks.txt")) {
    std::stringstream ss(line);
    std::string field;
    std::vector<std::string> fields;
    while (std::getline(ss, field, ',')) fields.push_back(field);
    ASSERT_EQ(fields.size(), 10u) << line;
    const int frame = std::stoi(fields[0]);
    EXPECT_GE(frame, 1);
    EXPECT_LE(frame, expected_frames);
    mot_ids.insert(std::stoi(fields[1]));
  }
  EXPECT_FALSE(mot_ids.empty());
  for (int id : mot_ids) {
    EXPECT_TRUE(jsonl_ids.count(id)) << "id " << id << " of tracks.txt missing from frames.jsonl";
    EXPECT_TRUE(fs::exists(dir + "/athletes/" + std::to_string(id) + ".csv")) << id;
  }
  // The offline step re-links broken tracks: frames.jsonl keeps the live ids, tracks.txt and
  // athletes/ the re-linked ones; run.json maps each re-linked id to the id it joined.
  ASSERT_EQ(run["tracking"]["offline"], true);
  std::set<int> expected = jsonl_ids;
  for (const auto& [from, to] : run["tracking"]["relinked"].items()) {
    EXPECT_TRUE(jsonl_ids.count(std::stoi(from))) << from;
    EXPECT_TRUE(mot_ids.count(to.get<int>())) << from << " joined " << to;
    EXPECT_LT(to.get<int>(), std::stoi(from)) << "a track continues an earlier one";
    EXPECT_FALSE(fs::exists(dir + "/athletes/" + from + ".csv")) << from;
    expected.erase(std::stoi(from));
  }
  EXPECT_EQ(mot_ids, expected);

  // annotated.mp4 decodes with the same number of frames.
  EXPECT_EQ(CountDecodedFrames(dir + "/annotated.mp4"), expected_frames);
}

TEST(EndToEndTest, HogOnVtestWritesConsistentOutputs) {
  if (VtestPath().empty()) GTEST_SKIP() << "vtest.avi missing: run scripts/setup (opencv-doc)";
  const std::string dir = FreshDir("out");
  CommandResult r = RunMonokin({"analyze", VtestPath(), "-o", dir, "--detector", "hog", "--pose",
                                "none", "--set", "engine.max_frames=" + std::to_string(kFrames)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CheckConsistentOutputs(dir, kFrames);
}

TEST(EndToEndTest, YoloxOnVtestWritesConsistentOutputs) {
  if (VtestPath().empty()) GTEST_SKIP() << "vtest.avi missing: run scripts/setup (opencv-doc)";
  const std::string model =
      std::string(MONOKIN_SOURCE_DIR) + "/../shared/data/models/yolox_nano_416/yolox_nano_416x416.onnx";
  if (!fs::exists(model)) GTEST_SKIP() << "YOLOX model not found at " << model;
  const std::string dir = FreshDir("out");
  CommandResult r = RunMonokin({"analyze", VtestPath(), "-o", dir, "--detector", "yolox",
                                "--detector-model", model, "--pose", "none", "--set",
                                "engine.max_frames=" + std::to_string(kFrames)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CheckConsistentOutputs(dir, kFrames);
  const nlohmann::json run = ReadJson(dir + "/run.json");
  ASSERT_EQ(run["models"].size(), 1u);
  EXPECT_EQ(run["models"][0]["sha256"].get<std::string>().size(), 64u);
}

TEST(EndToEndTest, InterruptedRunKeepsEveryCompletedFrame) {
  if (VtestPath().empty()) GTEST_SKIP() << "vtest.avi missing: run scripts/setup (opencv-doc)";
  const std::string dir = FreshDir("out");
  CommandResult r = RunMonokin({"analyze", VtestPath(), "-o", dir, "--pose", "none", "--no-progress"},
                               dir + "/frames.jsonl", 20);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(NonEmptyLines(r.err), 1) << r.err;
  const nlohmann::json run = ReadJson(dir + "/run.json");
  ASSERT_FALSE(run.is_discarded());
  EXPECT_EQ(run["status"]["state"], "interrupted");
  const int written = run["status"]["frames_written"].get<int>();
  EXPECT_GE(written, 20);
  EXPECT_LT(written, 795) << "the run should have stopped early";
  const auto lines = ReadLines(dir + "/frames.jsonl");
  EXPECT_EQ(static_cast<int>(lines.size()), written);
  EXPECT_EQ(run["status"]["last_frame"], written - 1);
  for (const auto& l : lines) EXPECT_FALSE(nlohmann::json::parse(l, nullptr, false).is_discarded());
  EXPECT_EQ(CountDecodedFrames(dir + "/annotated.mp4"), written);
}

TEST(EndToEndTest, VersionAndHelpWork) {
  CommandResult v = RunMonokin({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("monokin 0."), std::string::npos) << v.out;
  CommandResult h = RunMonokin({"analyze", "--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("--detector"), std::string::npos);
}

}  // namespace
}  // namespace monokin::testing

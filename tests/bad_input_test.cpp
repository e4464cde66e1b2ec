// SPDX-License-Identifier: Apache-2.0
// The bad-input table: each case gets one clear line on stderr, a non-zero exit code, no crash,
// and nothing already computed lost.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/videoio.hpp>

#include "cli_runner.h"

namespace monokin::testing {
namespace {
namespace fs = std::filesystem;

// Expects exit `code`, exactly one stderr line, starting "monokin: error:" and holding `phrase`.
void ExpectOneLineError(const CommandResult& r, int code, const std::string& phrase) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(NonEmptyLines(r.err), 1) << r.err;
  EXPECT_EQ(r.err.rfind("monokin: error:", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(phrase), std::string::npos) << "expected '" << phrase << "' in: " << r.err;
}

std::vector<std::string> Analyze(const std::string& input, const std::string& out,
                                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"analyze", input, "-o", out, "--pose", "none", "--no-progress"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(BadInputTest, MissingFile) {
  const std::string dir = FreshDir("w");
  ExpectOneLineError(RunMonokin(Analyze(dir + "/nope.mp4", dir + "/out")), 3, "nope.mp4");
}

TEST(BadInputTest, FolderWithNoImages) {
  const std::string dir = FreshDir("w");
  fs::create_directories(dir + "/empty");
  WriteFile(dir + "/empty/readme.txt", "not an image");
  ExpectOneLineError(RunMonokin(Analyze(dir + "/empty", dir + "/out")), 3, "empty");
}

TEST(BadInputTest, NonVideoFile) {
  const std::string dir = FreshDir("w");
  WriteFile(dir + "/notes.mp4", "this is a text file, not a video\n");
  ExpectOneLineError(RunMonokin(Analyze(dir + "/notes.mp4", dir + "/out")), 3, "notes.mp4");
}

TEST(BadInputTest, TruncatedVideoKeepsFramesBeforeTheDamage) {
  if (VtestPath().empty()) GTEST_SKIP() << "vtest.avi missing: run scripts/setup (opencv-doc)";
  const std::string dir = FreshDir("w");
  std::ifstream in(VtestPath(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  WriteFile(dir + "/cut.avi", bytes.substr(0, bytes.size() / 8));
  const CommandResult r = RunMonokin(Analyze(dir + "/cut.avi", dir + "/out"));
  ExpectOneLineError(r, 4, "cut.avi");
  const nlohmann::json run = ReadJson(dir + "/out/run.json");
  ASSERT_FALSE(run.is_discarded());
  EXPECT_EQ(run["status"]["state"], "failed");
  const int written = run["status"]["frames_written"].get<int>();
  EXPECT_GT(written, 10) << "frames before the damage must be kept";
  EXPECT_EQ(static_cast<int>(ReadLines(dir + "/out/frames.jsonl").size()), written);
  EXPECT_EQ(CountDecodedFrames(dir + "/out/annotated.mp4"), written);
}

TEST(BadInputTest, VideoWithZeroFrames) {
  const std::string dir = FreshDir("w");
  {
    cv::VideoWriter w(dir + "/zero.avi", cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25,
                      cv::Size(64, 48));
    ASSERT_TRUE(w.isOpened());
  }
  const CommandResult r = RunMonokin(Analyze(dir + "/zero.avi", dir + "/out"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(NonEmptyLines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("zero.avi"), std::string::npos) << r.err;
}

TEST(BadInputTest, UnsupportedCodec) {
  // A valid AVI whose codec tag ('QQQQ') no decoder knows: written as MJPG, then retagged.
  const std::string dir = FreshDir("w");
  {
    cv::VideoWriter w(dir + "/mjpg.avi", cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25,
                      cv::Size(64, 48));
    ASSERT_TRUE(w.isOpened());
    for (int i = 0; i < 10; ++i) w.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar(i * 20, 80, 160)));
  }
  std::ifstream in(dir + "/mjpg.avi", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int patched = 0;
  for (const std::string tag : {"MJPG", "mjpg"}) {
    for (std::size_t p = bytes.find(tag); p != std::string::npos; p = bytes.find(tag, p + 4)) {
      bytes.replace(p, 4, "QQQQ");
      ++patched;
    }
  }
  ASSERT_GT(patched, 0);
  WriteFile(dir + "/odd.avi", bytes);
  const CommandResult r = RunMonokin(Analyze(dir + "/odd.avi", dir + "/out"));
  ExpectOneLineError(r, 3, "odd.avi");
}

TEST(BadInputTest, UnreachableUrlTimesOut) {
  const std::string dir = FreshDir("w");
  const CommandResult r = RunMonokin(Analyze("rtsp://127.0.0.1:9/stream", dir + "/out",
                                             {"--set", "video.open_timeout_ms=3000"}));
  ExpectOneLineError(r, 3, "127.0.0.1");
  EXPECT_LT(r.seconds, 30);
}

TEST(BadInputTest, MissingModelFile) {
  if (VtestPath().empty()) GTEST_SKIP() << "vtest.avi missing: run scripts/setup (opencv-doc)";
  const std::string dir = FreshDir("w");
  ExpectOneLineError(RunMonokin(Analyze(VtestPath(), dir + "/out",
                                        {"--detector", "yolox", "--detector-model", dir + "/no.onnx"})),
                     3, "no.onnx");
}

TEST(BadInputTest, CorruptModelFile) {
  if (VtestPath().empty()) GTEST_SKIP() << "vtest.avi missing: run scripts/setup (opencv-doc)";
  const std::string dir = FreshDir("w");
  WriteFile(dir + "/bad.onnx", std::string(4096, '\x7f'));
  ExpectOneLineError(RunMonokin(Analyze(VtestPath(), dir + "/out",
                                        {"--detector", "yolox", "--detector-model", dir + "/bad.onnx"})),
                     3, "bad.onnx");
}

TEST(BadInputTest, UnknownOption) {
  const std::string dir = FreshDir("w");
  ExpectOneLineError(RunMonokin(Analyze("x.mp4", dir + "/out", {"--frobnicate"})), 2, "frobnicate");
}

TEST(BadInputTest, UnknownConfigKey) {
  const std::string dir = FreshDir("w");
  ExpectOneLineError(RunMonokin(Analyze("x.mp4", dir + "/out", {"--set", "track.match_iuo=0.2"})), 2,
                     "track.match_iuo");
  WriteFile(dir + "/cfg.json", R"({"detect": {"min_scor": 0.5}})");
  ExpectOneLineError(RunMonokin(Analyze("x.mp4", dir + "/out", {"--config", dir + "/cfg.json"})), 2,
                     "detect.min_scor");
}

TEST(BadInputTest, NonsenseConfigValues) {
  const std::string dir = FreshDir("w");
  ExpectOneLineError(RunMonokin(Analyze("x.mp4", dir + "/out", {"--set", "detect.min_score=1.5"})),
                     2, "min_score");
  WriteFile(dir + "/cfg.json", "{ this is not json");
  ExpectOneLineError(RunMonokin(Analyze("x.mp4", dir + "/out", {"--config", dir + "/cfg.json"})), 2,
                     "cfg.json");
}

TEST(BadInputTest, UnwritableOutputFolder) {
  if (VtestPath().empty()) GTEST_SKIP() << "vtest.avi missing: run scripts/setup (opencv-doc)";
  const std::string dir = FreshDir("w");
  WriteFile(dir + "/file", "x");  // a folder cannot be created under a regular file, even by root
  ExpectOneLineError(RunMonokin(Analyze(VtestPath(), dir + "/file/out")), 4, "file/out");
}

}  // namespace
}  // namespace monokin::testing

// SPDX-License-Identifier: Apache-2.0
#include "monokin/eval/mot_eval.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace monokin::eval {
namespace {

const std::string kMot17 = std::string(MONOKIN_SOURCE_DIR) + "/../shared/data/mot17-dev";

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string clean = line;
  if (!clean.empty() && clean.back() == '\r') clean.pop_back();
  std::stringstream ss(clean);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  return out;
}

// Every column of TrackEval's detailed CSV for the published MPNTrack results, to 1e-6.
TEST(MotEval, ReproducesTrackEvalOnMpnTrack) {
  const std::string csv_path = kMot17 + "/trackers/MPNTrack/trackeval_detailed_dev.csv";
  if (!std::filesystem::exists(csv_path)) GTEST_SKIP() << "shared data absent: " << csv_path;
  const auto start = std::chrono::steady_clock::now();
  const auto report = RunMotEval(kMot17 + "/train", kMot17 + "/trackers/MPNTrack/data");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_LT(seconds, 30.0) << "evaluation too slow";
  std::map<std::string, const SequenceMetrics*> by_name;
  for (const auto& s : report->sequences) by_name[s.name] = &s;
  EXPECT_EQ(by_name.size(), 12u);

  std::ifstream in(csv_path);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitCsv(line);
  int rows = 0, compared = 0;
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = SplitCsv(line);
    ASSERT_EQ(cells.size(), header.size());
    ASSERT_TRUE(by_name.count(cells[0])) << cells[0];
    std::map<std::string, double> ours;
    for (const auto& [name, value] : DetailedColumns(*by_name[cells[0]])) ours[name] = value;
    for (size_t c = 1; c < header.size(); ++c) {
      ASSERT_TRUE(ours.count(header[c])) << "missing column " << header[c];
      const double expected = std::stod(cells[c]);
      EXPECT_NEAR(ours[header[c]], expected, 1e-6) << cells[0] << " " << header[c];
      ++compared;
    }
    ++rows;
  }
  EXPECT_EQ(rows, 12);
  EXPECT_EQ(compared, 12 * static_cast<int>(header.size() - 1));
  // The combined row pools the sequences (its counts are sums).
  std::int64_t tp = 0;
  for (const auto& s : report->sequences) tp += s.clear.tp;
  EXPECT_EQ(report->combined.clear.tp, tp);
  EXPECT_NE(report->table.find("COMBINED"), std::string::npos);
}

TEST(MotEval, WritesOutputsAndReportsMissingFiles) {
  const auto dir = std::filesystem::temp_directory_path() / "monokin_eval_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "gt" / "SEQ-A" / "gt");
  std::filesystem::create_directories(dir / "pred");
  std::ofstream(dir / "gt" / "SEQ-A" / "gt" / "gt.txt")
      << "1,1,0,0,10,10,1,1,1\n2,1,0,0,10,10,1,1,1\n3,1,5,0,10,10,1,1,1\n";
  std::ofstream(dir / "gt" / "SEQ-A" / "seqinfo.ini") << "[Sequence]\nname=SEQ-A\nseqLength=3\n";
  auto missing = RunMotEval((dir / "gt").string(), (dir / "pred").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  std::ofstream(dir / "pred" / "SEQ-A.txt") << "1,3,0,0,10,10,1\n2,3,0,0,10,10,1\n";
  const auto report = RunMotEval((dir / "gt").string(), (dir / "pred").string());
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_EQ(report->sequences.size(), 1u);
  EXPECT_EQ(report->sequences[0].clear.tp, 2);
  EXPECT_EQ(report->sequences[0].clear.fn, 1);
  EXPECT_EQ(report->combined.clear.frames, 3);
  ASSERT_TRUE(WriteMotEvalOutputs(*report, (dir / "out").string()).ok());
  std::ifstream csv(dir / "out" / "detailed.csv");
  std::string header, row1, row2;
  std::getline(csv, header);
  std::getline(csv, row1);
  std::getline(csv, row2);
  EXPECT_EQ(header.rfind("seq,HOTA(0),LocA(0)", 0), 0u);
  EXPECT_EQ(row1.rfind("SEQ-A,", 0), 0u);
  EXPECT_EQ(row2.rfind("COMBINED,", 0), 0u);
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "summary.json"));
  // A tracker row past the sequence length is an error with file and line.
  std::ofstream(dir / "pred" / "SEQ-A.txt") << "1,3,0,0,10,10,1\n7,3,0,0,10,10,1\n";
  const auto bad = RunMotEval((dir / "gt").string(), (dir / "pred").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("SEQ-A.txt:2"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace monokin::eval

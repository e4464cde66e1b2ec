// SPDX-License-Identifier: Apache-2.0
// The tracker's targets of issue #6 on mot17-dev public detections, scored by the evaluator:
// combined over the 12 folders, one setting (the defaults), HOTA >= 48 and IDF1 >= 58.
#include <gtest/gtest.h>

#include <filesystem>

#include "tracker_run.h"

namespace monokin::eval {
namespace {

const std::string kMot17 = std::string(MONOKIN_SOURCE_DIR) + "/../shared/data/mot17-dev";

TEST(ByteTrackerMot17, DefaultsReachTheIssueTargetsOnlineAndOffline) {
  if (!std::filesystem::exists(kMot17 + "/train")) GTEST_SKIP() << "shared data absent: " << kMot17;
  for (bool offline : {false, true}) {
    TrackerRunOptions run;
    run.post_process = offline;
    const auto r = RunTrackerOnMotDir(kMot17, run);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->sequences.size(), 12u);
    const double hota = Mean(r->combined.hota.hota), idf1 = r->combined.identity.idf1;
    EXPECT_GE(hota, 0.48) << (offline ? "offline" : "online");
    EXPECT_GE(idf1, 0.58) << (offline ? "offline" : "online");
    // The peers' best tuned MOTA is 48.1; ours must not buy identity with detection quality.
    EXPECT_GE(r->combined.clear.mota, 0.481) << (offline ? "offline" : "online");
  }
}

}  // namespace
}  // namespace monokin::eval

// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/byte_tracker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

namespace monokin::track {
namespace {

FrameInfo At(int index, double fps = 30) {
  FrameInfo f;
  f.index = index;
  f.pts = Micros(static_cast<std::int64_t>(1e6 * index / fps));
  return f;
}

Detection Det(float x, float y, float score = 0.9f, float w = 40, float h = 100) {
  return Detection{BoxPx{x, y, w, h}, score, 0};
}

TEST(ByteTracker, RejectsBadOptions) {
  ByteTrackerOptions o;
  o.low_score = 0.8;
  o.high_score = 0.5;
  EXPECT_FALSE(MakeByteTracker(o).ok());
  o = {};
  o.confirm_hits = 0;
  EXPECT_FALSE(MakeByteTracker(o).ok());
  EXPECT_TRUE(MakeByteTracker({}).ok());
}

TEST(ByteTracker, ValidateNamesEveryBadKey) {
  ByteTrackerOptions o;
  o.new_track_score = 1.5;
  o.keep_lost_s = -1;
  o.global_motion_min_tracks = 0;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  for (const char* key : {"track.byte.new_track_score", "track.byte.keep_lost_s",
                          "track.byte.global_motion_min_tracks"}) {
    EXPECT_NE(s.message().find(key), std::string::npos) << key << " in " << s.message();
  }
}

TEST(ByteTracker, OptionsJsonRoundTrip) {
  ByteTrackerOptions o;
  o.keep_lost_s = 3.5;
  o.observation_recovery = false;
  o.confirm_hits = 4;
  nlohmann::json j = o;
  EXPECT_DOUBLE_EQ(j.at("keep_lost_s").get<double>(), 3.5);
  ByteTrackerOptions back;
  from_json(
      nlohmann::json{{"keep_lost_s", 3.5}, {"observation_recovery", false}, {"confirm_hits", 4}},
      back);
  EXPECT_DOUBLE_EQ(back.keep_lost_s, 3.5);
  EXPECT_FALSE(back.observation_recovery);
  EXPECT_EQ(back.confirm_hits, 4);
  EXPECT_DOUBLE_EQ(back.high_score, ByteTrackerOptions{}.high_score);  // absent: default
  EXPECT_EQ(j, nlohmann::json(back));
}

TEST(ByteTracker, KeepsIdsOfTwoWalkersThatCross) {
  auto t = MakeByteTracker({});
  ASSERT_TRUE(t.ok());
  std::map<int, TrackId> id_of_left;  // walker starting on the left
  TrackId left = -1, right = -1;
  for (int i = 0; i < 60; ++i) {
    const float a = 100 + 6.0f * i, b = 460 - 6.0f * i;
    std::vector<Detection> d = {Det(a, 200), Det(b, 205)};
    const auto out = (*t)->Update(At(i), d);
    if (i < 2) continue;
    ASSERT_EQ(out.size(), 2u) << i;
    for (const Track& tr : out) {
      const bool is_left = std::abs(tr.box.x - a) < std::abs(tr.box.x - b);
      if (i == 2) (is_left ? left : right) = tr.id;
      if (std::abs(a - b) > 60) {
        EXPECT_EQ(tr.id, is_left ? left : right) << "frame " << i;
      }
    }
  }
  EXPECT_NE(left, right);
}

TEST(ByteTracker, LowScoreDetectionsKeepATrackButDoNotStartOne) {
  auto t = MakeByteTracker({});
  ASSERT_TRUE(t.ok());
  std::vector<Detection> d = {Det(100, 100), Det(400, 100, 0.3f)};
  (*t)->Update(At(0), d);
  auto out = (*t)->Update(At(1), d);
  ASSERT_EQ(out.size(), 1u);  // the low-score one never starts a track
  const TrackId id = out[0].id;
  std::vector<Detection> weak = {Det(102, 100, 0.3f)};
  out = (*t)->Update(At(2), weak);  // ByteTrack's second stage keeps it
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, id);
}

TEST(ByteTracker, RecoversATrackAfterAShortOcclusion) {
  ByteTrackerOptions o;
  o.report_lost_s = 0.2;  // predicted boxes for the first 0.2 s of the occlusion only
  auto t = MakeByteTracker(o);
  ASSERT_TRUE(t.ok());
  TrackId id = -1;
  for (int i = 0; i < 40; ++i) {
    std::vector<Detection> d;
    const float x = 100 + 4.0f * i;
    if (i < 15 || i >= 25) d.push_back(Det(x, 100));  // hidden for 1/3 s
    const auto out = (*t)->Update(At(i), d);
    if (i == 10) id = out.at(0).id;
    if (i >= 25) {
      ASSERT_EQ(out.size(), 1u) << i;
      EXPECT_EQ(out[0].id, id) << i;
      EXPECT_EQ(out[0].frames_since_seen, 0);
    } else if (i >= 15 &&
               i <= 20) {  // 6 frames = 0.2 s  // reported as predicted, moving on with the person
      ASSERT_EQ(out.size(), 1u) << i;
      EXPECT_EQ(out[0].id, id);
      EXPECT_EQ(out[0].frames_since_seen, i - 14);
      EXPECT_NEAR(out[0].box.x, x, 8.0) << i;
    } else if (i > 20 && i < 25) {
      EXPECT_TRUE(out.empty()) << i;
    }
  }
}

TEST(ByteTracker, IgnoresUnusableDetectionsAndEmptyFrames) {
  auto t = MakeByteTracker({});
  ASSERT_TRUE(t.ok());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (int i = 0; i < 10; ++i) {
    std::vector<Detection> d = {Det(100, 100), Det(nan, 100), Det(300, 100, 0.9f, -5, 100),
                                Det(500, inf), Det(700, 100, nan)};
    if (i == 5) d.clear();  // an empty frame is a normal input
    const auto out = (*t)->Update(At(i), d);
    if (i >= 1) {
      ASSERT_EQ(out.size(), 1u) << i;
      EXPECT_TRUE(std::isfinite(out[0].box.x));
    }
  }
}

// Six people standing still while the camera pans one way, then swings back; one of them is
// hidden for 0.5 s during the swing. The pan is seen through the others, so the hidden one is
// looked for in the right place and keeps their id.
TEST(ByteTracker, GlobalMotionKeepsIdsThroughACameraSwing) {
  for (bool global_motion : {true, false}) {
    ByteTrackerOptions o;
    o.global_motion = global_motion;
    auto t = MakeByteTracker(o);
    ASSERT_TRUE(t.ok());
    TrackId hidden_id = -1;
    bool kept = false;
    for (int i = 0; i < 90; ++i) {
      const double s = i / 30.0;
      // 300 px/s to the right for 1 s, then 300 px/s back.
      const float pan = static_cast<float>(s < 1.0 ? 300 * s : 300 - 300 * (s - 1.0));
      std::vector<Detection> d;
      for (int p = 0; p < 6; ++p) {
        if (p == 0 && i >= 25 && i < 40) continue;  // hidden from 0.83 s to 1.33 s
        d.push_back(Det(200.0f + 150 * p - pan, 300, 0.9f, 30, 80));
      }
      const auto out = (*t)->Update(At(i), d);
      for (const Track& tr : out) {
        if (tr.frames_since_seen != 0) continue;
        const bool is_hidden_one = std::abs(tr.box.x - (200.0f - pan)) < 20;
        if (is_hidden_one && i == 20) hidden_id = tr.id;
        if (is_hidden_one && i == 45) kept = tr.id == hidden_id;
      }
    }
    if (global_motion) {
      EXPECT_TRUE(kept) << "id lost through the camera swing";
    } else {
      EXPECT_FALSE(kept) << "the scenario should be hard without global motion";
    }
  }
}

TEST(ByteTracker, SameResultAtAnyFrameRate) {
  // The same motion in seconds, sampled at 30 and 60 fps, through a 0.4 s occlusion.
  for (double fps : {30.0, 60.0}) {
    auto t = MakeByteTracker({});
    ASSERT_TRUE(t.ok());
    TrackId id = -1;
    const int n = static_cast<int>(2 * fps);
    for (int i = 0; i < n; ++i) {
      const double s = i / fps;
      std::vector<Detection> d;
      if (s < 0.8 || s >= 1.2) d.push_back(Det(static_cast<float>(100 + 150 * s), 100));
      const auto out = (*t)->Update(At(i, fps), d);
      if (s > 0.5 && id < 0 && !out.empty()) id = out[0].id;
      if (s >= 1.25) {
        ASSERT_EQ(out.size(), 1u) << fps << " " << i;
        EXPECT_EQ(out[0].frames_since_seen, 0);
        EXPECT_EQ(out[0].id, id) << fps;
      }
    }
  }
}

TEST(ByteTracker, PostProcessingInterpolatesAndRelinks) {
  std::vector<TrackedBox> rows;
  for (int f = 0; f < 10; ++f)
    rows.push_back({f, f / 30.0, 1, BoxPx{100.0f + 3 * f, 50, 40, 100}, 1});
  for (int f = 14; f < 20; ++f)
    rows.push_back({f, f / 30.0, 2, BoxPx{100.0f + 3 * f, 50, 40, 100}, 1});
  // A predicted row (from report_lost_s) is replaced by the interpolation.
  rows.push_back({10, 10 / 30.0, 1, BoxPx{500, 50, 40, 100}, 0, true});
  PostProcessOptions p;
  p.max_gap_s = 0.3;
  p.relink_max_gap_s = 0.5;
  const auto out = PostProcessTracks(rows, p);
  ASSERT_EQ(out.size(), 20u);
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].frame, static_cast<FrameIndex>(i));
    EXPECT_EQ(out[i].id, 1);
    EXPECT_NEAR(out[i].box.x, 100.0f + 3 * i, 1e-3);
  }
  p.relink_max_gap_s = 0;  // without re-linking: two tracks, no interpolation across ids
  EXPECT_EQ(PostProcessTracks(rows, p).size(), 16u);
}

TEST(ByteTracker, RelinkTracksFollowsMotionAndChainsInTimeOrder) {
  // Track 1 walks right at 90 px/s; 2 starts 1 s later where 1 would be; 3 starts after 2 where
  // 2 would be; 4 starts at the right time but far away; 5 is where 1 would be, but too late.
  std::vector<TrackedBox> rows;
  auto add = [&](TrackId id, int from, int to, float x0) {
    for (int f = from; f < to; ++f) {
      rows.push_back({f, f / 30.0, id, BoxPx{x0 + 3.0f * (f - from), 50, 40, 100}, 1});
    }
  };
  add(1, 0, 30, 100);
  add(2, 60, 90, 100 + 3 * 60);
  add(3, 120, 150, 100 + 3 * 120);
  add(4, 60, 70, 600);
  add(5, 300, 310, 100 + 3 * 300);
  PostProcessOptions p;
  p.relink_max_gap_s = 3;
  p.relink_max_distance = 0.5;
  const std::map<TrackId, TrackId> root_of = RelinkTracks(rows, p);
  EXPECT_EQ(root_of, (std::map<TrackId, TrackId>{{2, 1}, {3, 1}}));
  p.relink_max_gap_s = 0;
  EXPECT_TRUE(RelinkTracks(rows, p).empty());
}

TEST(ByteTracker, PostProcessOptionsValidateAndRoundTrip) {
  PostProcessOptions p;
  p.max_gap_s = -1;
  p.relink_max_distance = std::nan("");
  const Status s = p.Validate();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("track.offline.max_gap_s"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("track.offline.relink_max_distance"), std::string::npos);
  PostProcessOptions q;
  q.enabled = false;
  q.relink_max_gap_s = 7;
  PostProcessOptions r;
  from_json(nlohmann::json(q), r);
  EXPECT_FALSE(r.enabled);
  EXPECT_EQ(r.relink_max_gap_s, 7);
  EXPECT_TRUE(r.Validate().ok());
}

}  // namespace
}  // namespace monokin::track

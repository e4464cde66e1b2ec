// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/sort_tracker.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "monokin/core/geometry.h"
#include "monokin/track/synthetic_scene.h"

namespace monokin::track {
namespace {

using testing::MakeScene;
using testing::SceneFrame;
using testing::SceneOptions;
using testing::Walker;

Walker MakeWalker(float x, float y, float vx, float vy) {
  Walker w;
  w.start = {x, y, 40, 100};
  w.vx_pxps = vx;
  w.vy_pxps = vy;
  return w;
}

// Runs the tracker over `frames` and checks, frame by frame, the promises every tracker keeps:
// ids sorted and unique within a frame, each new id larger than every id seen before (so no
// id is ever reused), every reported track matched this frame. Returns the tracks per frame.
std::vector<std::vector<Track>> RunAndCheck(Tracker& tracker,
                                            const std::vector<SceneFrame>& frames) {
  std::vector<std::vector<Track>> out;
  std::set<TrackId> seen;
  TrackId max_seen = 0;
  for (const SceneFrame& f : frames) {
    std::vector<Track> tracks = tracker.Update(f.info, f.detections);
    for (size_t i = 0; i < tracks.size(); ++i) {
      const Track& t = tracks[i];
      EXPECT_GE(t.id, 1);
      if (i > 0) {
        EXPECT_LT(tracks[i - 1].id, t.id) << "frame " << f.info.index;
      }
      if (!seen.count(t.id)) {
        EXPECT_EQ(t.id, max_seen + 1)
            << "frame " << f.info.index << ": ids are handed out in order";
        max_seen = std::max(max_seen, t.id);
        seen.insert(t.id);
      }
      EXPECT_EQ(t.frames_since_seen, 0);
      EXPECT_GE(t.hits, 1);
      bool score_from_this_frame = false;
      for (const Detection& d : f.detections) score_from_this_frame |= d.score == t.score;
      EXPECT_TRUE(score_from_this_frame) << "frame " << f.info.index << " id " << t.id;
    }
    out.push_back(std::move(tracks));
  }
  return out;
}

// Maps walkers to the ids reported over their true boxes (IoU >= 0.5), and checks each walker
// keeps one id and no id covers two walkers. Returns walker -> ids used.
std::map<int, std::set<TrackId>> IdsPerWalker(const std::vector<Walker>& walkers,
                                              const std::vector<SceneFrame>& frames,
                                              const std::vector<std::vector<Track>>& tracks) {
  std::map<int, std::set<TrackId>> ids;
  for (size_t f = 0; f < frames.size(); ++f) {
    const double t = ToSeconds(frames[f].info.pts);
    for (const Track& track : tracks[f]) {
      for (size_t w = 0; w < walkers.size(); ++w) {
        if (walkers[w].VisibleAt(t) && IoU(track.box, walkers[w].BoxAt(t)) >= 0.5f) {
          ids[static_cast<int>(w)].insert(track.id);
        }
      }
    }
  }
  return ids;
}

TEST(SortTrackerTest, PeopleWalkingInStraightLinesKeepTheirIds) {
  const std::vector<Walker> walkers = {MakeWalker(100, 100, 60, 0), MakeWalker(300, 300, -40, 20),
                                       MakeWalker(700, 50, 0, 50), MakeWalker(900, 400, -80, -30),
                                       MakeWalker(500, 550, 30, -10)};
  SceneOptions scene;
  scene.jitter_px = 2;
  const auto frames = MakeScene(walkers, scene);
  SortTracker tracker(TrackerOptions{});
  const auto tracks = RunAndCheck(tracker, frames);
  for (size_t f = 0; f < frames.size(); ++f) EXPECT_EQ(tracks[f].size(), walkers.size()) << f;
  const auto ids = IdsPerWalker(walkers, frames, tracks);
  ASSERT_EQ(ids.size(), walkers.size());
  for (const auto& [w, set] : ids) EXPECT_EQ(set.size(), 1u) << "walker " << w;
  // Kalman-corrected boxes stay on the true boxes (jitter is +-2 px).
  const double t_end = ToSeconds(frames.back().info.pts);
  for (const Track& t : tracks.back()) {
    float best = 0;
    for (const Walker& w : walkers) best = std::max(best, IoU(t.box, w.BoxAt(t_end)));
    EXPECT_GT(best, 0.85f);
  }
}

TEST(SortTrackerTest, TwoPeopleCrossingKeepTheirIdsThroughTheOcclusion) {
  // A walks right, B walks left 10 px lower; B is hidden behind A while their boxes overlap.
  Walker a = MakeWalker(100, 200, 150, 0);
  Walker b = MakeWalker(500, 210, -150, 0);
  // Centres meet at t = (500 - 100) / 300 = 1.33 s; boxes (40 px wide) overlap for +-0.133 s.
  b.hidden_s = {{1.33 - 0.14, 1.33 + 0.14}};
  const std::vector<Walker> walkers = {a, b};
  for (double fps : {10.0, 30.0}) {
    SCOPED_TRACE(fps);
    SceneOptions scene;
    scene.fps = fps;
    scene.jitter_px = 1;
    const auto frames = MakeScene(walkers, scene);
    SortTracker tracker(TrackerOptions{});
    const auto tracks = RunAndCheck(tracker, frames);
    const auto ids = IdsPerWalker(walkers, frames, tracks);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(ids.at(0).size(), 1u);
    EXPECT_EQ(ids.at(1).size(), 1u);
    EXPECT_NE(*ids.at(0).begin(), *ids.at(1).begin());
    // After the crossing both are reported again.
    EXPECT_EQ(tracks.back().size(), 2u);
  }
}

TEST(SortTrackerTest, ShortDropoutKeepsTheIdAndLongOneStartsANewId) {
  for (double fps : {10.0, 60.0}) {  // the limit is in seconds, whatever the frame rate
    SCOPED_TRACE(fps);
    Walker w = MakeWalker(100, 100, 30, 0);
    w.hidden_s = {{1.0, 1.8}, {2.5, 4.0}};  // 0.8 s < keep_lost_s = 1 s < 1.5 s
    SceneOptions scene;
    scene.fps = fps;
    scene.duration_s = 5;
    const auto frames = MakeScene({w}, scene);
    SortTracker tracker(TrackerOptions{});
    const auto tracks = RunAndCheck(tracker, frames);
    std::map<double, TrackId> id_at;
    for (size_t f = 0; f < frames.size(); ++f) {
      const double t = ToSeconds(frames[f].info.pts);
      if (!w.VisibleAt(t)) {
        EXPECT_TRUE(tracks[f].empty()) << "only matched tracks are reported; t=" << t;
      }
      if (tracks[f].size() == 1) id_at[t] = tracks[f][0].id;
    }
    ASSERT_FALSE(id_at.empty());
    const TrackId first = id_at.begin()->second;
    const TrackId after_short = id_at.lower_bound(1.9)->second;
    const TrackId after_long = id_at.lower_bound(4.5)->second;
    EXPECT_EQ(after_short, first);
    EXPECT_GT(after_long, first);
  }
}

TEST(SortTrackerTest, ReportsFromTheFirstFrameButConfirmsLateArrivals) {
  Walker early = MakeWalker(100, 100, 0, 0);
  Walker late = MakeWalker(600, 100, 0, 0);
  late.appear_s = 1.0;
  const auto frames = MakeScene({early, late}, SceneOptions{});
  TrackerOptions options;
  options.min_hits = 3;
  SortTracker tracker(options);
  const auto tracks = RunAndCheck(tracker, frames);
  EXPECT_EQ(tracks[0].size(), 1u);  // first frames of the input: reported at once
  EXPECT_EQ(tracks[0][0].hits, 1);
  for (size_t f = 0; f < frames.size(); ++f) {
    // The late walker appears at frame 30 and is reported from its third match, frame 32.
    const size_t expected = f < 32 ? 1 : 2;
    EXPECT_EQ(tracks[f].size(), expected) << "frame " << f;
  }
  EXPECT_EQ(tracks.back().back().id, 2);
}

TEST(SortTrackerTest, OneFrameClutterNeverBecomesATrack) {
  SceneOptions scene;
  scene.clutter = 5;
  scene.clutter_score = 0.9f;
  const std::vector<Walker> walkers = {MakeWalker(100, 100, 40, 0)};
  const auto frames = MakeScene(walkers, scene);
  SortTracker tracker(TrackerOptions{});
  const auto tracks = RunAndCheck(tracker, frames);
  // After the warm-up frames only the walker is reported.
  for (size_t f = 3; f < frames.size(); ++f) {
    EXPECT_EQ(tracks[f].size(), 1u) << "frame " << f;
  }
}

TEST(SortTrackerTest, LowScoreDetectionsDoNotStartTracks) {
  Walker w = MakeWalker(100, 100, 0, 0);
  auto frames = MakeScene({w}, SceneOptions{});
  for (SceneFrame& f : frames) {
    for (Detection& d : f.detections) d.score = 0.2f;
  }
  SortTracker tracker(TrackerOptions{});  // start_score 0.5
  for (const SceneFrame& f : frames) EXPECT_TRUE(tracker.Update(f.info, f.detections).empty());
}

TEST(SortTrackerTest, EmptyAndDegenerateInputsAreNormalAnswers) {
  SortTracker tracker(TrackerOptions{});
  EXPECT_TRUE(tracker.Update({.index = 0, .pts = Micros(0)}, {}).empty());
  const std::vector<Detection> flat = {{{10, 10, 0, 50}, 0.9f, 0}};
  EXPECT_TRUE(tracker.Update({.index = 1, .pts = Micros(33'333)}, flat).empty());
}

TEST(SortTrackerTest, FramesWithoutTimestampsFallBackToIndexSteps) {
  // All pts 0: the tracker steps by kFallbackFrameS per index, so a mover is still followed.
  Walker w = MakeWalker(100, 100, 300, 0);  // 10 px per frame at 30 fps
  auto frames = MakeScene({w}, SceneOptions{});
  for (SceneFrame& f : frames) f.info.pts = Micros(0);
  SortTracker tracker(TrackerOptions{});
  std::set<TrackId> ids;
  for (const SceneFrame& f : frames) {
    for (const Track& t : tracker.Update(f.info, f.detections)) ids.insert(t.id);
  }
  EXPECT_EQ(ids, std::set<TrackId>{1});
}

TEST(SortTrackerTest, RandomCrowdsKeepTheIdPromises) {
  // Property test: many random scenes with crossings, dropouts and clutter. RunAndCheck asserts
  // unique sorted ids per frame and no reuse; here also each walker's id count stays small.
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> x(0, 1200), y(0, 600), v(-120, 120), t(0, 3);
    std::vector<Walker> walkers;
    const int n = 2 + static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      Walker w = MakeWalker(x(rng), y(rng), v(rng), v(rng));
      w.appear_s = t(rng) / 2;
      const double gap = t(rng);
      w.hidden_s = {{gap, gap + t(rng) / 6}};
      walkers.push_back(w);
    }
    SceneOptions scene;
    scene.seed = seed;
    scene.jitter_px = 3;
    scene.clutter = static_cast<int>(rng() % 3);
    scene.clutter_score = 0.6f;
    const auto frames = MakeScene(walkers, scene);
    TrackerOptions options;
    options.min_hits = 1 + static_cast<int>(rng() % 3);
    SortTracker tracker(options);
    RunAndCheck(tracker, frames);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace monokin::track

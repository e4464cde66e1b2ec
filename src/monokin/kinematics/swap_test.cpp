// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/swap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "monokin/kinematics/synthetic.h"

namespace monokin::kinematics {
namespace {

// Running side view at 30 fps, 1.4 strides/s, with noise; returns the true image skeletons.
std::vector<Skeleton> Running(int n, std::mt19937& rng, double noise_px) {
  std::normal_distribution<double> noise(0, noise_px);
  std::vector<Skeleton> out;
  for (int t = 0; t < n; ++t) {
    const double phase = 2 * std::numbers::pi * 1.4 * t / 30.0;
    Skeleton w = synth::MakeSagittalWorld(synth::RunningPose(phase), 1.75);
    Skeleton img = synth::ProjectToImage(w, 300, {200 + 3.0 * t, 400, 0});
    for (Vec3& v : img) {
      v.x += noise(rng);
      v.y += noise(rng);
    }
    out.push_back(img);
  }
  return out;
}

// Keypoints (of all groups) that sit on the wrong limb: further than half the left-right
// separation from their true position, counting only pairs more than 5 % of the leg length
// apart (closer than that, as when legs cross, the labels do not matter).
int CountWrong(const std::vector<Skeleton>& truth, const std::vector<Skeleton>& data) {
  const double leg = 0.49 * 1.75 * 300;
  int wrong = 0;
  for (size_t t = 0; t < truth.size(); ++t) {
    for (int g = 0; g < kNumLimbGroups; ++g) {
      for (int l : LeftKeypointsOf(static_cast<LimbGroup>(g))) {
        const double sep =
            std::hypot(truth[t][l].x - truth[t][l + 1].x, truth[t][l].y - truth[t][l + 1].y);
        const double err = std::hypot(data[t][l].x - truth[t][l].x, data[t][l].y - truth[t][l].y);
        if (sep > 0.05 * leg && err > 0.5 * sep) ++wrong;
      }
    }
  }
  return wrong;
}

// Injected swaps of 1..8 frames on legs and arms are undone, offline and live, except where the
// two limbs are so close (crossing) that the labels do not matter (< 5 % of leg length apart).
TEST(Swap, RepairsInjectedSwaps) {
  for (bool causal : {false, true}) {
    std::mt19937 rng(causal ? 21 : 20);
    const std::vector<Skeleton> truth = Running(600, rng, 1.5);
    std::vector<Skeleton> data = truth;
    std::uniform_int_distribution<int> start(5, 590), len(1, 8), group(1, 2);
    int injected = 0;
    std::vector<int> true_flag(600 * kNumLimbGroups, 0);
    for (int k = 0; k < 25; ++k) {
      const int s = start(rng), l = len(rng), g = group(rng);
      for (int t = s; t < std::min(600, s + l); ++t) true_flag[t * kNumLimbGroups + g] ^= 1;
    }
    std::vector<bool> inject(600 * kNumLimbGroups);
    for (size_t i = 0; i < inject.size(); ++i) inject[i] = true_flag[i] != 0;
    injected = ApplySwaps(std::span<Skeleton>(data), inject);
    ASSERT_GT(injected, 50);
    const std::vector<bool> found = DetectSwaps(data, causal);
    ApplySwaps(std::span<Skeleton>(data), found);
    ASSERT_GT(CountWrong(truth, std::vector<Skeleton>(truth.begin(), truth.end())) +
                  CountWrong(truth,
                             [&] {
                               std::vector<Skeleton> d = truth;
                               ApplySwaps(std::span<Skeleton>(d), inject);
                               return d;
                             }()),
              100);  // the injection is visible to the criterion
    const int wrong = CountWrong(truth, data);
    EXPECT_EQ(wrong, 0) << "causal " << causal;
  }
}

TEST(Swap, CleanSeriesIsLeftAlone) {
  std::mt19937 rng(4);
  std::vector<Skeleton> data = Running(300, rng, 1.0);
  const std::vector<Skeleton> truth = data;
  for (bool causal : {false, true}) {
    data = truth;
    ApplySwaps(std::span<Skeleton>(data), DetectSwaps(data, causal));
    EXPECT_EQ(CountWrong(truth, data), 0) << "causal " << causal;
  }
}

// The fast DetectSwaps (all label combinations of a frame triple at once) decides exactly as the
// plain one, on noisy runners with injected swaps, missing keypoints and depth, both modes.
TEST(Swap, FastEqualsReference) {
  std::mt19937 rng(22);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 6; ++trial) {
    std::vector<Skeleton> data = Running(300, rng, 1.0 + trial);
    for (Skeleton& s : data) {
      for (int j = 0; j < bp::kCount; ++j) {
        if (u(rng) < 0.05) s[j] = {NAN, NAN, NAN};
        if (trial % 2 == 1) s[j].z = 40 * (u(rng) - 0.5);  // depth
        if (u(rng) < 0.02) std::swap(s[j], s[MirrorKeypoint(j)]);
      }
    }
    for (bool causal : {false, true}) {
      EXPECT_EQ(DetectSwaps(data, causal), detail::DetectSwapsReference(data, causal))
          << "trial " << trial << " causal " << causal;
    }
  }
}

}  // namespace
}  // namespace monokin::kinematics

// SPDX-License-Identifier: Apache-2.0
// Left/right swap repair. Pose models sometimes label the left leg as the right one for a few
// frames (side views, legs crossing). We relabel each limb group per frame so that the
// trajectories are as continuous as possible: a two-state (keep / swap) shortest path over the
// frames, with a small penalty on swapping so that ties keep the model's labels.
#pragma once

#include <span>
#include <vector>

#include "monokin/kinematics/angles.h"

namespace monokin::kinematics {

// Keypoint groups whose left and right members swap together (left indices; right = left + 1).
enum class LimbGroup { kTorso = 0, kArms = 1, kLegs = 2 };
inline constexpr int kNumLimbGroups = 3;
std::span<const int> LeftKeypointsOf(LimbGroup g);

// swapped[t * kNumLimbGroups + g] is true when group g of frame t should be relabelled.
// `image` holds image points (x, y in px); z may carry depth in px (world z times px per metre)
// to tell apart limbs that overlap in a side view; NaN or 0 when there is none.
// Offline: the globally best labelling (Viterbi). Causal: the best labelling of frames 0..t,
// decided at t. Frames where a group has no keypoint pair are never swapped.
std::vector<bool> DetectSwaps(std::span<const Skeleton> image, bool causal);
// The same on frames read from series (series_frame.h).
std::vector<bool> DetectSwaps(const SeriesFrames& image, bool causal);

namespace detail {
// The plain form of DetectSwaps (one transition cost at a time), kept to test it against.
std::vector<bool> DetectSwapsReference(std::span<const Skeleton> image, bool causal);
}  // namespace detail

// Swaps the left/right members of the flagged groups in `frames` (image, world or any array
// indexed like a skeleton). Returns the number of flags set.
template <typename Frame>
int ApplySwaps(std::span<Frame> frames, const std::vector<bool>& swapped);

}  // namespace monokin::kinematics

namespace monokin::kinematics {
template <typename Frame>
int ApplySwaps(std::span<Frame> frames, const std::vector<bool>& swapped) {
  int n = 0;
  for (size_t t = 0; t < frames.size(); ++t) {
    for (int g = 0; g < kNumLimbGroups; ++g) {
      if (!swapped[t * kNumLimbGroups + g]) continue;
      ++n;
      for (int l : LeftKeypointsOf(static_cast<LimbGroup>(g))) {
        std::swap(frames[t][l], frames[t][l + 1]);
      }
    }
  }
  return n;
}
}  // namespace monokin::kinematics

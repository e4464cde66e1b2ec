// SPDX-License-Identifier: Apache-2.0
// Skeleton definitions: BlazePose's 33 landmarks (names and bone connections, as MediaPipe
// documents them) and the mapping from BlazePose to the 17 COCO keypoints.
//
//   PersonPose coco = ToCoco17(blazepose_pose);  // 17 keypoints in COCO order
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

#include "monokin/core/types.h"

namespace monokin::pose {

inline constexpr std::size_t kBlazePoseLandmarkCount = 33;
inline constexpr std::size_t kCocoKeypointCount = 17;

// BlazePose landmark names, index = landmark number (0 = nose ... 32 = right_foot_index).
extern const std::array<std::string_view, kBlazePoseLandmarkCount> kBlazePoseLandmarkNames;

// Bones of the BlazePose skeleton (pairs of landmark indices), MediaPipe's POSE_CONNECTIONS.
extern const std::array<std::pair<int, int>, 35> kBlazePoseConnections;

// COCO keypoint names in COCO order (0 = nose ... 16 = right_ankle).
extern const std::array<std::string_view, kCocoKeypointCount> kCocoKeypointNames;

// For each COCO keypoint, the BlazePose landmark it is taken from.
inline constexpr std::array<int, kCocoKeypointCount> kCocoFromBlazePose = {
    0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28};

// COCO's per-keypoint OKS constants (sigmas), COCO order.
extern const std::array<float, kCocoKeypointCount> kCocoSigmas;

// The 17 COCO keypoints of a BlazePose pose (33 keypoints; world points mapped too when
// present). Returns the pose unchanged when it does not have 33 keypoints.
PersonPose ToCoco17(const PersonPose& blazepose);

}  // namespace monokin::pose

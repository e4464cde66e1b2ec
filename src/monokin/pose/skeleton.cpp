// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/skeleton.h"

namespace monokin::pose {

const std::array<std::string_view, kBlazePoseLandmarkCount> kBlazePoseLandmarkNames = {
    "nose",        "left_eye_inner",  "left_eye",        "left_eye_outer", "right_eye_inner",
    "right_eye",   "right_eye_outer", "left_ear",        "right_ear",      "mouth_left",
    "mouth_right", "left_shoulder",   "right_shoulder",  "left_elbow",     "right_elbow",
    "left_wrist",  "right_wrist",     "left_pinky",      "right_pinky",    "left_index",
    "right_index", "left_thumb",      "right_thumb",     "left_hip",       "right_hip",
    "left_knee",   "right_knee",      "left_ankle",      "right_ankle",    "left_heel",
    "right_heel",  "left_foot_index", "right_foot_index"};

const std::array<std::pair<int, int>, 35> kBlazePoseConnections = {{
    {0, 1},   {1, 2},   {2, 3},   {3, 7},   {0, 4},   {4, 5},   {5, 6},   {6, 8},   {9, 10},
    {11, 12}, {11, 13}, {13, 15}, {15, 17}, {15, 19}, {15, 21}, {17, 19}, {12, 14}, {14, 16},
    {16, 18}, {16, 20}, {16, 22}, {18, 20}, {11, 23}, {12, 24}, {23, 24}, {23, 25}, {24, 26},
    {25, 27}, {26, 28}, {27, 29}, {28, 30}, {29, 31}, {30, 32}, {27, 31}, {28, 32},
}};

const std::array<std::string_view, kCocoKeypointCount> kCocoKeypointNames = {
    "nose",           "left_eye",   "right_eye",   "left_ear",   "right_ear",   "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
    "right_hip",      "left_knee",  "right_knee",  "left_ankle", "right_ankle"};

// From the COCO keypoint evaluation (cocoeval.py): sigmas per keypoint.
const std::array<float, kCocoKeypointCount> kCocoSigmas = {
    0.026f, 0.025f, 0.025f, 0.035f, 0.035f, 0.079f, 0.079f, 0.072f, 0.072f,
    0.062f, 0.062f, 0.107f, 0.107f, 0.087f, 0.087f, 0.089f, 0.089f};

PersonPose ToCoco17(const PersonPose& blazepose) {
  if (blazepose.keypoints.size() != kBlazePoseLandmarkCount) return blazepose;
  PersonPose coco;
  coco.track = blazepose.track;
  coco.score = blazepose.score;
  coco.keypoints.reserve(kCocoKeypointCount);
  for (int src : kCocoFromBlazePose) coco.keypoints.push_back(blazepose.keypoints[src]);
  if (blazepose.world.size() == kBlazePoseLandmarkCount) {
    coco.world.reserve(kCocoKeypointCount);
    for (int src : kCocoFromBlazePose) coco.world.push_back(blazepose.world[src]);
  }
  return coco;
}

}  // namespace monokin::pose

// SPDX-License-Identifier: Apache-2.0
// BlazePose's 33-keypoint skeleton as used by kinematics, and the small vector helpers the
// angle code shares.
#pragma once

#include <array>
#include <cmath>

namespace monokin::kinematics {

// BlazePose landmark indices (face points 1..10 other than those named here are unused).
namespace bp {
inline constexpr int kNose = 0;
inline constexpr int kLeftEye = 2, kRightEye = 5;
inline constexpr int kLeftEar = 7, kRightEar = 8;
inline constexpr int kLeftShoulder = 11, kRightShoulder = 12;
inline constexpr int kLeftElbow = 13, kRightElbow = 14;
inline constexpr int kLeftWrist = 15, kRightWrist = 16;
inline constexpr int kLeftPinky = 17, kRightPinky = 18;
inline constexpr int kLeftIndex = 19, kRightIndex = 20;
inline constexpr int kLeftThumb = 21, kRightThumb = 22;
inline constexpr int kLeftHip = 23, kRightHip = 24;
inline constexpr int kLeftKnee = 25, kRightKnee = 26;
inline constexpr int kLeftAnkle = 27, kRightAnkle = 28;
inline constexpr int kLeftHeel = 29, kRightHeel = 30;
inline constexpr int kLeftToe = 31, kRightToe = 32;  // "foot index"
inline constexpr int kCount = 33;
}  // namespace bp

// Names used for markers (.trc) and columns, in BlazePose order.
inline constexpr std::array<const char*, bp::kCount> kKeypointNames = {
    "nose",        "left_eye_inner",  "left_eye",       "left_eye_outer", "right_eye_inner",
    "right_eye",   "right_eye_outer", "left_ear",       "right_ear",      "mouth_left",
    "mouth_right", "left_shoulder",   "right_shoulder", "left_elbow",     "right_elbow",
    "left_wrist",  "right_wrist",     "left_pinky",     "right_pinky",    "left_index",
    "right_index", "left_thumb",      "right_thumb",    "left_hip",       "right_hip",
    "left_knee",   "right_knee",      "left_ankle",     "right_ankle",    "left_heel",
    "right_heel",  "left_toe",        "right_toe"};

// The mirror of each keypoint (left <-> right); the nose maps to itself.
constexpr int MirrorKeypoint(int k) {
  if (k >= 1 && k <= 3) return k + 3;
  if (k >= 4 && k <= 6) return k - 3;
  if (k == 7 || k == 9) return k + 1;
  if (k == 8 || k == 10) return k - 1;
  if (k >= 11) return (k % 2 == 1) ? k + 1 : k - 1;
  return k;
}

struct Vec3 {
  double x = 0, y = 0, z = 0;
};
inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3 operator*(double s, Vec3 a) { return {s * a.x, s * a.y, s * a.z}; }
inline double Dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3 Cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline double Norm(Vec3 a) { return std::sqrt(Dot(a, a)); }
inline bool Finite(Vec3 a) {
  return std::isfinite(a.x) && std::isfinite(a.y) && std::isfinite(a.z);
}
inline Vec3 Mid(Vec3 a, Vec3 b) { return {(a.x + b.x) / 2, (a.y + b.y) / 2, (a.z + b.z) / 2}; }

}  // namespace monokin::kinematics

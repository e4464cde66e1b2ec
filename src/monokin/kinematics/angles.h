// SPDX-License-Identifier: Apache-2.0
// Joint and segment angles of one skeleton (one frame), in 2D (image plane) and 3D (world
// landmarks). Conventions are in README.md (table); every angle comes from atan2 forms. Values
// are degrees, NaN when a needed keypoint is missing; series are unwrapped by the caller.
//
//   Skeleton s = ...;                      // 33 points, NaN where unknown
//   std::array<double, kNumJointAngles> j;
//   JointAngles2D(s, /*facing=*/+1, j);    // j[JointAngleIndex("knee_left")] ...
#pragma once

#include <array>
#include <span>
#include <string_view>

#include "monokin/kinematics/skeleton.h"

namespace monokin::kinematics {

// 2D: (x_px, y_px, 0) image pixels, y down. 3D: world metres, x right, y down, z to camera.
using Skeleton = std::array<Vec3, bp::kCount>;
// A skeleton / consecutive skeletons read in place from per-coordinate series
// (series_frame.h). The functions below that take a Skeleton also take these (same code).
struct SeriesFrame;
struct SeriesFrames;

inline constexpr int kNumJointAngles = 14;
inline constexpr int kNumSegmentAngles = 13;
inline constexpr std::array<std::string_view, kNumJointAngles> kJointAngleNames = {
    "ankle_left", "ankle_right",   "knee_left",      "knee_right", "hip_left",
    "hip_right",  "shoulder_left", "shoulder_right", "elbow_left", "elbow_right",
    "wrist_left", "wrist_right",   "trunk",          "pelvis"};
inline constexpr std::array<std::string_view, kNumSegmentAngles> kSegmentAngleNames = {
    "foot_left",   "foot_right", "shank_left", "shank_right",  "thigh_left",
    "thigh_right", "arm_left",   "arm_right",  "forearm_left", "forearm_right",
    "pelvis",      "trunk",      "shoulders"};

// Index of a name in kJointAngleNames / kSegmentAngleNames, or -1.
int JointAngleIndex(std::string_view name);
int SegmentAngleIndex(std::string_view name);

// Signed sagittal-style joint angles in the image plane, wrapped to (-180, 180].
// `facing` is +1 when the athlete faces image right (+x), -1 when facing left: the image is
// mirrored for left-facing athletes so that flexion is positive either way.
void JointAngles2D(const Skeleton& s, double facing, std::span<double, kNumJointAngles> out);

// JointAngles2D(s, facing, joint) and SegmentAngles2D(s, segment) in one go (they share the
// segment directions); the same values.
void Angles2D(const Skeleton& s, double facing, std::span<double, kNumJointAngles> joint,
              std::span<double, kNumSegmentAngles> segment);

// Unsigned joint angles between the 3D segments (0 = neutral), plus signed trunk lean from the
// vertical and pelvis obliquity. Magnitudes equal the 2D ones when the movement lies in the
// image plane and is in the positive range.
void JointAngles3D(const Skeleton& s, std::span<double, kNumJointAngles> out);

// Image-plane segment directions against the image horizontal, counter-clockwise positive
// (y up), in (-180, 180].
void SegmentAngles2D(const Skeleton& s, std::span<double, kNumSegmentAngles> out);

// Elevation of each 3D segment above the horizontal plane, -90..90 (positive = pointing up).
void SegmentAngles3D(const Skeleton& s, std::span<double, kNumSegmentAngles> out);

// std::atan2(y, x) for finite arguments, within a few units in the last place (tested), and
// several times faster (inlined table + short series; what every angle here uses).
double Atan2(double y, double x);

// Which way the athlete faces in the image over a series of 2D skeletons: +1 right, -1 left,
// from the median sign of toe-minus-heel (then nose-minus-ears). `confidence` (0..1) says how
// consistent the frames agree; near 0 means a frontal view (the sign is then +1 by default).
double FacingDirection(std::span<const Skeleton> frames, double* confidence = nullptr);
double FacingDirection(const SeriesFrames& frames, double* confidence = nullptr);

}  // namespace monokin::kinematics

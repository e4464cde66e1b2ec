// SPDX-License-Identifier: Apache-2.0
// Body model: stature measured on the 2D pose (for a metric scale without calibration) and the
// centre of mass from de Leva's segment parameters.
#pragma once

#include <span>

#include "monokin/kinematics/angles.h"

namespace monokin::kinematics {

// Stature of one skeleton in its own units, from the chain heel-ankle, ankle-knee, knee-hip
// (sides averaged), mid-hip to mid-shoulder and mid-shoulder to mid-eye, which spans 0.936 of
// stature (Drillis & Contini proportions: eye height 0.936 H). NaN when a link is missing.
double StatureOf(const Skeleton& s);
double StatureOf(const SeriesFrame& s);  // the same for a frame of series

struct StatureMeasurement {
  double height = 0;     // in the skeleton's units (px); 0 when nothing could be measured
  int frames = 0;        // frames the measurement used
  bool upright = false;  // true when a calm upright stretch was found
};

// Stature of an athlete over a 2D series sampled at fs_hz. Prefers frames that are upright and
// calm: trunk within 15 deg of vertical, both knees and hips within 15 deg of straight, mid-hip
// moving less than 0.5 statures per second, in stretches of at least 0.3 s; their median. With
// fewer than 5 such frames, the 90th percentile over all complete frames (bent poses only
// shorten the chain), with upright = false.
StatureMeasurement MeasureStature(std::span<const Skeleton> image, double fs_hz);
StatureMeasurement MeasureStature(const SeriesFrames& image, double fs_hz);

enum class Sex { kMale, kFemale };

// Whole-body centre of mass of one skeleton (2D or 3D, any units) from de Leva (1996, J.
// Biomech. 29:1223) segment masses and longitudinal centre-of-mass positions. Segment end
// points approximated by BlazePose landmarks: head = mid-ears (its centre of mass), trunk from
// mid-shoulder (for C7) to mid-hip, hand from the wrist to mid(index, pinky) (for MET3), foot
// heel to toe. NaN when the head, trunk, a thigh or a shank is missing; missing arms, hands and
// feet are left out and the remaining masses renormalised.
Vec3 CentreOfMass(const Skeleton& s, Sex sex = Sex::kMale);

}  // namespace monokin::kinematics

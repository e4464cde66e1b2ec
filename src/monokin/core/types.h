// SPDX-License-Identifier: Apache-2.0
// Plain data that the stages hand along the pipeline. No behaviour beyond small accessors;
// every field states its unit and coordinate frame. Image coordinates: pixels, origin at the
// top-left corner, x right, y down.
#pragma once

#include <chrono>
#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <vector>

namespace monokin {

using FrameIndex = std::int64_t;  // 0-based order of decoded frames
using TrackId = std::int32_t;     // one person, whole run; never reused; -1 = none
using Micros = std::chrono::microseconds;

inline double ToSeconds(Micros t) { return std::chrono::duration<double>(t).count(); }

struct FrameInfo {
  FrameIndex index = 0;
  Micros pts{0};  // presentation time from the start of the input (container time, not index/fps)
  int width_px = 0, height_px = 0;
};

// One decoded picture. `bgr` is 8-bit, 3 channels, already rotated upright.
// cv::Mat shares its buffer on copy; stages must not write into a frame they received.
struct Frame {
  FrameInfo info;
  cv::Mat bgr;
};

struct BoxPx {  // axis-aligned box in image pixels; (x, y) is the top-left corner
  float x = 0, y = 0, w = 0, h = 0;
  float cx() const { return x + w / 2; }
  float cy() const { return y + h / 2; }
  float area() const { return w > 0 && h > 0 ? w * h : 0.0f; }
  bool operator==(const BoxPx&) const = default;
};

struct Detection {
  BoxPx box;
  float score = 0;   // detector confidence, 0..1
  int class_id = 0;  // 0 = person (COCO numbering)
};

struct Track {
  TrackId id = -1;
  BoxPx box;                  // the tracker's estimate for this frame
  float score = 0;            // score of the detection matched this frame, 0..1
  int hits = 0;               // frames with a matched detection since the track began
  int frames_since_seen = 0;  // 0 when a detection was matched this frame
};

struct Keypoint {
  float x_px = 0, y_px = 0;
  float z_px = 0;        // depth relative to the hips, same scale as x (BlazePose); 0 if unknown
  float visibility = 0;  // 0..1, probability the point is visible in the image
  float presence = 0;    // 0..1, probability the point is inside the image
};

struct WorldPoint {  // metres, origin between the hips, x right, y down, z towards the camera
  float x_m = 0, y_m = 0, z_m = 0;
};

struct PersonPose {
  TrackId track = -1;
  float score = 0;                  // pose presence, 0..1
  std::vector<Keypoint> keypoints;  // skeleton order of the model (BlazePose: 33)
  std::vector<WorldPoint> world;    // same order; empty when the model has no 3D output
};

// Everything known about one athlete in one frame.
struct Athlete {
  TrackId id = -1;
  BoxPx box;
  float score = 0;  // detection score, 0..1
  std::optional<PersonPose> pose;
  int frames_since_seen = 0;  // > 0: not detected this frame; `box` is the tracker's prediction
};

// Everything known about one frame: what the writers receive.
struct FrameResult {
  FrameInfo frame;
  std::vector<Detection> detections;  // raw detector output (before tracking)
  std::vector<Athlete> athletes;      // tracked athletes, ordered by id
};

}  // namespace monokin

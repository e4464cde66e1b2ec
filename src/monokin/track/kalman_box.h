// SPDX-License-Identifier: Apache-2.0
// Constant-velocity Kalman filter on one image box, with time steps in seconds so that it does
// not depend on the frame rate. Shared by the trackers of this folder.
//
//   KalmanBox kf(first_box);        // velocities start at 0, with a wide uncertainty
//   kf.Predict(dt_s);               // every frame, before matching
//   kf.Update(matched_box);         // when a detection was matched
//   BoxPx estimate = kf.box();
#pragma once

#include <Eigen/Core>

#include "monokin/core/types.h"

namespace monokin::track {

// Noise levels, as fractions of the box size (so that near and far people behave alike).
// The defaults equal DeepSORT's per-frame values (1/20 of the height for position and the
// measurement, 1/160 per frame for velocity) converted to rates at 30 fps.
struct KalmanBoxNoise {
  // What "x size" below means for each state component.
  enum class Scale {
    kHeight,   // the box height for every component (DeepSORT)
    kPerAxis,  // the width for cx, w and their rates, the height for cy, h and theirs
               // (BoT-SORT): horizontal noise follows the width of narrow boxes
  };
  double measurement = 0.05;       // std of a measured cx, cy, w, h, x size
  double process_position = 0.27;  // std growth of cx, cy, w, h per sqrt(second), x size
  double process_velocity = 1.0;   // std growth of the velocities per sqrt(second), x size/s
  double initial_position = 0.1;   // std of the first box, x size
  double initial_velocity = 2.0;   // std of the unknown first velocity, x size/s
  Scale scale = Scale::kHeight;
};

// State x = (cx, cy, w, h, vcx, vcy, vw, vh): centre and size in pixels, their rates in
// pixels per second. Measurement z = (cx, cy, w, h). Constant velocity: x' = F(dt) x with
// white process noise Q = diag(sigma^2) * dt, so variance grows linearly with elapsed time.
class KalmanBox {
 public:
  using State = Eigen::Matrix<double, 8, 1>;
  using Covariance = Eigen::Matrix<double, 8, 8>;
  using Measurement = Eigen::Matrix<double, 4, 1>;

  explicit KalmanBox(const BoxPx& box, const KalmanBoxNoise& noise = {});

  // Moves the state `dt_s` seconds ahead (dt_s >= 0; 0 leaves it unchanged). Sizes are kept at
  // least 1 px: a shrinking box stops shrinking instead of turning inside out.
  void Predict(double dt_s);
  // Corrects the state with a measured box (w, h > 0).
  void Update(const BoxPx& measured);

  // Moves the estimated centre by (dx, dy) pixels, e.g. for a camera motion seen elsewhere.
  void Shift(double dx_px, double dy_px);
  // Moves the state with the camera. `affine` (2x3, [A | t]) maps the previous frame's pixels
  // to this frame's: the centre goes through it, the centre velocity through A, width, height
  // and their rates scale by sqrt|det A|; the covariance is transformed the same way.
  void Warp(const Eigen::Matrix<double, 2, 3>& affine);
  // Sets the rates of width and height to 0: the box keeps its size from now on (a lost
  // track's box should not keep growing or shrinking).
  void HoldSize();

  // The current estimate as a box (w, h >= 1 px).
  BoxPx box() const;
  // Centre velocity, pixels per second.
  double vx_pxps() const { return x_(4); }
  double vy_pxps() const { return x_(5); }

  // Squared Mahalanobis distance of `measured` from the predicted measurement, in units of
  // its covariance (chi-square with 4 degrees of freedom: 9.49 is the 95 % gate).
  double SquaredMahalanobis(const BoxPx& measured) const;

  const State& state() const { return x_; }
  const Covariance& covariance() const { return p_; }

 private:
  static Measurement ToMeasurement(const BoxPx& b);
  // The size each of cx, cy, w, h (and its rate) is measured against, >= 1 px.
  Eigen::Array4d Scales(double w, double h) const;
  Eigen::Matrix4d MeasurementCovariance() const;

  KalmanBoxNoise noise_;
  State x_;
  Covariance p_;
};

}  // namespace monokin::track

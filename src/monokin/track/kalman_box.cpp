// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/kalman_box.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

#include "monokin/core/check.h"

namespace monokin::track {
namespace {

constexpr double kMinSizePx = 1.0;

}  // namespace

KalmanBox::KalmanBox(const BoxPx& box, const KalmanBoxNoise& noise) : noise_(noise) {
  x_.setZero();
  x_.head<4>() = ToMeasurement(box);
  const Eigen::Array4d s = Scales(box.w, box.h);
  State sigma;
  sigma << (noise_.initial_position * s).matrix(), (noise_.initial_velocity * s).matrix();
  p_ = sigma.array().square().matrix().asDiagonal();
}

Eigen::Array4d KalmanBox::Scales(double w, double h) const {
  w = std::max(w, kMinSizePx);
  h = std::max(h, kMinSizePx);
  if (noise_.scale == KalmanBoxNoise::Scale::kPerAxis) return Eigen::Array4d(w, h, w, h);
  return Eigen::Array4d::Constant(h);
}

KalmanBox::Measurement KalmanBox::ToMeasurement(const BoxPx& b) {
  return Measurement(b.cx(), b.cy(), b.w, b.h);
}

void KalmanBox::Predict(double dt_s) {
  MK_CHECK(dt_s >= 0) << "dt_s " << dt_s;
  if (dt_s == 0) return;
  // F = [I dt*I; 0 I]; P' = F P F^T + Q, written blockwise to skip the multiplications by 0/1.
  x_.head<4>() += dt_s * x_.tail<4>();
  const Eigen::Matrix4d a = p_.topLeftCorner<4, 4>(), b = p_.topRightCorner<4, 4>(),
                        c = p_.bottomLeftCorner<4, 4>(), d = p_.bottomRightCorner<4, 4>();
  p_.topLeftCorner<4, 4>() = a + dt_s * (b + c) + dt_s * dt_s * d;
  p_.topRightCorner<4, 4>() = b + dt_s * d;
  p_.bottomLeftCorner<4, 4>() = c + dt_s * d;
  const Eigen::Array4d s = Scales(x_(2), x_(3));
  const Eigen::Array4d qp = noise_.process_position * s, qv = noise_.process_velocity * s;
  p_.diagonal().head<4>().array() += qp * qp * dt_s;
  p_.diagonal().tail<4>().array() += qv * qv * dt_s;
  for (int i : {2, 3}) {
    if (x_(i) < kMinSizePx) {
      x_(i) = kMinSizePx;
      x_(i + 4) = 0;
    }
  }
}

Eigen::Matrix4d KalmanBox::MeasurementCovariance() const {
  const Eigen::Array4d r = noise_.measurement * Scales(x_(2), x_(3));
  Eigen::Matrix4d s = p_.topLeftCorner<4, 4>();
  s.diagonal().array() += r * r;
  return s;
}

void KalmanBox::Update(const BoxPx& measured) {
  // H = [I 0]: innovation covariance S = P_zz + R, gain K = P[:, z] S^-1.
  const Eigen::Matrix4d s = MeasurementCovariance();
  const Eigen::Matrix<double, 8, 4> pht = p_.leftCols<4>();
  const Eigen::Matrix<double, 8, 4> k = s.ldlt().solve(pht.transpose()).transpose();
  x_ += k * (ToMeasurement(measured) - x_.head<4>());
  // P - K S K^T, written as P - K (P H^T)^T; symmetric up to rounding, which stays small.
  p_ -= k * pht.transpose();
}

void KalmanBox::Shift(double dx_px, double dy_px) {
  x_(0) += dx_px;
  x_(1) += dy_px;
}

void KalmanBox::Warp(const Eigen::Matrix<double, 2, 3>& affine) {
  const Eigen::Matrix2d a = affine.leftCols<2>();
  const double det = a(0, 0) * a(1, 1) - a(0, 1) * a(1, 0);
  MK_CHECK(affine.allFinite() && det != 0) << "degenerate camera motion, det " << det;
  // x' = T x + (t, 0, ...): the centre and its rate go through A, sizes and their rates scale
  // by the zoom sqrt|det A| (a box stays axis-aligned, so a rotation only moves its centre).
  const double zoom = std::sqrt(std::abs(det));
  Covariance t = Covariance::Zero();
  t.block<2, 2>(0, 0) = a;
  t.block<2, 2>(4, 4) = a;
  t.diagonal().segment<2>(2).setConstant(zoom);
  t.diagonal().segment<2>(6).setConstant(zoom);
  x_ = t * x_;
  x_.head<2>() += affine.col(2);
  p_ = t * p_ * t.transpose();
  p_ = 0.5 * (p_ + p_.transpose()).eval();  // exactly symmetric despite rounding
  for (int i : {2, 3}) x_(i) = std::max(x_(i), kMinSizePx);
}

void KalmanBox::HoldSize() {
  x_(6) = 0;
  x_(7) = 0;
}

BoxPx KalmanBox::box() const {
  const double w = std::max(x_(2), kMinSizePx), h = std::max(x_(3), kMinSizePx);
  return {static_cast<float>(x_(0) - w / 2), static_cast<float>(x_(1) - h / 2),
          static_cast<float>(w), static_cast<float>(h)};
}

double KalmanBox::SquaredMahalanobis(const BoxPx& measured) const {
  const Measurement d = ToMeasurement(measured) - x_.head<4>();
  return d.dot(MeasurementCovariance().ldlt().solve(d));
}

}  // namespace monokin::track

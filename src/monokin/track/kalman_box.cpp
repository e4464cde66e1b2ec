// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/kalman_box.h"

#include <Eigen/Cholesky>
#include <algorithm>

#include "monokin/core/check.h"

namespace monokin::track {
namespace {

constexpr double kMinSizePx = 1.0;

}  // namespace

KalmanBox::KalmanBox(const BoxPx& box, const KalmanBoxNoise& noise) : noise_(noise) {
  x_.setZero();
  x_.head<4>() = ToMeasurement(box);
  const double h = std::max<double>(box.h, kMinSizePx);
  const double p = noise_.initial_position * h, v = noise_.initial_velocity * h;
  State sigma;
  sigma << p, p, p, p, v, v, v, v;
  p_ = sigma.array().square().matrix().asDiagonal();
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
  const double h = std::max(x_(3), kMinSizePx);
  const double qp = noise_.process_position * h, qv = noise_.process_velocity * h;
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
  const double r = noise_.measurement * std::max(x_(3), kMinSizePx);
  return (Eigen::Matrix4d::Identity() * (r * r)) + p_.topLeftCorner<4, 4>();
}

void KalmanBox::Update(const BoxPx& measured) {
  // H = [I 0]: innovation covariance S = P_zz + R, gain K = P[:, z] S^-1.
  const Eigen::Matrix4d s = MeasurementCovariance();
  const Eigen::Matrix<double, 8, 4> pht = p_.leftCols<4>();
  const Eigen::Matrix<double, 4, 8> k_t = s.ldlt().solve(pht.transpose());  // (P H^T S^-1)^T
  const Measurement innovation = ToMeasurement(measured) - x_.head<4>();
  x_ += k_t.transpose() * innovation;
  p_ -= k_t.transpose() * pht.transpose();
  p_ = (p_ + p_.transpose()) / 2;  // keep it symmetric against rounding drift
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

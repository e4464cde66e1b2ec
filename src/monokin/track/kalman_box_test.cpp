// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/kalman_box.h"

#include <gtest/gtest.h>

namespace monokin::track {
namespace {

// A box moving at constant rates (px/s) from `start`.
BoxPx MovingBox(const BoxPx& start, double vcx, double vcy, double vw, double vh, double t) {
  const double w = start.w + vw * t, h = start.h + vh * t;
  const double cx = start.cx() + vcx * t, cy = start.cy() + vcy * t;
  return {static_cast<float>(cx - w / 2), static_cast<float>(cy - h / 2), static_cast<float>(w),
          static_cast<float>(h)};
}

void ExpectBoxNear(const BoxPx& a, const BoxPx& b, float tol_px) {
  EXPECT_NEAR(a.x, b.x, tol_px);
  EXPECT_NEAR(a.y, b.y, tol_px);
  EXPECT_NEAR(a.w, b.w, tol_px);
  EXPECT_NEAR(a.h, b.h, tol_px);
}

TEST(KalmanBoxTest, StartsAtTheFirstBoxAtRest) {
  const BoxPx b{10, 20, 40, 100};
  KalmanBox kf(b);
  ExpectBoxNear(kf.box(), b, 1e-4f);
  EXPECT_EQ(kf.vx_pxps(), 0);
  kf.Predict(0.0);
  ExpectBoxNear(kf.box(), b, 1e-4f);
}

TEST(KalmanBoxTest, PredictsAConstantVelocityBoxExactlyAfterConvergence) {
  const BoxPx start{100, 50, 40, 100};
  const double vcx = 120, vcy = -30, vw = 4, vh = 10;  // px/s
  for (double fps : {10.0, 30.0, 60.0}) {
    SCOPED_TRACE(fps);
    const double dt = 1 / fps;
    KalmanBox kf(start);
    double t = 0;
    for (int i = 1; i <= static_cast<int>(4 * fps); ++i) {  // 4 seconds of exact measurements
      t = i * dt;
      kf.Predict(dt);
      kf.Update(MovingBox(start, vcx, vcy, vw, vh, t));
    }
    EXPECT_NEAR(kf.vx_pxps(), vcx, 0.05);
    EXPECT_NEAR(kf.vy_pxps(), vcy, 0.05);
    ExpectBoxNear(kf.box(), MovingBox(start, vcx, vcy, vw, vh, t), 0.01f);
    kf.Predict(0.5);  // half a second with no measurement
    ExpectBoxNear(kf.box(), MovingBox(start, vcx, vcy, vw, vh, t + 0.5), 0.05f);
  }
}

TEST(KalmanBoxTest, UncertaintyGrowsWithPredictionAndShrinksWithUpdate) {
  KalmanBox kf({0, 0, 50, 100});
  const double p0 = kf.covariance()(0, 0);
  kf.Predict(0.1);
  const double p1 = kf.covariance()(0, 0);
  EXPECT_GT(p1, p0);
  kf.Predict(0.1);
  EXPECT_GT(kf.covariance()(0, 0), p1);
  const double before = kf.covariance()(0, 0);
  kf.Update({0, 0, 50, 100});
  EXPECT_LT(kf.covariance()(0, 0), before);
  // Symmetric and positive on the diagonal.
  EXPECT_TRUE(kf.covariance().isApprox(kf.covariance().transpose()));
  EXPECT_GT(kf.covariance().diagonal().minCoeff(), 0);
}

TEST(KalmanBoxTest, MeasurementPullsTheEstimatePartWayWhenUncertain) {
  KalmanBox kf({0, 0, 50, 100});
  kf.Predict(1 / 30.0);
  kf.Update({10, 0, 50, 100});  // measured 10 px right
  EXPECT_GT(kf.box().x, 0.5f);
  EXPECT_LT(kf.box().x, 10.0f);
}

TEST(KalmanBoxTest, ShrinkingBoxNeverTurnsInsideOut) {
  KalmanBox kf({0, 0, 50, 100});
  for (int i = 1; i <= 30; ++i) {
    kf.Predict(0.1);
    kf.Update({0, 0, 50.0f - 1.5f * i, 100.0f - 3.0f * i});  // shrinks 15 px/s, 30 px/s
  }
  kf.Predict(10.0);  // long enough to pass through zero at the learnt rate
  EXPECT_GE(kf.box().w, 1.0f);
  EXPECT_GE(kf.box().h, 1.0f);
}

TEST(KalmanBoxTest, MahalanobisIsZeroAtTheEstimateAndGrowsWithDistance) {
  KalmanBox kf({100, 100, 40, 100});
  kf.Predict(0.1);
  EXPECT_NEAR(kf.SquaredMahalanobis(kf.box()), 0.0, 1e-9);
  const double near = kf.SquaredMahalanobis({105, 100, 40, 100});
  const double far = kf.SquaredMahalanobis({130, 100, 40, 100});
  EXPECT_GT(near, 0);
  EXPECT_GT(far, near);
}

TEST(KalmanBoxTest, PerAxisNoiseScalesHorizontalComponentsByTheWidth) {
  const BoxPx b{0, 0, 40, 100};  // a standing person: narrow box
  KalmanBoxNoise per_axis;
  per_axis.scale = KalmanBoxNoise::Scale::kPerAxis;
  KalmanBox narrow(b, per_axis), height(b);
  // Initial position std 0.1 x width for cx and w, 0.1 x height for cy and h.
  EXPECT_NEAR(narrow.covariance()(0, 0), 4.0 * 4.0, 1e-9);
  EXPECT_NEAR(narrow.covariance()(1, 1), 10.0 * 10.0, 1e-9);
  EXPECT_NEAR(height.covariance()(0, 0), 10.0 * 10.0, 1e-9);
  // Process noise follows the same split: after one second of prediction the horizontal
  // variance grew by (w/h)^2 as much as the vertical one, apart from the velocity terms.
  const double x0 = narrow.covariance()(0, 0), y0 = narrow.covariance()(1, 1);
  const double vx0 = narrow.covariance()(4, 4), vy0 = narrow.covariance()(5, 5);
  narrow.Predict(1.0);
  EXPECT_NEAR(narrow.covariance()(0, 0) - x0 - vx0, 0.16 * (narrow.covariance()(1, 1) - y0 - vy0),
              1e-6);
  // So a 10 px horizontal miss is less likely for the narrow box than under height scaling.
  height.Predict(1.0);
  const BoxPx miss{10, 0, 40, 100};
  EXPECT_GT(narrow.SquaredMahalanobis(miss), 2 * height.SquaredMahalanobis(miss));
}

TEST(KalmanBoxTest, ShiftMovesTheCentreAndHoldSizeStopsSizeChanges) {
  const BoxPx start{100, 50, 40, 100};
  KalmanBox kf(start);
  for (int i = 1; i <= 60; ++i) {
    kf.Predict(1.0 / 30);
    kf.Update(MovingBox(start, 60, 0, 6, 15, i / 30.0));
  }
  const BoxPx before = kf.box();
  kf.Shift(7, -3);
  EXPECT_NEAR(kf.box().cx(), before.cx() + 7, 1e-3);
  EXPECT_NEAR(kf.box().cy(), before.cy() - 3, 1e-3);
  EXPECT_NEAR(kf.box().w, before.w, 1e-3);
  EXPECT_GT(kf.state()(7), 10);  // the box is growing
  kf.HoldSize();
  kf.Predict(1.0);
  EXPECT_NEAR(kf.box().w, before.w, 1e-3);
  EXPECT_NEAR(kf.box().h, before.h, 1e-3);
  EXPECT_NEAR(kf.box().cx(), before.cx() + 7 + 60, 3);  // the centre keeps moving
}

}  // namespace
}  // namespace monokin::track

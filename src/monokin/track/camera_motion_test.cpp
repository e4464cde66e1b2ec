// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/camera_motion.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "monokin/track/kalman_box.h"

namespace monokin::track {
namespace {

// OpenCV's sample clip: a static camera over a walkway, 768x576 at 10 fps, people walking.
constexpr const char* kVtestPath = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
constexpr int kVtestWidth = 768, kVtestHeight = 576;
constexpr double kVtestFps = 10;
constexpr int kFramesNeeded = 62;

// The first kFramesNeeded frames of vtest.avi, decoded once. The test target links no
// video module, so the frames come through the ffmpeg command line as raw BGR; empty when
// the clip or ffmpeg is missing.
const std::vector<cv::Mat>& VtestFrames() {
  static const std::vector<cv::Mat> frames = [] {
    std::vector<cv::Mat> out;
    if (!std::filesystem::exists(kVtestPath)) return out;
    const std::string command = std::string("ffmpeg -v error -nostdin -i ") + kVtestPath +
                                " -frames:v " + std::to_string(kFramesNeeded) +
                                " -f rawvideo -pix_fmt bgr24 - 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    for (int i = 0; i < kFramesNeeded; ++i) {
      cv::Mat f(kVtestHeight, kVtestWidth, CV_8UC3);
      if (std::fread(f.data, 1, f.total() * f.elemSize(), pipe) != f.total() * f.elemSize()) {
        break;
      }
      out.push_back(f);
    }
    pclose(pipe);
    if (out.size() != static_cast<size_t>(kFramesNeeded)) out.clear();
    return out;
  }();
  return frames;
}

#define MK_NEED_VTEST()                                                                  \
  if (VtestFrames().empty()) {                                                           \
    GTEST_SKIP() << "needs " << kVtestPath << " (Debian package opencv-doc) and ffmpeg"; \
  }

FrameInfo Info(int index, double fps, const cv::Mat& image) {
  FrameInfo f;
  f.index = index;
  f.pts = Micros(std::llround(index * 1e6 / fps));
  f.width_px = image.cols;
  f.height_px = image.rows;
  return f;
}

// Rotation by `deg` and zoom by `zoom` about (cx, cy), then a shift by (tx, ty).
cv::Matx23d Similarity(double deg, double zoom, double cx, double cy, double tx, double ty) {
  const cv::Mat r = cv::getRotationMatrix2D(
      cv::Point2f(static_cast<float>(cx), static_cast<float>(cy)), deg, zoom);
  cv::Matx23d m(r);
  m(0, 2) += tx;
  m(1, 2) += ty;
  return m;
}

// What a camera sees of `full` through a `size` window at `offset` after it moved by `motion`
// (content at x in the unmoved view appears at motion(x)). Bilinear resampling of a real frame.
cv::Mat View(const cv::Mat& full, cv::Point offset, cv::Size size,
             const cv::Matx23d& motion = cv::Matx23d(1, 0, 0, 0, 1, 0)) {
  cv::Matx23d inverse;
  cv::invertAffineTransform(motion, inverse);
  inverse(0, 2) += offset.x;
  inverse(1, 2) += offset.y;
  cv::Mat out;
  cv::warpAffine(full, out, inverse, size, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP);
  return out;
}

// The largest distance between where `a` and `b` send the corners of a w x h frame.
double CornerErrorPx(const cv::Matx23d& a, const cv::Matx23d& b, double w, double h) {
  double most = 0;
  for (const auto& [x, y] : {std::pair{0.0, 0.0}, {w, 0.0}, {0.0, h}, {w, h}}) {
    const double dx = (a(0, 0) - b(0, 0)) * x + (a(0, 1) - b(0, 1)) * y + a(0, 2) - b(0, 2);
    const double dy = (a(1, 0) - b(1, 0)) * x + (a(1, 1) - b(1, 1)) * y + a(1, 2) - b(1, 2);
    most = std::max(most, std::hypot(dx, dy));
  }
  return most;
}

// Boxes around what moved between two frames of a static camera (the walking people), from
// the thresholded frame difference, in the frames' pixels.
std::vector<BoxPx> MovingRegions(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat ga, gb, diff, labels, stats, centroids;
  cv::cvtColor(a, ga, cv::COLOR_BGR2GRAY);
  cv::cvtColor(b, gb, cv::COLOR_BGR2GRAY);
  cv::absdiff(ga, gb, diff);
  cv::threshold(diff, diff, 25, 255, cv::THRESH_BINARY);
  cv::dilate(diff, diff, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
  const int n = cv::connectedComponentsWithStats(diff, labels, stats, centroids);
  std::vector<BoxPx> boxes;
  for (int i = 1; i < n; ++i) {
    if (stats.at<int>(i, cv::CC_STAT_AREA) < 300) continue;
    boxes.push_back({static_cast<float>(stats.at<int>(i, cv::CC_STAT_LEFT)),
                     static_cast<float>(stats.at<int>(i, cv::CC_STAT_TOP)),
                     static_cast<float>(stats.at<int>(i, cv::CC_STAT_WIDTH)),
                     static_cast<float>(stats.at<int>(i, cv::CC_STAT_HEIGHT))});
  }
  return boxes;
}

std::vector<BoxPx> Shifted(std::vector<BoxPx> boxes, cv::Point offset) {
  for (BoxPx& b : boxes) {
    b.x -= static_cast<float>(offset.x);
    b.y -= static_cast<float>(offset.y);
  }
  return boxes;
}

CameraMotionOptions EveryFrame() {
  CameraMotionOptions o;
  o.mode = "on";
  return o;
}

// --- Recovering known motions -----------------------------------------------------------

// Real consecutive frames k, k+1 (people walking); the camera moves by `motion` between them.
// Returns the estimate, given the walking people as foreground.
CameraMotion EstimateBetween(int k, const cv::Matx23d& motion, const CameraMotionOptions& o) {
  const auto& frames = VtestFrames();
  const cv::Point offset(64, 48);
  const cv::Size size(640, 480);
  const std::vector<BoxPx> people =
      Shifted(MovingRegions(frames[k], frames[k + 1]), offset);  // where they were in k
  CameraMotionEstimator cmc(o);
  const cv::Mat first = View(frames[k], offset, size);
  EXPECT_FALSE(cmc.Estimate(first, Info(0, kVtestFps, first), people).estimated);
  const cv::Mat second = View(frames[k + 1], offset, size, motion);
  return cmc.Estimate(second, Info(1, kVtestFps, second), {});
}

TEST(CameraMotionTest, RecoversATranslationOfARealFrame) {
  MK_NEED_VTEST();
  for (const auto& [tx, ty] : {std::pair{12.3, -7.6}, {-3.4, 0.7}, {0.0, 0.0}, {-30.5, 18.2}}) {
    SCOPED_TRACE(::testing::Message() << tx << ", " << ty);
    const cv::Matx23d truth(1, 0, tx, 0, 1, ty);
    const CameraMotion m = EstimateBetween(10, truth, EveryFrame());
    ASSERT_TRUE(m.estimated);
    EXPECT_GE(m.inliers, 50);
    // Sub-pixel: measured errors are <= 0.03 px here; the bounds leave ~5x for other builds.
    EXPECT_NEAR(m.affine(0, 2), tx, 0.15);
    EXPECT_NEAR(m.affine(1, 2), ty, 0.15);
    EXPECT_LT(CornerErrorPx(m.affine, truth, 640, 480), 0.2);
  }
}

TEST(CameraMotionTest, RecoversASmallRotationAndZoom) {
  MK_NEED_VTEST();
  for (const auto& [deg, zoom] : {std::pair{1.5, 1.03}, {-2.0, 0.97}, {0.5, 1.0}}) {
    SCOPED_TRACE(::testing::Message() << deg << " deg, zoom " << zoom);
    const cv::Matx23d truth = Similarity(deg, zoom, 300, 260, 4.5, -2.0);
    const CameraMotion m = EstimateBetween(20, truth, EveryFrame());
    ASSERT_TRUE(m.estimated);
    // Zoom and angle from the linear part.
    const double est_zoom =
        std::sqrt(m.affine(0, 0) * m.affine(1, 1) - m.affine(0, 1) * m.affine(1, 0));
    // getRotationMatrix2D's convention: [a b; -b a], b = zoom sin(angle).
    const double est_deg = std::atan2(m.affine(0, 1), m.affine(0, 0)) * 180 / M_PI;
    EXPECT_NEAR(est_zoom, zoom, 0.001);
    EXPECT_NEAR(est_deg, deg, 0.02);
    EXPECT_LT(CornerErrorPx(m.affine, truth, 640, 480), 0.2);
  }
}

TEST(CameraMotionTest, DownscalingMapsTheMotionBackToFullResolution) {
  MK_NEED_VTEST();
  // 640 px wide frames estimated at 320 and at 200 px: the same full-resolution answer.
  const cv::Matx23d truth = Similarity(1.0, 1.02, 320, 240, -9.0, 5.0);
  for (double width : {320.0, 200.0}) {
    SCOPED_TRACE(width);
    CameraMotionOptions o = EveryFrame();
    o.max_width_px = width;
    const CameraMotion m = EstimateBetween(30, truth, o);
    ASSERT_TRUE(m.estimated);
    // A downscaled pixel is 2 to 3.2 full pixels: the tolerance grows with it.
    EXPECT_LT(CornerErrorPx(m.affine, truth, 640, 480), 0.3 * 640 / width);
  }
}

TEST(CameraMotionTest, MasksTheForegroundMovingDifferently) {
  MK_NEED_VTEST();
  // A "person" covering the left 60 % of the view moves one way, the background the other.
  // Only the mask keeps the estimate on the background.
  const auto& frames = VtestFrames();
  const cv::Point offset(64, 48);
  const cv::Size size(640, 480);
  const cv::Matx23d background(1, 0, -6, 0, 1, 3), person(1, 0, 15, 0, 1, 6);
  const cv::Rect person_now(0, 0, 384, 480);  // in the second view; (-15, -6) in the first
  cv::Mat first = View(frames[40], offset, size);
  cv::Mat second = View(frames[41], offset, size, background);
  View(frames[41], offset, size, person)(person_now).copyTo(second(person_now));
  const std::vector<BoxPx> before{{-15, -6, 384, 480}}, now{{0, 0, 384, 480}};

  CameraMotionEstimator masked(EveryFrame());
  masked.Estimate(first, Info(0, kVtestFps, first), before);
  const CameraMotion m = masked.Estimate(second, Info(1, kVtestFps, second), now);
  ASSERT_TRUE(m.estimated);
  EXPECT_LT(CornerErrorPx(m.affine, background, 640, 480), 0.3);

  // Without the mask the background is not found: most corners move with the person.
  CameraMotionEstimator unmasked(EveryFrame());
  unmasked.Estimate(first, Info(0, kVtestFps, first));
  const CameraMotion u = unmasked.Estimate(second, Info(1, kVtestFps, second));
  EXPECT_FALSE(u.estimated && CornerErrorPx(u.affine, background, 640, 480) < 2.0);
}

// --- Static cameras -----------------------------------------------------------------------

struct Step {
  double t_s = 0;
  CameraMotion motion;
  bool camera_static = false;
};

// Runs the frames of a static camera (the real clip) with timestamps at `fps`.
std::vector<Step> RunStatic(int n, double fps, const CameraMotionOptions& o) {
  CameraMotionEstimator cmc(o);
  std::vector<Step> steps;
  for (int i = 0; i < n; ++i) {
    const cv::Mat& f = VtestFrames()[i];
    Step s;
    s.t_s = i / fps;
    s.motion = cmc.Estimate(f, Info(i, fps, f));
    s.camera_static = cmc.camera_static();
    steps.push_back(s);
  }
  return steps;
}

TEST(CameraMotionTest, AStaticCameraIsOnlyRecheckedOnceStill) {
  MK_NEED_VTEST();
  const CameraMotionOptions o;  // auto, static after 2 s, re-check every 1 s
  ASSERT_EQ(o.mode, "auto");
  // The same real frames with timestamps of 10 and of 25 fps: the shortcut follows time.
  for (double fps : {10.0, 25.0}) {
    SCOPED_TRACE(fps);
    const std::vector<Step> steps = RunStatic(kFramesNeeded, fps, o);
    EXPECT_FALSE(steps[0].motion.estimated);
    int first_static = -1;
    for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
      if (steps[i].camera_static) {
        first_static = i;
        break;
      }
      EXPECT_FALSE(steps[i].motion.skipped);
      if (i > 0) {
        EXPECT_TRUE(steps[i].motion.estimated) << i;
      }
    }
    ASSERT_GE(first_static, 0) << "never went static";
    // Still since the first frame: static as soon as static_after_s has passed.
    EXPECT_NEAR(steps[first_static].t_s, o.static_after_s, 0.5 / fps);
    double last_examined = steps[first_static].t_s;
    int skipped = 0, examined = 0;
    for (size_t i = first_static + 1; i < steps.size(); ++i) {
      const Step& s = steps[i];
      EXPECT_TRUE(s.camera_static) << i;
      if (s.motion.skipped) {
        EXPECT_FALSE(s.motion.estimated);
        EXPECT_LT(s.t_s - last_examined, o.recheck_s + 1e-9) << i;
        ++skipped;
      } else {
        // Re-checked exactly when due, against the last examined frame: still.
        EXPECT_NEAR(s.t_s - last_examined, o.recheck_s, 0.5 / fps) << i;
        EXPECT_TRUE(s.motion.estimated) << i;
        last_examined = s.t_s;
        ++examined;
      }
    }
    const double static_span_s = steps.back().t_s - steps[first_static].t_s;
    EXPECT_EQ(examined, static_cast<int>(std::floor(static_span_s / o.recheck_s + 1e-9)));
    EXPECT_EQ(skipped + examined, static_cast<int>(steps.size()) - first_static - 1);
  }
}

TEST(CameraMotionTest, ModeOnEstimatesEveryFrameAndModeOffNone) {
  MK_NEED_VTEST();
  const std::vector<Step> on = RunStatic(30, kVtestFps, EveryFrame());
  for (size_t i = 1; i < on.size(); ++i) {
    EXPECT_TRUE(on[i].motion.estimated) << i;
    EXPECT_FALSE(on[i].camera_static);
    // A static camera: well under a pixel everywhere.
    EXPECT_LT(CornerErrorPx(on[i].motion.affine, cv::Matx23d(1, 0, 0, 0, 1, 0), kVtestWidth,
                            kVtestHeight),
              0.5)
        << i;
  }
  CameraMotionOptions off;
  off.mode = "off";
  for (const Step& s : RunStatic(5, kVtestFps, off)) {
    EXPECT_FALSE(s.motion.estimated);
    EXPECT_FALSE(s.motion.skipped);
  }
}

TEST(CameraMotionTest, APanAfterStaticModeIsPickedUpAtTheNextRecheck) {
  MK_NEED_VTEST();
  // Real frames through a 600x450 window: still for 3.5 s, then panning right 3 px a frame
  // (the content moves left: translation -3 px per frame).
  const CameraMotionOptions o;
  const cv::Size size(600, 450);
  const int pan_start = 35;
  const int pan_px = 3;
  auto offset_x = [&](int i) { return 64 + pan_px * std::max(0, i - pan_start + 1); };
  CameraMotionEstimator cmc(o);
  int last_examined = -1, picked_up = -1;
  for (int i = 0; i < kFramesNeeded; ++i) {
    const cv::Mat view = VtestFrames()[i](cv::Rect(cv::Point(offset_x(i), 60), size)).clone();
    const bool was_static = cmc.camera_static();
    const CameraMotion m = cmc.Estimate(view, Info(i, kVtestFps, view));
    if (i == pan_start - 1) {
      ASSERT_TRUE(was_static) << "not static before the pan";
    }
    if (m.skipped) {
      ASSERT_LT(i, pan_start + 10) << "still skipping frames after the re-check";
      continue;
    }
    if (i >= pan_start && picked_up < 0) {
      picked_up = i;
      // The first re-check after the pan began, at most recheck_s later, sees the whole pan
      // since the last examined frame.
      EXPECT_LE((i - pan_start) / kVtestFps, o.recheck_s + 1e-9);
      ASSERT_TRUE(m.estimated);
      const double expected = -(offset_x(i) - offset_x(last_examined));
      EXPECT_LE(expected, -pan_px);
      EXPECT_NEAR(m.affine(0, 2), expected, 0.2);
      EXPECT_NEAR(m.affine(1, 2), 0, 0.2);
      EXPECT_FALSE(cmc.camera_static());
    } else if (picked_up >= 0) {
      // Back to every frame.
      EXPECT_EQ(last_examined, i - 1);
      ASSERT_TRUE(m.estimated) << i;
      EXPECT_NEAR(m.affine(0, 2), -pan_px, 0.2) << i;
      EXPECT_NEAR(m.affine(1, 2), 0, 0.2) << i;
      EXPECT_FALSE(cmc.camera_static()) << i;
    }
    last_examined = i;
  }
  EXPECT_GE(picked_up, pan_start);
  EXPECT_EQ(last_examined, kFramesNeeded - 1);
}

// --- Unusable input -------------------------------------------------------------------------

TEST(CameraMotionTest, BlankEmptyOrTinyImagesGiveNoEstimate) {
  CameraMotionEstimator cmc(EveryFrame());
  const cv::Mat blank(480, 640, CV_8UC3, cv::Scalar(90, 90, 90));
  const cv::Mat tiny(8, 8, CV_8UC3, cv::Scalar(0, 0, 255));
  const cv::Mat floats(480, 640, CV_32FC1, cv::Scalar(0.5));
  const cv::Mat two_channels(480, 640, CV_8UC2, cv::Scalar(1, 2));
  const std::vector<BoxPx> odd_boxes{{-50, -50, 10000, 10000}, {10, 10, -5, 0}, {600, 400, 0, 0}};
  int index = 0;
  for (const cv::Mat& image : {blank, blank, cv::Mat(), cv::Mat(), tiny, tiny, floats, floats,
                               two_channels, two_channels, blank}) {
    const CameraMotion m = cmc.Estimate(image, Info(index++, 30, image), odd_boxes);
    EXPECT_FALSE(m.estimated) << index;
    EXPECT_EQ(m.inliers, 0);
    EXPECT_EQ(m.affine, cv::Matx23d(1, 0, 0, 0, 1, 0));
  }
  // Usable frames after unusable ones: estimates again. Gray (1 channel) frames too.
  if (VtestFrames().empty()) return;
  cv::Mat a, b;
  cv::cvtColor(VtestFrames()[0], a, cv::COLOR_BGR2GRAY);
  cv::cvtColor(VtestFrames()[1], b, cv::COLOR_BGR2GRAY);
  EXPECT_FALSE(cmc.Estimate(a, Info(index++, 30, a)).estimated);
  EXPECT_TRUE(cmc.Estimate(b, Info(index++, 30, b)).estimated);
  // A frame of another size is not compared with the last one.
  const cv::Mat smaller = a(cv::Rect(0, 0, 400, 300)).clone();
  EXPECT_FALSE(cmc.Estimate(smaller, Info(index++, 30, smaller)).estimated);
}

TEST(CameraMotionTest, AFullyMaskedFrameGivesNoEstimate) {
  MK_NEED_VTEST();
  CameraMotionEstimator cmc(EveryFrame());
  const std::vector<BoxPx> everything{{0, 0, kVtestWidth, kVtestHeight}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(
        cmc.Estimate(VtestFrames()[i], Info(i, kVtestFps, VtestFrames()[i]), everything).estimated);
  }
}

// --- KalmanBox::Warp ------------------------------------------------------------------------

bool SymmetricPositiveDefinite(const KalmanBox::Covariance& p) {
  return (p - p.transpose()).cwiseAbs().maxCoeff() <= 1e-12 * p.cwiseAbs().maxCoeff() &&
         p.llt().info() == Eigen::Success;
}

// A filter that has seen a box moving, so that its state has velocities and its covariance
// has correlations.
KalmanBox MovingFilter() {
  KalmanBox kf(BoxPx{100, 200, 40, 100});
  for (int i = 1; i <= 10; ++i) {
    kf.Predict(0.1);
    kf.Update(BoxPx{100.0f + 5.0f * i, 200.0f - 2.0f * i, 40.0f + 0.5f * i, 100.0f + 1.0f * i});
  }
  return kf;
}

TEST(KalmanBoxWarpTest, TranslationMovesTheCentreOnly) {
  KalmanBox kf = MovingFilter();
  const KalmanBox before = kf;
  Eigen::Matrix<double, 2, 3> shift;
  shift << 1, 0, 12.5, 0, 1, -7;
  kf.Warp(shift);
  EXPECT_NEAR(kf.state()(0), before.state()(0) + 12.5, 1e-9);
  EXPECT_NEAR(kf.state()(1), before.state()(1) - 7, 1e-9);
  EXPECT_TRUE(kf.state().tail<6>().isApprox(before.state().tail<6>(), 1e-12));
  EXPECT_TRUE(kf.covariance().isApprox(before.covariance(), 1e-12));
  EXPECT_NEAR(kf.box().w, before.box().w, 1e-4);
  EXPECT_NEAR(kf.box().x, before.box().x + 12.5f, 1e-3);
}

TEST(KalmanBoxWarpTest, ZoomScalesSizesRatesAndUncertainty) {
  KalmanBox kf = MovingFilter();
  const KalmanBox before = kf;
  const double zoom = 1.25;
  Eigen::Matrix<double, 2, 3> m;
  m << zoom, 0, -40, 0, zoom, 10;  // zoom about the origin, then a shift
  kf.Warp(m);
  const auto& x0 = before.state();
  const auto& x = kf.state();
  EXPECT_NEAR(x(0), zoom * x0(0) - 40, 1e-9);
  EXPECT_NEAR(x(1), zoom * x0(1) + 10, 1e-9);
  for (int i = 2; i < 8; ++i) EXPECT_NEAR(x(i), zoom * x0(i), 1e-9) << i;  // w, h and rates
  // Every component scales by the zoom, so the covariance by its square.
  EXPECT_TRUE(kf.covariance().isApprox(zoom * zoom * before.covariance(), 1e-12));
  EXPECT_TRUE(SymmetricPositiveDefinite(kf.covariance()));
  // The box's corners follow the map (an axis-aligned zoom maps boxes to boxes).
  const BoxPx b0 = before.box(), b = kf.box();
  EXPECT_NEAR(b.x, zoom * b0.x - 40, 1e-3);
  EXPECT_NEAR(b.y + b.h, zoom * (b0.y + b0.h) + 10, 1e-3);
  // The Mahalanobis distance of a box is invariant when box and filter move together.
  const BoxPx probe{120, 180, 45, 110};
  const BoxPx moved{static_cast<float>(zoom * probe.x - 40),
                    static_cast<float>(zoom * probe.y + 10), static_cast<float>(zoom * probe.w),
                    static_cast<float>(zoom * probe.h)};
  EXPECT_NEAR(kf.SquaredMahalanobis(moved), before.SquaredMahalanobis(probe),
              1e-3 * before.SquaredMahalanobis(probe) + 1e-6);
}

TEST(KalmanBoxWarpTest, RotationTurnsTheCentreAndItsVelocity) {
  KalmanBox kf = MovingFilter();
  const KalmanBox before = kf;
  const double a = 10 * M_PI / 180, zoom = 0.9;
  Eigen::Matrix<double, 2, 3> m;
  m << zoom * std::cos(a), -zoom * std::sin(a), 30, zoom * std::sin(a), zoom * std::cos(a), -5;
  kf.Warp(m);
  const Eigen::Matrix2d lin = m.leftCols<2>();
  const Eigen::Vector2d c = lin * before.state().head<2>() + m.col(2);
  const Eigen::Vector2d v = lin * before.state().segment<2>(4);
  EXPECT_TRUE(kf.state().head<2>().isApprox(c, 1e-12));
  EXPECT_TRUE(kf.state().segment<2>(4).isApprox(v, 1e-12));
  EXPECT_NEAR(kf.state()(2), zoom * before.state()(2), 1e-9);  // sizes: the zoom only
  EXPECT_NEAR(kf.state()(7), zoom * before.state()(7), 1e-9);
  const Eigen::Matrix2d pos = kf.covariance().topLeftCorner<2, 2>();
  EXPECT_TRUE(
      pos.isApprox(lin * before.covariance().topLeftCorner<2, 2>() * lin.transpose(), 1e-12));
  EXPECT_TRUE(SymmetricPositiveDefinite(kf.covariance()));
  // The filter keeps working: predict and correct after the warp.
  kf.Predict(0.1);
  kf.Update(kf.box());
  EXPECT_TRUE(SymmetricPositiveDefinite(kf.covariance()));
}

TEST(KalmanBoxWarpTest, ManyRandomWarpsKeepTheCovarianceSymmetricPositiveDefinite) {
  cv::RNG rng(7);
  KalmanBox kf = MovingFilter();
  for (int i = 0; i < 500; ++i) {
    const double a = rng.uniform(-0.05, 0.05), zoom = rng.uniform(0.95, 1.05);
    Eigen::Matrix<double, 2, 3> m;
    m << zoom * std::cos(a), -zoom * std::sin(a), rng.uniform(-20.0, 20.0), zoom * std::sin(a),
        zoom * std::cos(a), rng.uniform(-20.0, 20.0);
    kf.Warp(m);
    kf.Predict(1.0 / 30);
    if (i % 3 == 0) kf.Update(kf.box());
    ASSERT_TRUE(SymmetricPositiveDefinite(kf.covariance())) << i;
    ASSERT_GE(kf.box().w, 1.0f);
  }
}

// --- Options --------------------------------------------------------------------------------

TEST(CameraMotionOptionsTest, DefaultsAreValidAndRoundTripThroughJson) {
  CameraMotionOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.mode = "on";
  o.max_width_px = 480;
  o.max_features = 150;
  o.static_after_s = 3.5;
  o.recheck_s = 0.5;
  o.still_fraction = 0.001;
  const nlohmann::json j = o;
  EXPECT_EQ(j.size(), 6u);
  const CameraMotionOptions back = j.get<CameraMotionOptions>();
  EXPECT_EQ(back.mode, "on");
  EXPECT_EQ(back.max_width_px, 480);
  EXPECT_EQ(back.max_features, 150);
  EXPECT_EQ(back.static_after_s, 3.5);
  EXPECT_EQ(back.recheck_s, 0.5);
  EXPECT_EQ(back.still_fraction, 0.001);
  // Keys left out keep their defaults.
  const CameraMotionOptions partial = nlohmann::json{{"mode", "off"}}.get<CameraMotionOptions>();
  EXPECT_EQ(partial.mode, "off");
  EXPECT_EQ(partial.recheck_s, CameraMotionOptions().recheck_s);
}

TEST(CameraMotionOptionsTest, ValidateNamesEveryBadField) {
  CameraMotionOptions o;
  o.mode = "sometimes";
  o.max_width_px = 10;
  o.max_features = 3;
  o.static_after_s = 0;
  o.recheck_s = -1;
  o.still_fraction = std::nan("");
  const Status s = o.Validate();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  for (const char* key :
       {"track.byte.camera_motion.mode must be", "\"sometimes\"",
        "track.byte.camera_motion.max_width_px", "got 10", "track.byte.camera_motion.max_features",
        "got 3", "track.byte.camera_motion.static_after_s", "track.byte.camera_motion.recheck_s",
        "got -1", "track.byte.camera_motion.still_fraction"}) {
    EXPECT_NE(s.message().find(key), std::string::npos) << key << "\n" << s.message();
  }
  EXPECT_EQ(std::count(s.message().begin(), s.message().end(), '\n'), 5);
  // One bad field: one line.
  CameraMotionOptions one;
  one.recheck_s = 1e9;
  ASSERT_FALSE(one.Validate().ok());
  EXPECT_EQ(one.Validate().message().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace monokin::track

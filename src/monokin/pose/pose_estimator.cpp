// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/pose_estimator.h"

#include <fmt/format.h>

#include <optional>
#include <unordered_map>
#include <utility>

#include "monokin/core/geometry.h"
#include "monokin/core/log.h"
#include "monokin/pose/blazepose_detector.h"
#include "monokin/pose/blazepose_landmarker.h"
#include "monokin/pose/model_files.h"

namespace monokin::pose {
namespace {

// A track's region is forgotten once the track has not been asked about for this many frames
// (one second at 30 fps): after that the person has moved too much for the region to help.
constexpr FrameIndex kForgetAfterFrames = 30;
// Regions smaller than this carry too little of the frame for a 256x256 model input; such a
// track (a degenerate box, or collapsed auxiliary landmarks) gets no pose.
constexpr float kMinRegionPx = 8.0f;

bool Contains(const BoxPx& box, float x, float y) {
  return x >= box.x && x <= box.x + box.w && y >= box.y && y <= box.y + box.h;
}

// model "none": no pose for anybody.
class NoPoseEstimator final : public PoseEstimator {
 public:
  Result<std::vector<std::optional<PersonPose>>> Estimate(const cv::Mat&, const FrameInfo&,
                                                          std::span<const Track> people) override {
    return std::vector<std::optional<PersonPose>>(people.size());
  }
  std::vector<std::string> model_paths() const override { return {}; }
};

class BlazePoseEstimator final : public PoseEstimator {
 public:
  BlazePoseEstimator(const PoseOptions& options, BlazePoseLandmarker landmarker,
                     std::optional<BlazePoseDetector> detector)
      : options_(options), landmarker_(std::move(landmarker)), detector_(std::move(detector)) {}

  Result<std::vector<std::optional<PersonPose>>> Estimate(const cv::Mat& bgr,
                                                          const FrameInfo& frame,
                                                          std::span<const Track> people) override {
    std::vector<std::optional<PersonPose>> poses;
    poses.reserve(people.size());
    for (const Track& track : people) {
      TrackState& state = states_[track.id];
      state.last_seen = frame.index;
      std::optional<LandmarkDecoding> found;
      // Follow the previous pose while its region still sits on the tracker's box.
      if (state.region && state.region->size_px >= kMinRegionPx &&
          Contains(track.box, state.region->cx_px, state.region->cy_px)) {
        MK_ASSIGN_OR_RETURN(LandmarkDecoding lm, landmarker_.Run(bgr, *state.region));
        if (lm.presence >= options_.min_presence) found = std::move(lm);
      }
      if (!found && track.box.area() > 0) {
        MK_ASSIGN_OR_RETURN(PoseRegion seed, SeedRegion(bgr, track.box));
        if (seed.size_px >= kMinRegionPx) {
          MK_ASSIGN_OR_RETURN(LandmarkDecoding lm, landmarker_.Run(bgr, seed));
          if (lm.presence >= options_.min_presence) found = std::move(lm);
        }
      }
      if (found) {
        state.region = found->next_region;
        found->pose.track = track.id;
        poses.push_back(std::move(found->pose));
      } else {
        state.region.reset();
        poses.emplace_back(std::nullopt);
      }
    }
    std::erase_if(states_, [&](const auto& kv) {
      return frame.index - kv.second.last_seen > kForgetAfterFrames;
    });
    return poses;
  }

  std::vector<std::string> model_paths() const override {
    std::vector<std::string> paths = {landmarker_.model_path()};
    if (detector_) paths.push_back(detector_->model_path());
    return paths;
  }

 private:
  struct TrackState {
    std::optional<PoseRegion> region;  // from the last pose's auxiliary landmarks
    FrameIndex last_seen = 0;
  };

  // The upright square around the box, refined by the detector into MediaPipe's region when it
  // finds a person whose hip centre lies in the box.
  Result<PoseRegion> SeedRegion(const cv::Mat& bgr, const BoxPx& box) {
    const PoseRegion square = RegionFromBox(box, options_.box_scale);
    if (!detector_) return square;
    MK_ASSIGN_OR_RETURN(std::vector<PoseDetection> found,
                        detector_->Detect(bgr, RegionBounds(square)));
    // Of the people whose hip centre lies in the box, the one whose body box overlaps the
    // tracker's box most: in a crowd the crop also holds neighbours, often with higher scores.
    const PoseDetection* best = nullptr;
    float best_iou = 0;
    for (const PoseDetection& d : found) {
      if (!Contains(box, d.keypoints_px[0].x, d.keypoints_px[0].y)) continue;
      const float iou = IoU(d.person_box, box);
      if (best == nullptr || iou > best_iou) {
        best = &d;
        best_iou = iou;
      }
    }
    return best != nullptr ? best->region : square;
  }

  PoseOptions options_;
  BlazePoseLandmarker landmarker_;
  std::optional<BlazePoseDetector> detector_;
  std::unordered_map<TrackId, TrackState> states_;
};

}  // namespace

Result<std::unique_ptr<PoseEstimator>> MakePoseEstimator(const PoseOptions& options) {
  MK_RETURN_IF_ERROR(options.Validate());
  if (options.model == "none") return std::unique_ptr<PoseEstimator>(new NoPoseEstimator());
  MK_ASSIGN_OR_RETURN(std::string landmark_path,
                      FindModelFile(options.models_dir, {LandmarkModelFile(options.model)}));
  MK_ASSIGN_OR_RETURN(BlazePoseLandmarker landmarker,
                      BlazePoseLandmarker::Create(landmark_path, options.threads));
  std::optional<BlazePoseDetector> detector;
  if (options.seed_with_detector) {
    MK_ASSIGN_OR_RETURN(
        std::string detector_path,
        FindModelFile(options.models_dir, {kDetectorModelFile, kDetectorModelFileAlt}));
    MK_ASSIGN_OR_RETURN(BlazePoseDetector det,
                        BlazePoseDetector::Create(detector_path, options.threads));
    detector = std::move(det);
  }
  MK_LOG(kInfo, "pose: BlazePose {} from {}", options.model, landmark_path);
  return std::unique_ptr<PoseEstimator>(
      new BlazePoseEstimator(options, std::move(landmarker), std::move(detector)));
}

}  // namespace monokin::pose

// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "monokin/detect/detector.h"

namespace monokin::detect {
namespace {

using ::testing::HasSubstr;

DetectorOptions WithBackend(const std::string& backend) {
  DetectorOptions o;
  o.backend = backend;
  return o;
}

TEST(DetectorOptionsTest, DefaultsAreValid) { EXPECT_TRUE(DetectorOptions{}.Validate().ok()); }

TEST(DetectorOptionsTest, ReportsEveryBadField) {
  DetectorOptions o;
  o.backend = "ssd";
  o.min_score = 1.5f;
  o.nms_iou = -0.1f;
  o.input_size_px = 400;
  o.threads = -1;
  o.hog_upscale = 0.5f;
  o.hog_pyramid_scale = 1.0f;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  // The list of backends grows (the pipeline adds "blazepose"): check the shape only.
  EXPECT_THAT(s.message(), HasSubstr("detect.backend must be \"hog\""));
  EXPECT_THAT(s.message(), HasSubstr("got \"ssd\""));
  EXPECT_THAT(s.message(), HasSubstr("detect.min_score must be between 0 and 1; got 1.5"));
  EXPECT_THAT(s.message(), HasSubstr("detect.nms_iou must be between 0 and 1; got -0.1"));
  EXPECT_THAT(s.message(), HasSubstr("detect.input_size_px must be a multiple of 32"));
  EXPECT_THAT(s.message(), HasSubstr("detect.threads"));
  EXPECT_THAT(s.message(), HasSubstr("detect.hog_upscale must be between 1 and 4; got 0.5"));
  EXPECT_THAT(s.message(), HasSubstr("detect.hog_pyramid_scale must be between 1.01 and 2; got 1"));
}

TEST(DetectorOptionsTest, NanScoreIsRejected) {
  DetectorOptions o;
  o.min_score = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THAT(o.Validate().message(), HasSubstr("detect.min_score"));
}

TEST(DetectorOptionsTest, YoloxNeedsAModelPath) {
  const Status s = WithBackend("yolox").Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("detect.model_path"));
}

TEST(DetectorOptionsTest, JsonRoundTripKeepsEveryField) {
  DetectorOptions in = WithBackend("yolox");
  in.model_path = "m.onnx";
  in.min_score = 0.25f;
  in.nms_iou = 0.6f;
  in.input_size_px = 640;
  in.threads = 2;
  in.hog_upscale = 2.5f;
  in.hog_pyramid_scale = 1.1f;
  const nlohmann::json j = in;
  for (const char* key : {"backend", "model_path", "min_score", "nms_iou", "input_size_px",
                          "threads", "hog_upscale", "hog_pyramid_scale"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  const DetectorOptions out = j.get<DetectorOptions>();
  EXPECT_EQ(out.backend, in.backend);
  EXPECT_EQ(out.model_path, in.model_path);
  EXPECT_EQ(out.min_score, in.min_score);
  EXPECT_EQ(out.nms_iou, in.nms_iou);
  EXPECT_EQ(out.input_size_px, in.input_size_px);
  EXPECT_EQ(out.threads, in.threads);
  EXPECT_EQ(out.hog_upscale, in.hog_upscale);
  EXPECT_EQ(out.hog_pyramid_scale, in.hog_pyramid_scale);
}

TEST(DetectorOptionsTest, MissingJsonKeysKeepDefaults) {
  DetectorOptions o;
  from_json(nlohmann::json{{"min_score", 0.7}}, o);
  EXPECT_FLOAT_EQ(o.min_score, 0.7f);
  EXPECT_EQ(o.backend, "hog");
  EXPECT_FLOAT_EQ(o.nms_iou, DetectorOptions{}.nms_iou);
}

TEST(DetectorOptionsTest, FactoryRejectsUnknownBackend) {
  auto det = MakeDetector(WithBackend("nope"));
  ASSERT_FALSE(det.ok());
  EXPECT_EQ(det.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace monokin::detect

// SPDX-License-Identifier: Apache-2.0
// Checks every output of the four BlazePose models against Google's TFLite runtime (XNNPACK,
// fp32), on synthetic and real-image inputs. The reference tensors live in
// tests/testdata/infer/ (made by tools/make_infer_goldens.sh; see README.md here).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "monokin/core/sha256.h"
#include "monokin/infer/model.h"

namespace monokin::infer {
namespace {

const std::string kModelDir =
    std::string(MONOKIN_SOURCE_DIR) + "/models/node_modules/@mediapipe/pose/";
const std::string kDataDir = std::string(MONOKIN_SOURCE_DIR) + "/tests/testdata/infer/";

std::vector<char> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<char>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

std::vector<float> ReadFloats(const std::string& path) {
  const std::vector<char> b = ReadBytes(path);
  std::vector<float> v(b.size() / 4);
  std::memcpy(v.data(), b.data(), v.size() * 4);
  return v;
}

std::string Sha(const std::vector<float>& v) {
  return Sha256Hex({reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * 4});
}

// The reference tool's inputs (its README, "Inputs"): a sine ramp, or a letterboxed u8 image
// scaled to [0,1] (landmark) or [-1,1] (detector).
std::vector<float> MakeInput(const std::string& name, int size) {
  std::vector<float> x(static_cast<size_t>(size) * size * 3);
  if (name.starts_with("synthetic")) {
    for (size_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<float>(std::sin(0.001 * static_cast<double>(i)) * 0.5 + 0.5);
    }
    return x;
  }
  cv::Mat img = cv::imread(kDataDir + "inputs/" + name + "_u8.png", cv::IMREAD_COLOR);
  if (img.empty()) return {};
  cv::cvtColor(img, img, cv::COLOR_BGR2RGB);  // the PNGs hold RGB; imread returns BGR
  if (img.rows != size || img.cols != size || !img.isContinuous()) return {};
  const bool detector = name.ends_with("det224");
  for (size_t i = 0; i < x.size(); ++i) {
    const float v = img.data[i];
    x[i] = detector ? v / 127.5f - 1.0f : v / 255.0f;
  }
  return x;
}

struct Case {
  std::string model, input;
};

class ExactnessTest : public ::testing::TestWithParam<Case> {};

TEST_P(ExactnessTest, MatchesReferenceRuntime) {
  const Case& c = GetParam();
  const bool detector = c.model == "pose_detection";
  const std::string file =
      kModelDir + (detector ? "pose_solution_packed_assets.data" : c.model + ".tflite");
  if (!std::filesystem::exists(file)) {
    GTEST_SKIP() << file << " is missing; run scripts/setup to install the models";
  }
  const std::string run_dir = kDataDir + c.model + "__" + c.input + "/";
  ASSERT_TRUE(std::filesystem::exists(run_dir + "meta.json")) << run_dir;
  const nlohmann::json meta = nlohmann::json::parse(ReadBytes(run_dir + "meta.json"));
  const nlohmann::json inputs = nlohmann::json::parse(ReadBytes(kDataDir + "inputs/inputs.json"));

  auto model = LoadTfliteModel(file, {});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_EQ((*model)->inputs().size(), 1u);
  const std::vector<int> shape = (*model)->inputs()[0].shape;
  ASSERT_EQ(shape.size(), 4u);
  Tensor in{(*model)->inputs()[0].name, shape, MakeInput(c.input, shape[1])};
  ASSERT_FALSE(in.data.empty()) << "cannot read the input image for " << c.input;
  for (const auto& i : inputs) {
    if (i["name"] == c.input) {
      ASSERT_EQ(Sha(in.data), i["sha256"].get<std::string>())
          << "regenerated input " << c.input << " differs from the reference tool's";
    }
  }
  auto out = (*model)->Run({&in, 1});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), meta["outputs"].size());

  for (size_t k = 0; k < out->size(); ++k) {
    const Tensor& got = (*out)[k];
    const nlohmann::json& ref_meta = meta["outputs"][k];
    SCOPED_TRACE(c.model + "/" + c.input + "/" + got.name);
    ASSERT_EQ(got.name, ref_meta["name"].get<std::string>());
    ASSERT_EQ(got.shape, ref_meta["shape"].get<std::vector<int>>());
    const int stride = ref_meta["stride"];
    const double max_abs = ref_meta["max_abs"];
    const std::vector<float> ref = ReadFloats(run_dir + got.name + ".f32");
    ASSERT_EQ(ref.size(), (got.data.size() + stride - 1) / stride);
    // 1e-4 of the tensor's largest magnitude; 1e-3 for the segmentation logits, whose values
    // reach ~2000 and which the reference's own scalar build already moves by 5.7e-4.
    const bool segmentation = !detector && got.name == "Identity_2";
    const double tol = (segmentation ? 1e-3 : 1e-4) * max_abs;
    // Landmark Identity_1 is a sigmoid probability that is ~1e-12 when nobody is in view: there
    // the rule above asks for 1e-16 absolute, which even the reference's scalar build misses
    // (1.3e-3 relative), so it is compared as a logit, 1e-4 relative to the logit.
    const bool presence = !detector && got.name == "Identity_1";
    double worst = 0;
    for (size_t j = 0; j < ref.size(); ++j) {
      const double g = got.data[j * stride], r = ref[j];
      double excess = std::fabs(g - r) - tol;
      if (presence && excess > 0) {
        auto logit = [](double p) { return std::log(p / (1 - p)); };
        excess = std::fabs(logit(g) - logit(r)) - 1e-4 * std::max(1.0, std::fabs(logit(r)));
      }
      worst = std::max(worst, excess);
      ASSERT_LE(excess, 0) << "element " << j * stride << ": got " << g << ", reference " << r
                           << ", tolerance " << tol;
    }
  }
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const char* m : {"pose_landmark_lite", "pose_landmark_full", "pose_landmark_heavy"}) {
    for (const char* i : {"synthetic_256", "messi5_lm256", "basketball1_lm256"}) {
      cases.push_back({m, i});
    }
  }
  for (const char* i : {"synthetic_224", "messi5_det224", "basketball1_det224"}) {
    cases.push_back({"pose_detection", i});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(BlazePose, ExactnessTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           return p.param.model.substr(5) + "_" + p.param.input;
                         });

}  // namespace
}  // namespace monokin::infer

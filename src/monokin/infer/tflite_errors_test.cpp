// SPDX-License-Identifier: Apache-2.0
// Bad inputs: missing, truncated, garbage and mutated .tflite files, unsupported operators,
// wrong tensor shapes. Each must give a clear Status, never a crash.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "monokin/infer/detail/flatbuffer.h"
#include "monokin/infer/detail/tflite_model.h"
#include "monokin/infer/model.h"

namespace monokin::infer {
namespace {

const std::string kLite = std::string(MONOKIN_SOURCE_DIR) +
                          "/models/node_modules/@mediapipe/pose/pose_landmark_lite.tflite";

std::vector<std::uint8_t> ReadModel(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(f)),
                                   std::istreambuf_iterator<char>());
}

#define MK_REQUIRE_LITE()              \
  if (!std::filesystem::exists(kLite)) \
  GTEST_SKIP() << kLite << " is missing; run scripts/setup to install the models"

TEST(TfliteErrorsTest, MissingFileIsNotFound) {
  auto m = LoadTfliteModel("/nonexistent/model.tflite", {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_NE(m.status().message().find("/nonexistent/model.tflite"), std::string::npos);
}

TEST(TfliteErrorsTest, GarbageIsUnsupported) {
  std::vector<std::uint8_t> junk(1000);
  std::mt19937 rng(7);
  for (auto& b : junk) b = static_cast<std::uint8_t>(rng());
  auto m = detail::LoadTfliteFromBuffer(junk, {}, "junk");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(m.status().message().find("not a TFLite model"), std::string::npos);
  // The identifier alone is not enough.
  std::memcpy(junk.data() + 4, "TFL3", 4);
  auto m2 = detail::LoadTfliteFromBuffer(junk, {}, "junk");
  ASSERT_FALSE(m2.ok());
  EXPECT_EQ(m2.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(detail::LoadTfliteFromBuffer({}, {}, "empty").status().code(),
            StatusCode::kUnsupported);
}

TEST(TfliteErrorsTest, TruncatedModelIsUnsupported) {
  MK_REQUIRE_LITE();
  const std::vector<std::uint8_t> bytes = ReadModel(kLite);
  for (size_t n : {size_t{8}, size_t{100}, size_t{4096}, bytes.size() / 2, bytes.size() - 1}) {
    auto m = detail::LoadTfliteFromBuffer(std::span(bytes).first(n), {}, "cut");
    ASSERT_FALSE(m.ok()) << n;
    EXPECT_EQ(m.status().code(), StatusCode::kUnsupported) << n;
    EXPECT_FALSE(m.status().message().empty());
  }
}

TEST(TfliteErrorsTest, UnsupportedOperatorIsNamed) {
  MK_REQUIRE_LITE();
  std::vector<std::uint8_t> bytes = ReadModel(kLite);
  // Rewrite every operator code to MEAN (40), which monokin does not implement. Model field 1
  // is operator_codes; OperatorCode fields 0 and 3 are the old byte and the new int32 code.
  detail::FlatBuffer fb(bytes);
  const auto root = fb.Root();
  const auto codes = fb.GetVector(root, 1, 4);
  ASSERT_TRUE(fb.ok() && codes.size > 0);
  int patched = 0;
  for (std::uint32_t i = 0; i < codes.size; ++i) {
    const auto oc = fb.TableIn(codes, i);
    if (std::uint32_t p = fb.FieldPos(oc, 0, 1)) bytes[p] = 40, ++patched;
    if (std::uint32_t p = fb.FieldPos(oc, 3, 4)) {
      const std::int32_t mean = 40;
      std::memcpy(bytes.data() + p, &mean, 4);
      ++patched;
    }
  }
  ASSERT_GT(patched, 0);
  auto m = detail::LoadTfliteFromBuffer(bytes, {}, "patched");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(m.status().message().find("MEAN"), std::string::npos) << m.status().message();
}

TEST(TfliteErrorsTest, RandomByteFlipsNeverCrash) {
  MK_REQUIRE_LITE();
  const std::vector<std::uint8_t> original = ReadModel(kLite);
  std::mt19937 rng(1234);
  int loaded = 0;
  // Flips target the FlatBuffer metadata (the first and last 64 KB, outside the weights).
  for (int iter = 0; iter < 30; ++iter) {
    std::vector<std::uint8_t> bytes = original;
    for (int k = 0; k < 4; ++k) {
      const size_t region = 65536;
      size_t pos = rng() % region;
      if (rng() % 2) pos = bytes.size() - 1 - pos;
      bytes[pos] = static_cast<std::uint8_t>(rng());
    }
    auto m = detail::LoadTfliteFromBuffer(bytes, {}, "mutated");
    if (m.ok()) {
      ++loaded;
      const TensorSpec& s = (*m)->inputs().at(0);
      std::size_t n = 1;
      for (int d : s.shape) n *= d;
      Tensor in{s.name, s.shape, std::vector<float>(n, 0.5f)};
      EXPECT_TRUE((*m)->Run({&in, 1}).ok());
    } else {
      EXPECT_FALSE(m.status().message().empty());
    }
  }
  SUCCEED() << loaded << " of 30 mutated models still loaded";
}

TEST(TfliteErrorsTest, WrongInputShapeIsInvalidArgument) {
  MK_REQUIRE_LITE();
  auto m = LoadTfliteModel(kLite, {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Tensor in{"input_1", {1, 128, 128, 3}, std::vector<float>(128 * 128 * 3)};
  auto out = (*m)->Run({&in, 1});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("[1,256,256,3]"), std::string::npos);
  EXPECT_EQ((*m)->Run({}).status().code(), StatusCode::kInvalidArgument);
}

TEST(TfliteErrorsTest, BadThreadCountIsInvalidArgument) {
  EXPECT_EQ(LoadTfliteModel(kLite, {.threads = 0}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace monokin::infer

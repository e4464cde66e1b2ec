// SPDX-License-Identifier: Apache-2.0
#include "monokin/detect/yolox_detector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>

#include "monokin/detect/vtest_frames.h"

namespace monokin::detect {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

std::string ModelPath() {
  return std::string(MONOKIN_SOURCE_DIR) +
         "/../shared/data/models/yolox_nano_416/yolox_nano_416x416.onnx";
}

DetectorOptions YoloxOptions(const std::string& path) {
  DetectorOptions o;
  o.backend = "yolox";
  o.model_path = path;
  return o;
}

#define SKIP_WITHOUT_MODEL() \
  if (!fs::exists(ModelPath())) GTEST_SKIP() << "no YOLOX model at " << ModelPath()

// A scratch folder for generated files, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ =
        fs::temp_directory_path() / ("monokin_detect_" + std::to_string(std::random_device{}()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Minimal protobuf writer for a valid ONNX file that is not a YOLOX model (wire format facts
// from onnx.proto: ModelProto.ir_version=1, graph=7, opset_import=8; GraphProto.node=1,
// name=2, input=11, output=12; NodeProto.input=1, output=2, op_type=4; ValueInfoProto.name=1,
// type=2; TypeProto.tensor_type=1; Tensor.elem_type=1, shape=2; TensorShapeProto.dim=1;
// Dimension.dim_value=1).
std::string Varint(std::uint64_t v) {
  std::string out;
  do {
    std::uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (v);
  return out;
}
std::string IntField(int field, std::uint64_t v) { return Varint(field << 3) + Varint(v); }
std::string BytesField(int field, const std::string& bytes) {
  return Varint((field << 3) | 2) + Varint(bytes.size()) + bytes;
}
std::string FloatTensorInfo(const std::string& name, const std::vector<int>& dims) {
  std::string shape;
  for (int d : dims) shape += BytesField(1, IntField(1, d));
  const std::string tensor = IntField(1, /*FLOAT*/ 1) + BytesField(2, shape);
  return BytesField(1, name) + BytesField(2, BytesField(1, tensor));
}
std::string ReluOnnxModel() {
  const std::vector<int> dims = {1, 3, 416, 416};
  const std::string node =
      BytesField(1, "images") + BytesField(2, "output") + BytesField(4, "Relu");
  const std::string graph = BytesField(1, node) + BytesField(2, "relu") +
                            BytesField(11, FloatTensorInfo("images", dims)) +
                            BytesField(12, FloatTensorInfo("output", dims));
  return IntField(1, 7) + BytesField(7, graph) + BytesField(8, IntField(2, 13));
}

TEST(YoloxDetectorTest, RowCountMatchesTheModelCard) {
  EXPECT_EQ(detail::YoloxRowCount(416), 52 * 52 + 26 * 26 + 13 * 13);
  EXPECT_EQ(detail::YoloxRowCount(416), 3549);
  EXPECT_EQ(detail::YoloxRowCount(640), 80 * 80 + 40 * 40 + 20 * 20);
}

TEST(YoloxDetectorTest, DecodesGridOffsetsStridesAndLetterboxScale) {
  const int size = 64;  // strides 8, 16, 32: 64 + 16 + 4 rows
  std::vector<float> rows(detail::YoloxRowCount(size) * detail::kYoloxRowLength, 0.0f);
  auto row = [&](int i) { return rows.data() + i * detail::kYoloxRowLength; };
  // Stride 16 level starts at row 64; cell (gx=2, gy=1) is row 64 + 1*4 + 2 = 70.
  float* r = row(70);
  r[0] = 0.5f, r[1] = 0.25f, r[2] = std::log(2.0f), r[3] = std::log(4.0f);
  r[4] = 0.8f, r[5] = 0.5f;  // person score 0.4
  // A confident non-person (class 1) at row 0 must be ignored.
  row(0)[4] = 1.0f, row(0)[6] = 1.0f;
  const float scale = 0.5f;
  const std::vector<Detection> people = detail::DecodeYoloxPeople(rows.data(), size, scale, 0.3f);
  ASSERT_EQ(people.size(), 1u);
  // cx = (0.5+2)*16 = 40, cy = (0.25+1)*16 = 20, w = 32, h = 64; then divided by 0.5.
  EXPECT_FLOAT_EQ(people[0].box.x, (40 - 16) / scale);
  EXPECT_FLOAT_EQ(people[0].box.y, (20 - 32) / scale);
  EXPECT_FLOAT_EQ(people[0].box.w, 32 / scale);
  EXPECT_FLOAT_EQ(people[0].box.h, 64 / scale);
  EXPECT_FLOAT_EQ(people[0].score, 0.4f);
  EXPECT_TRUE(detail::DecodeYoloxPeople(rows.data(), size, scale, 0.5f).empty());
}

TEST(YoloxDetectorTest, MissingModelIsNotFound) {
  auto det = MakeDetector(YoloxOptions("/nonexistent/yolox.onnx"));
  ASSERT_FALSE(det.ok());
  EXPECT_EQ(det.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(det.status().message(), HasSubstr("/nonexistent/yolox.onnx"));
}

TEST(YoloxDetectorTest, RandomBytesAreUnsupported) {
  TempDir dir;
  std::mt19937 rng(3);
  std::string bytes(4096, '\0');
  for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
  WriteBytes(dir.File("random.onnx"), bytes);
  auto det = MakeDetector(YoloxOptions(dir.File("random.onnx")));
  ASSERT_FALSE(det.ok());
  EXPECT_EQ(det.status().code(), StatusCode::kUnsupported);
  EXPECT_THAT(det.status().message(), HasSubstr("random.onnx"));
}

TEST(YoloxDetectorTest, TruncatedModelIsUnsupported) {
  SKIP_WITHOUT_MODEL();
  TempDir dir;
  std::ifstream in(ModelPath(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  WriteBytes(dir.File("half.onnx"), bytes.substr(0, bytes.size() / 2));
  auto det = MakeDetector(YoloxOptions(dir.File("half.onnx")));
  ASSERT_FALSE(det.ok());
  EXPECT_EQ(det.status().code(), StatusCode::kUnsupported);
}

TEST(YoloxDetectorTest, OnnxOfAnotherShapeIsUnsupportedAndNamesTheExpectedShape) {
  TempDir dir;
  WriteBytes(dir.File("relu.onnx"), ReluOnnxModel());
  auto det = MakeDetector(YoloxOptions(dir.File("relu.onnx")));
  ASSERT_FALSE(det.ok());
  EXPECT_EQ(det.status().code(), StatusCode::kUnsupported);
  EXPECT_THAT(det.status().message(), HasSubstr("[1,3549,85]"));
  EXPECT_THAT(det.status().message(), HasSubstr("[1,3,416,416]"));
}

TEST(YoloxDetectorTest, FindsSeveralPeopleOnVtestFrame100) {
  SKIP_WITHOUT_MODEL();
  const cv::Mat frame = testing::ReadVtestFrame(100);
  if (frame.empty()) GTEST_SKIP() << "install opencv-doc for " << testing::kVtestPath;
  auto det = MakeDetector(YoloxOptions(ModelPath()));
  ASSERT_TRUE(det.ok()) << det.status().ToString();
  EXPECT_EQ((*det)->model_paths(), std::vector<std::string>{ModelPath()});
  auto people = (*det)->Detect(frame);
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  EXPECT_GE(people->size(), 5u);
  EXPECT_LE(people->size(), 20u);
  for (size_t i = 0; i < people->size(); ++i) {
    const Detection& d = (*people)[i];
    EXPECT_GE(d.box.x, 0);
    EXPECT_GE(d.box.y, 0);
    EXPECT_LE(d.box.x + d.box.w, frame.cols + 1e-3f);
    EXPECT_LE(d.box.y + d.box.h, frame.rows + 1e-3f);
    // Walkers in vtest are 30-100 px tall (far ones are small) and taller than wide.
    EXPECT_GT(d.box.h, 20);
    EXPECT_LT(d.box.h, 200);
    EXPECT_GT(d.box.h, d.box.w);
    EXPECT_GE(d.score, 0.3f);
    EXPECT_LE(d.score, 1.0f);
    if (i > 0) {
      EXPECT_GE((*people)[i - 1].score, d.score);
    }
  }
}

TEST(YoloxDetectorTest, FindsNobodyOnABlankImage) {
  SKIP_WITHOUT_MODEL();
  auto det = MakeDetector(YoloxOptions(ModelPath()));
  ASSERT_TRUE(det.ok()) << det.status().ToString();
  for (int grey : {0, 128, 255}) {
    auto people = (*det)->Detect(cv::Mat(576, 768, CV_8UC3, cv::Scalar::all(grey)));
    ASSERT_TRUE(people.ok());
    EXPECT_TRUE(people->empty()) << "grey " << grey;
  }
}

}  // namespace
}  // namespace monokin::detect

namespace monokin::detect {
namespace {

TEST(YoloxDetectorTest, RunsAtAnotherInputSize) {
  // OpenCV re-derives the graph's shapes from the input, so the 416 export also runs at 640
  // (8400 output rows).
  SKIP_WITHOUT_MODEL();
  const cv::Mat frame = testing::ReadVtestFrame(100);
  if (frame.empty()) GTEST_SKIP() << "install opencv-doc for " << testing::kVtestPath;
  DetectorOptions o = YoloxOptions(ModelPath());
  o.input_size_px = 640;
  auto det = MakeDetector(o);
  ASSERT_TRUE(det.ok()) << det.status().ToString();
  auto people = (*det)->Detect(frame);
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  EXPECT_GE(people->size(), 5u);
  for (const Detection& d : *people) EXPECT_LE(d.box.y + d.box.h, frame.rows + 1e-3f);
}

TEST(YoloxDetectorTest, TinyAndOddShapedImagesWork) {
  SKIP_WITHOUT_MODEL();
  auto det = MakeDetector(YoloxOptions(ModelPath()));
  ASSERT_TRUE(det.ok()) << det.status().ToString();
  for (const cv::Size size : {cv::Size(5, 3), cv::Size(1000, 40), cv::Size(40, 1000)}) {
    auto people = (*det)->Detect(cv::Mat(size, CV_8UC3, cv::Scalar::all(90)));
    ASSERT_TRUE(people.ok()) << people.status().ToString();
    EXPECT_TRUE(people->empty());
  }
  EXPECT_EQ((*det)->Detect(cv::Mat()).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace monokin::detect

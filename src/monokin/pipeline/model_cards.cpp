// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/model_cards.h"

#include <filesystem>

#include "monokin/core/sha256.h"
#include "monokin/pose/model_files.h"

namespace monokin::pipeline {
namespace {

constexpr const char* kMediaPipe =
    "npm package @mediapipe/pose 0.5.1675469404 (installed by scripts/setup)";

ModelCard Card(std::string name, std::string role, std::string input, std::string output,
               std::string licence, std::string source) {
  ModelCard c;
  c.name = std::move(name);
  c.role = std::move(role);
  c.input = std::move(input);
  c.output = std::move(output);
  c.licence = std::move(licence);
  c.source = std::move(source);
  return c;
}

void SetFound(ModelCard& card, const std::string& path) {
  card.path = path;
  Result<std::string> sha = Sha256File(path);
  if (sha.ok()) card.sha256 = *sha;
}

void Locate(ModelCard& card, const std::string& models_dir, const std::vector<std::string>& files) {
  Result<std::string> path = pose::FindModelFile(models_dir, files);
  if (path.ok()) {
    SetFound(card, *path);
  } else {
    card.note = path.status().message();
  }
}

}  // namespace

std::vector<ModelCard> ListModelCards(const std::string& models_dir,
                                      const std::string& detector_model) {
  std::vector<ModelCard> cards;
  ModelCard det = Card(
      "blazepose-detector", "detector",
      "224x224 RGB, letterboxed (keep aspect, zero border), values in [-1, 1]",
      "2254 SSD anchors (strides 8,16,32,32,32): box + 4 keypoints and a score logit; sigmoid, "
      "weighted NMS (IoU 0.3); hip centre and scale point give the person's region",
      "Apache-2.0", kMediaPipe);
  Locate(det, models_dir, {pose::kDetectorModelFile, pose::kDetectorModelFileAlt});
  cards.push_back(det);
  for (const char* variant : {"lite", "full", "heavy"}) {
    ModelCard lm = Card(
        std::string("blazepose-landmark-") + variant, "pose",
        "256x256 RGB crop of the rotated person region (replicated border), values in [0, 1]",
        "33 landmarks (x, y, z px of the crop; visibility and presence logits), pose presence, "
        "33 world landmarks (metres, hip-centred), segmentation logits, refinement heatmap",
        "Apache-2.0", kMediaPipe);
    Locate(lm, models_dir, {pose::LandmarkModelFile(variant)});
    cards.push_back(lm);
  }
  ModelCard yolox = Card(
      "yolox", "detector",
      "NxN BGR 0..255 NCHW (N = detect.input_size_px, 416 for nano), letterboxed top-left on a "
      "114-grey canvas",
      "[1, cells, 85] for strides 8/16/32: (tx, ty, tw, th, obj, 80 class scores); person = class "
      "0; score = obj x cls; NMS",
      "Apache-2.0 (YOLOX by Megvii)", "not shipped: pass an ONNX file with --detector-model");
  if (!detector_model.empty()) {
    if (std::filesystem::exists(detector_model)) {
      SetFound(yolox, detector_model);
    } else {
      yolox.note = "no file at '" + detector_model + "'";
    }
  }
  cards.push_back(yolox);
  ModelCard hog = Card("hog-people", "detector",
                       "grey gradients of the frame, 64x128 window, image pyramid",
                       "SVM score per window; boxes shrunk to the person; NMS",
                       "built into OpenCV (Apache-2.0)", "OpenCV's default people detector");
  hog.path = "(built in, no file)";
  cards.push_back(hog);
  return cards;
}

}  // namespace monokin::pipeline

// SPDX-License-Identifier: Apache-2.0
// Model cards: what each model monokin can use expects and gives, its licence, where it was
// found on this machine and its SHA-256. `monokin models` prints them.
#pragma once

#include <string>
#include <vector>

namespace monokin::pipeline {

struct ModelCard {
  std::string name;        // e.g. "blazepose-landmark-full"
  std::string role;        // "pose" | "detector"
  std::string input;       // size, colour order, normalisation
  std::string output;      // what comes out and how it is decoded
  std::string licence;
  std::string source;      // where it comes from
  std::string path;        // where it was found; empty when not found
  std::string sha256;      // of the file found
  std::string note;        // why it was not found, or what to do
};

// Every known model. `models_dir` as in pose.models_dir; `detector_model` the YOLOX file the
// user named, if any (YOLOX is not shipped).
std::vector<ModelCard> ListModelCards(const std::string& models_dir,
                                      const std::string& detector_model);

}  // namespace monokin::pipeline

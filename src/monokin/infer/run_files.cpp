// SPDX-License-Identifier: Apache-2.0
#include "monokin/infer/run_files.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>

#include "monokin/core/sha256.h"
#include "monokin/infer/model.h"

namespace monokin::infer {
namespace {

std::string SafeFileName(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

Result<std::vector<std::uint8_t>> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return NotFound(fmt::format("cannot open input file '{}'", path));
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                                  std::istreambuf_iterator<char>());
  return bytes;
}

}  // namespace

Status RunModelOnFiles(const std::string& model_path, const std::vector<std::string>& input_bins,
                       const std::string& out_dir, int threads) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  MK_ASSIGN_OR_RETURN(std::unique_ptr<Model> model,
                      LoadTfliteModel(model_path, ModelOptions{.threads = threads}));
  const auto t1 = Clock::now();
  const std::vector<TensorSpec>& specs = model->inputs();
  if (input_bins.size() != specs.size()) {
    return InvalidArgument(fmt::format("model '{}' has {} input(s); got {} input file(s)",
                                       model_path, specs.size(), input_bins.size()));
  }
  std::vector<Tensor> inputs;
  nlohmann::json inputs_json = nlohmann::json::array();
  nlohmann::json model_inputs = nlohmann::json::array();
  for (size_t i = 0; i < specs.size(); ++i) {
    MK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> bytes, ReadFile(input_bins[i]));
    std::size_t count = 1;
    for (int d : specs[i].shape) count *= static_cast<std::size_t>(d);
    if (bytes.size() != count * sizeof(float)) {
      return InvalidArgument(fmt::format(
          "input file '{}' has {} bytes; input {} '{}' of shape [{}] needs {} bytes ({} float32 "
          "values)",
          input_bins[i], bytes.size(), i, specs[i].name, fmt::join(specs[i].shape, ","),
          count * sizeof(float), count));
    }
    Tensor t{specs[i].name, specs[i].shape, std::vector<float>(count)};
    std::memcpy(t.data.data(), bytes.data(), bytes.size());
    inputs.push_back(std::move(t));
    inputs_json.push_back({{"file", input_bins[i]}, {"sha256", Sha256Hex(bytes)}});
    model_inputs.push_back(
        {{"name", specs[i].name}, {"dtype", "float32"}, {"shape", specs[i].shape}});
  }
  const auto t2 = Clock::now();
  MK_ASSIGN_OR_RETURN(std::vector<Tensor> outputs, model->Run(inputs));
  const auto t3 = Clock::now();

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Unavailable(fmt::format("cannot create '{}': {}", out_dir, ec.message()));
  nlohmann::json outputs_json = nlohmann::json::array();
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& t = outputs[i];
    const std::string file = SafeFileName(t.name) + ".bin";
    const std::string path = (std::filesystem::path(out_dir) / file).string();
    std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(t.data.data()),
                                        t.data.size() * sizeof(float));
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
    if (!f) return Unavailable(fmt::format("cannot write '{}'", path));
    double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0;
    std::int64_t non_finite = 0;
    for (float v : t.data) {
      if (!std::isfinite(v)) {
        ++non_finite;
        continue;
      }
      lo = std::min<double>(lo, v);
      hi = std::max<double>(hi, v);
      sum += v;
    }
    const auto finite = static_cast<double>(t.data.size() - non_finite);
    outputs_json.push_back({{"index", i},
                            {"name", t.name},
                            {"dtype", "float32"},
                            {"shape", t.shape},
                            {"file", file},
                            {"sha256", Sha256Hex(bytes)},
                            {"min", lo},
                            {"max", hi},
                            {"mean", finite > 0 ? sum / finite : 0.0},
                            {"non_finite", non_finite}});
  }
  auto ms = [](Clock::duration d) {
    return std::round(std::chrono::duration<double, std::milli>(d).count() * 10) / 10;
  };
  const nlohmann::json json = {
      {"runtime", fmt::format("monokin infer (threads={})", threads)},
      {"model", model_path},
      {"inputs", inputs_json},
      {"byte_order", "little-endian"},
      {"layout", "row-major, shapes as reported by the model (NHWC for images)"},
      {"model_inputs", model_inputs},
      {"outputs", outputs_json},
      {"timing_ms", {{"load_and_prepare", ms(t1 - t0)}, {"invoke", ms(t3 - t2)}}},
  };
  const std::string json_path = (std::filesystem::path(out_dir) / "outputs.json").string();
  std::ofstream jf(json_path);
  jf << json.dump(2) << "\n";
  if (!jf) return Unavailable(fmt::format("cannot write '{}'", json_path));
  return OkStatus();
}

}  // namespace monokin::infer

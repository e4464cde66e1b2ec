// SPDX-License-Identifier: Apache-2.0
// A folder of still images as a video: files in natural name order ("f2" before "f10"), one
// frame each, timed at index / folder_fps since images carry no timing.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string_view>
#include <system_error>
#include <vector>

#include "monokin/core/log.h"
#include "monokin/video/detail/quiet_opencv.h"
#include "monokin/video/detail/sources.h"

namespace monokin::video::detail {
namespace {

namespace fs = std::filesystem;

constexpr const char* kImageExtensions[] = {".jpg",  ".jpeg", ".png", ".bmp", ".tif", ".tiff",
                                            ".webp", ".pgm",  ".ppm", ".pnm", ".jp2"};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsImageName(const fs::path& p) {
  const std::string name = p.filename().string();
  if (name.empty() || name[0] == '.') return false;  // hidden files, editor droppings
  const std::string ext = Lower(p.extension().string());
  return std::find(std::begin(kImageExtensions), std::end(kImageExtensions), ext) !=
         std::end(kImageExtensions);
}

// Natural order: runs of digits compare as numbers, so frame_9 < frame_10; ties (frame_01 vs
// frame_1) and everything else compare byte-wise, which keeps the order total.
bool NaturalLess(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
    const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
    if (da && db) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      std::string_view na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  if ((a.size() - i) != (b.size() - j)) return (a.size() - i) < (b.size() - j);
  return a < b;
}

class FolderSource final : public Source {
 public:
  FolderSource(const SourceOptions& options, std::vector<fs::path> files)
      : options_(options), files_(std::move(files)) {
    info_.uri = options.uri;
    info_.kind = SourceKind::kImageFolder;
    info_.live = false;
    info_.fps = options.folder_fps;
    info_.frame_count = static_cast<std::int64_t>(files_.size());
    info_.codec = "images";
  }

  // Reads the first image, so that info() has the frame size and a bad first file fails early.
  Status Start() {
    MK_ASSIGN_OR_RETURN(Frame first, Read(0));
    info_.width_px = first.info.width_px;
    info_.height_px = first.info.height_px;
    first_ = std::move(first);
    MK_LOG(kInfo, "opened image folder {} ({} images, {}x{}, timed at {:.2f} fps)", info_.uri,
           files_.size(), info_.width_px, info_.height_px, info_.fps);
    return OkStatus();
  }

  const SourceInfo& info() const override { return info_; }

  Result<std::optional<Frame>> Next() override {
    if (first_) {
      std::optional<Frame> frame = std::move(first_);
      first_.reset();
      next_ = 1;
      return frame;
    }
    if (failed_) return *failed_;
    if (next_ >= files_.size()) return std::optional<Frame>();
    Result<Frame> frame = Read(next_);
    if (!frame.ok()) {
      failed_ = frame.status();
      return *failed_;
    }
    ++next_;
    return std::optional<Frame>(std::move(frame).value());
  }

 private:
  Result<Frame> Read(std::size_t index) {
    const std::string path = files_[index].string();
    cv::Mat image;
    try {
      QuietOpenCv quiet;
      image = cv::imread(path, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
      image.release();
    }
    Frame frame;
    if (!image.empty()) frame.bgr = ToBgr8(image);
    if (frame.bgr.empty()) {
      const double t_s = static_cast<double>(index) / options_.folder_fps;
      return DataLoss(fmt::format(
          "image '{}' (frame {}) could not be read as an image; stopping at {} frames ({:.1f} s); "
          "fix or remove that file",
          path, index, index, t_s));
    }
    frame.info.index = static_cast<FrameIndex>(index);
    frame.info.pts = Micros(std::llround(static_cast<double>(index) * 1e6 / options_.folder_fps));
    frame.info.width_px = frame.bgr.cols;
    frame.info.height_px = frame.bgr.rows;
    return frame;
  }

  SourceOptions options_;
  std::vector<fs::path> files_;
  SourceInfo info_;
  std::optional<Frame> first_;
  std::size_t next_ = 0;
  std::optional<Status> failed_;
};

}  // namespace

std::span<const char* const> ImageExtensions() { return kImageExtensions; }

cv::Mat ToBgr8(const cv::Mat& image) {
  if (image.empty()) return {};
  cv::Mat eight = image;
  try {
    if (image.depth() == CV_16U) {
      image.convertTo(eight, CV_8U, 1.0 / 257);  // 65535 -> 255
    } else if (image.depth() != CV_8U) {
      return {};
    }
    cv::Mat bgr;
    switch (eight.channels()) {
      case 1:
        cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
        return bgr;
      case 3:
        return eight;
      case 4:
        cv::cvtColor(eight, bgr, cv::COLOR_BGRA2BGR);
        return bgr;
      default:
        return {};
    }
  } catch (const cv::Exception&) {
    return {};
  }
}

Result<std::unique_ptr<Source>> OpenImageFolder(const SourceOptions& options) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(options.uri, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && IsImageName(it->path())) files.push_back(it->path());
  }
  if (ec) {
    return NotFound(
        fmt::format("cannot list image folder '{}': {}; check the path and its "
                    "permissions",
                    options.uri, ec.message()));
  }
  if (files.empty()) {
    return Unsupported(fmt::format(
        "image folder '{}' has no images; it reads files ending in {} (case-insensitive)",
        options.uri, fmt::join(kImageExtensions, " ")));
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return NaturalLess(a.filename().string(), b.filename().string());
  });
  auto source = std::make_unique<FolderSource>(options, std::move(files));
  MK_RETURN_IF_ERROR(source->Start());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace monokin::video::detail

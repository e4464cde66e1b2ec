// SPDX-License-Identifier: Apache-2.0
// The concrete sources behind OpenSource(). Options are already validated and the kind decided.
#pragma once

#include <memory>
#include <opencv2/core/mat.hpp>
#include <span>

#include "monokin/video/source.h"

namespace monokin::video::detail {

// Files, cameras and URLs, through cv::VideoCapture.
Result<std::unique_ptr<Source>> OpenCapture(const SourceOptions& options, SourceKind kind);

// A folder of still images, in natural name order.
Result<std::unique_ptr<Source>> OpenImageFolder(const SourceOptions& options);

// `image` as 8-bit BGR (gray, BGRA and 16-bit input converted); empty for other layouts.
cv::Mat ToBgr8(const cv::Mat& image);

// The image-file extensions an image folder reads, lower case with the dot (".jpg", ...).
std::span<const char* const> ImageExtensions();

}  // namespace monokin::video::detail

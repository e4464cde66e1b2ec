// SPDX-License-Identifier: Apache-2.0
// SHA-256 (FIPS 180-4), for model and input checksums recorded in run.json.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "monokin/core/status.h"

namespace monokin {

// Lower-case hex digest of `data`.
std::string Sha256Hex(std::span<const std::uint8_t> data);

// Lower-case hex digest of a file's bytes; kNotFound when it cannot be read.
Result<std::string> Sha256File(const std::string& path);

}  // namespace monokin

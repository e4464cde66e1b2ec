// SPDX-License-Identifier: Apache-2.0
// Configuration as JSON. The options structs are the schema: their to_json() gives the
// defaults, a config file or `--set key=value` patches them, and any key the defaults do not
// have is an error (typos never become silent defaults). An object that is empty in the
// defaults is a free map (for per-athlete settings) and takes any keys.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "monokin/core/status.h"

namespace monokin {

// Overlays `patch` onto `base` (the defaults). Fails with kInvalidArgument on a key that
// `base` lacks or on a value of another kind (number vs string vs bool vs object), naming the
// full key path and `source` (a file name or "--set").
Status MergeConfig(nlohmann::json& base, const nlohmann::json& patch, std::string_view source);

// Applies one "a.b.c=value" to `base`. The value is read as JSON when it parses (numbers,
// true/false, arrays, quoted strings) and as a plain string otherwise.
Status ApplySetting(nlohmann::json& base, std::string_view assignment);

// Reads and parses a JSON file: kNotFound when missing, kInvalidArgument when not JSON.
Result<nlohmann::json> LoadJsonFile(const std::string& path);

}  // namespace monokin

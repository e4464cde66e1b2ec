// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/config.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace monokin {
namespace {

using nlohmann::json;

// Kinds that may replace each other: any number for any number.
bool SameKind(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return true;
  return a.type() == b.type();
}

std::string KindName(const json& j) {
  if (j.is_number()) return "a number";
  if (j.is_boolean()) return "true or false";
  if (j.is_string()) return "a string";
  if (j.is_object()) return "an object";
  if (j.is_array()) return "a list";
  return "null";
}

std::string Keys(const json& obj) {
  std::string out;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!out.empty()) out += ", ";
    out += it.key();
  }
  return out;
}

Status MergeAt(json& base, const json& patch, const std::string& path, std::string_view source) {
  if (!patch.is_object()) {
    return InvalidArgument(fmt::format("{}: expected an object at '{}', got {}", source,
                                       path.empty() ? "<top>" : path, KindName(patch)));
  }
  const bool free_map = base.is_object() && base.empty();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string key = path.empty() ? it.key() : path + "." + it.key();
    if (free_map) {
      base[it.key()] = it.value();
      continue;
    }
    if (!base.contains(it.key())) {
      return InvalidArgument(fmt::format("unknown config key '{}' in {}; known keys here: {}", key,
                                         source, Keys(base)));
    }
    json& target = base[it.key()];
    if (!SameKind(target, it.value())) {
      return InvalidArgument(fmt::format("config key '{}' in {} must be {}; got {}", key, source,
                                         KindName(target), it.value().dump()));
    }
    if (target.is_object()) {
      MK_RETURN_IF_ERROR(MergeAt(target, it.value(), key, source));
    } else {
      target = it.value();
    }
  }
  return OkStatus();
}

}  // namespace

Status MergeConfig(json& base, const json& patch, std::string_view source) {
  return MergeAt(base, patch, "", source);
}

Status ApplySetting(json& base, std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return InvalidArgument(fmt::format("--set expects key=value (e.g. track.match_iou=0.3); got '{}'",
                                       assignment));
  }
  const std::string key(assignment.substr(0, eq));
  const std::string text(assignment.substr(eq + 1));
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;
  // Build the nested patch {"a":{"b":{"c":value}}}.
  json patch = value;
  std::string rest = key;
  while (true) {
    const auto dot = rest.rfind('.');
    const std::string leaf = dot == std::string::npos ? rest : rest.substr(dot + 1);
    if (leaf.empty()) return InvalidArgument(fmt::format("--set key '{}' has an empty part", key));
    patch = json{{leaf, patch}};
    if (dot == std::string::npos) break;
    rest = rest.substr(0, dot);
  }
  return MergeConfig(base, patch, "--set " + key);
}

Result<json> LoadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(fmt::format("cannot open config file '{}'; check the path", path));
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return InvalidArgument(fmt::format("config file '{}' is not valid JSON", path));
  }
  return j;
}

}  // namespace monokin

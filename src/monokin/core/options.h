// SPDX-License-Identifier: Apache-2.0
// Helpers for the options structs of the stages: the fields are listed once for both JSON
// directions, and Validate() collects every bad field, one line each, named by its full key.
//
//   template <typename O, typename F> void Fields(O& o, F&& f) { f("a", o.a); f("b", o.b); }
//   void to_json(json& j, const X& o) { FieldsToJson(j, o, [](auto& o, auto&& f) { Fields(o, f);
//   }); } void from_json(const json& j, X& o) { FieldsFromJson(j, o, [](auto& o, auto&& f) {
//   Fields(o, f); }); }
//
//   OptionErrors e("track.byte.");
//   e.Between("high_score", high_score, 0, 1);  // "track.byte.high_score must be between 0 and 1;
//   got 2" return e.ToStatus();
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "monokin/core/status.h"

namespace monokin {

// `visit(o, f)` calls f(key, field) for every field of `o`.
template <typename O, typename Visit>
void FieldsToJson(nlohmann::json& j, const O& o, Visit&& visit) {
  j = nlohmann::json::object();
  visit(o, [&j](const char* key, const auto& v) { j[key] = v; });
}

// Fields absent from `j` keep their current value (unknown keys are MergeConfig's business).
template <typename O, typename Visit>
void FieldsFromJson(const nlohmann::json& j, O& o, Visit&& visit) {
  visit(o, [&j](const char* key, auto& v) {
    if (j.contains(key)) j.at(key).get_to(v);
  });
}

class OptionErrors {
 public:
  explicit OptionErrors(std::string prefix) : prefix_(std::move(prefix)) {}
  // "<prefix><key> must be between <lo> and <hi>; got <v>" unless lo <= v <= hi (NaN fails).
  void Between(std::string_view key, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      errors_.push_back(
          fmt::format("{}{} must be between {} and {}; got {}", prefix_, key, lo, hi, v));
    }
  }
  // "<prefix><key> <rule>; got <v>" unless `ok`.
  template <typename T>
  void Require(bool ok, std::string_view key, std::string_view rule, const T& v) {
    if (!ok) errors_.push_back(fmt::format("{}{} {}; got {}", prefix_, key, rule, v));
  }
  void Add(std::string line) { errors_.push_back(std::move(line)); }
  // The lines of another options struct's Validate().
  void Merge(const Status& s) {
    if (!s.ok()) errors_.push_back(s.message());
  }
  Status ToStatus() const {
    if (errors_.empty()) return OkStatus();
    std::string text;
    for (const std::string& e : errors_) {
      if (!text.empty()) text += '\n';
      text += e;
    }
    return InvalidArgument(text);
  }

 private:
  std::string prefix_;
  std::vector<std::string> errors_;
};

}  // namespace monokin

// SPDX-License-Identifier: Apache-2.0
#include "monokin/moments/export.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace monokin::moments {
namespace {

double Round(double v, int decimals) {
  if (!std::isfinite(v)) return v;
  const double s = std::pow(10.0, decimals);
  return std::round(v * s) / s;
}

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Row colours per type (16-bit per channel, as the format stores them).
struct Rgb {
  int r, g, b;
};
Rgb ColourFor(std::string_view type) {
  static const std::map<std::string_view, Rgb> kColours = {
      {"jump", {65535, 32768, 0}},
      {"sprint", {65535, 0, 0}},
      {"acceleration", {0, 52428, 0}},
      {"deceleration", {0, 26214, 65535}},
      {"change_of_direction", {52428, 0, 52428}},
      {"strike", {65535, 52428, 0}},
      {"fall", {26214, 26214, 26214}},
      {"repetition", {0, 52428, 52428}},
      {"converging", {39321, 19660, 0}},
      {"contact", {52428, 0, 26214}}};
  auto it = kColours.find(type);
  return it == kColours.end() ? Rgb{32768, 32768, 32768} : it->second;
}

std::string Seconds(double v) { return fmt::format("{:.3f}", std::max(0.0, v)); }

}  // namespace

nlohmann::json KeyMomentToJson(const KeyMoment& m) {
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [k, v] : m.values) {
    values[k] = std::isfinite(v) ? nlohmann::json(Round(v, 4)) : nlohmann::json();
  }
  return nlohmann::json{{"type", m.type},
                        {"athletes", m.athletes},
                        {"label", m.label},
                        {"start_s", Round(m.start_s, 3)},
                        {"peak_s", Round(m.peak_s, 3)},
                        {"end_s", Round(m.end_s, 3)},
                        {"start_frame", m.start_frame},
                        {"peak_frame", m.peak_frame},
                        {"end_frame", m.end_frame},
                        {"values", values},
                        {"confidence", Round(m.confidence, 3)}};
}

std::string MomentsJson(std::span<const KeyMoment> moments, const nlohmann::json& meta) {
  nlohmann::json j;
  if (!meta.is_null()) j["meta"] = meta;
  j["moments"] = nlohmann::json::array();
  nlohmann::json counts = nlohmann::json::object();
  for (const KeyMoment& m : moments) {
    j["moments"].push_back(KeyMomentToJson(m));
    counts[m.type] = counts.value(m.type, 0) + 1;
  }
  j["counts"] = counts;
  return j.dump(2) + "\n";
}

std::string MomentsXml(std::span<const KeyMoment> moments) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<file>\n  <ALL_INSTANCES>\n";
  std::map<std::string, int> codes;  // code -> first-seen order
  int id = 0;
  auto label = [&x](std::string_view group, std::string_view text) {
    x += fmt::format(
        "      <label>\n        <group>{}</group>\n        <text>{}</text>\n"
        "      </label>\n",
        Escape(group), Escape(text));
  };
  for (const KeyMoment& m : moments) {
    codes.emplace(m.type, static_cast<int>(codes.size()));
    x += "    <instance>\n";
    x += fmt::format("      <ID>{}</ID>\n", ++id);
    x += fmt::format("      <start>{}</start>\n", Seconds(m.start_s));
    x += fmt::format("      <end>{}</end>\n", Seconds(std::max(m.end_s, m.start_s)));
    x += fmt::format("      <code>{}</code>\n", Escape(m.type));
    for (TrackId a : m.athletes) label("athlete", fmt::format("{}", a));
    if (!m.label.empty()) label("detail", m.label);
    label("peak_s", fmt::format("{:.3f}", m.peak_s));
    label("confidence", fmt::format("{:.2f}", m.confidence));
    for (const auto& [k, v] : m.values) label(k, fmt::format("{:.4g}", v));
    x += "    </instance>\n";
  }
  x += "  </ALL_INSTANCES>\n  <ROWS>\n";
  std::vector<std::string> ordered(codes.size());
  for (const auto& [code, order] : codes) ordered[static_cast<size_t>(order)] = code;
  for (const std::string& code : ordered) {
    const Rgb c = ColourFor(code);
    x += fmt::format(
        "    <row>\n      <code>{}</code>\n      <R>{}</R>\n      <G>{}</G>\n      <B>{}</B>\n"
        "    </row>\n",
        Escape(code), c.r, c.g, c.b);
  }
  x += "  </ROWS>\n</file>\n";
  return x;
}

}  // namespace monokin::moments

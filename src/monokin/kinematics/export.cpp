// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/export.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace monokin::kinematics {
namespace {

void AppendNumber(std::string& out, double v, int decimals = 4) {
  if (std::isfinite(v)) out += fmt::format("{:.{}f}", v, decimals);
}

bool StartsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

std::vector<const KinematicSignal*> MotSignals(const AthleteKinematics& k) {
  std::vector<const KinematicSignal*> out;
  bool has3d = false;
  for (const KinematicSignal& s : k.signals) has3d |= StartsWith(s.name, "angle3d_");
  for (const KinematicSignal& s : k.signals) {
    if (StartsWith(s.name, has3d ? "angle3d_" : "angle_")) out.push_back(&s);
  }
  return out;
}

// Percentile of the finite values (q in 0..1); NaN when there are none.
double Percentile(const std::vector<double>& values, double q) {
  std::vector<double> v;
  for (double x : values) {
    if (std::isfinite(x)) v.push_back(x);
  }
  if (v.empty()) return NAN;
  const size_t idx = std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + idx, v.end());
  return v[idx];
}

nlohmann::json Num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

}  // namespace

std::vector<std::string> CsvColumns(const AthleteKinematics& k) {
  std::vector<std::string> out;
  for (const KinematicSignal& s : k.signals) out.push_back(s.name);
  return out;
}

std::string CsvRow(const AthleteKinematics& k, size_t i) {
  std::string out;
  for (size_t c = 0; c < k.signals.size(); ++c) {
    if (c) out += ',';
    AppendNumber(out, k.signals[c].values[i]);
  }
  return out;
}

long SampleOf(const AthleteKinematics& k, FrameIndex frame) {
  if (k.frames.empty() || frame < k.frames.front() || frame > k.frames.back()) return -1;
  return static_cast<long>(frame - k.frames.front());
}

std::string KinematicsCsv(const AthleteKinematics& k) {
  std::string out = "frame,time_s";
  for (const std::string& c : CsvColumns(k)) out += "," + c;
  out += '\n';
  for (size_t i = 0; i < k.time_s.size(); ++i) {
    out += fmt::format("{},{:.6f},", k.frames[i], k.time_s[i]);
    out += CsvRow(k, i);
    out += '\n';
  }
  return out;
}

std::string TrcText(const AthleteKinematics& k, const std::string& file_name) {
  const MarkerSeries& m = k.markers;
  const size_t n = k.time_s.size(), nm = m.names.size();
  std::string out = fmt::format("PathFileType\t4\t(X/Y/Z)\t{}\n", file_name);
  out +=
      "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\t"
      "OrigNumFrames\n";
  out += fmt::format("{:.6f}\t{:.6f}\t{}\t{}\t{}\t{:.6f}\t1\t{}\n", k.sample_rate_hz,
                     k.sample_rate_hz, n, nm, m.units, k.sample_rate_hz, n);
  out += "Frame#\tTime";
  for (const std::string& name : m.names) out += "\t" + name + "\t\t";
  out += "\n\t";
  for (size_t j = 0; j < nm; ++j) out += fmt::format("\tX{0}\tY{0}\tZ{0}", j + 1);
  out += "\n\n";
  for (size_t i = 0; i < n; ++i) {
    out += fmt::format("{}\t{:.6f}", i + 1, k.time_s[i] - k.time_s.front());
    for (size_t j = 0; j < nm; ++j) {
      for (int a = 0; a < 3; ++a) {
        out += '\t';
        const size_t at = (i * nm + j) * 3 + a;
        if (at < m.xyz.size()) AppendNumber(out, m.xyz[at], 6);
      }
    }
    out += '\n';
  }
  return out;
}

std::string MotText(const AthleteKinematics& k, const std::string& name) {
  const std::vector<const KinematicSignal*> cols = MotSignals(k);
  std::string out = name + "\n";
  out += "version=1\n";
  out += fmt::format("nRows={}\n", k.time_s.size());
  out += fmt::format("nColumns={}\n", cols.size() + 1);
  out += "inDegrees=yes\n";
  out += "endheader\n";
  out += "time";
  for (const KinematicSignal* s : cols) out += "\t" + s->name;
  out += '\n';
  for (size_t i = 0; i < k.time_s.size(); ++i) {
    out += fmt::format("{:.6f}", k.time_s[i] - k.time_s.front());
    for (const KinematicSignal* s : cols) {
      out += '\t';
      // OpenSim reads numbers only: a missing angle is written as NaN, which it accepts.
      if (std::isfinite(s->values[i])) {
        AppendNumber(out, s->values[i]);
      } else {
        out += "NaN";
      }
    }
    out += '\n';
  }
  return out;
}

nlohmann::json SummaryJson(const AthleteKinematics& k) {
  nlohmann::json j;
  j["id"] = k.id;
  j["samples"] = k.time_s.size();
  j["sample_rate_hz"] = k.sample_rate_hz;
  j["duration_s"] = k.time_s.empty() ? 0.0 : k.time_s.back() - k.time_s.front();
  j["causal"] = k.causal;
  j["scale"] = {{"source", k.scale.source},
                {"m_per_px", k.scale.m_per_px},
                {"height_m", k.scale.height_m},
                {"height_px", k.scale.height_px},
                {"frames_used", k.scale.frames_used},
                {"world_landmarks_3d", k.markers.source == "world+image"}};
  j["facing"] = {{"direction", k.facing}, {"confidence", k.facing_confidence}};
  j["cleaning"] = {{"swaps_repaired", k.swaps_repaired},
                   {"outliers_replaced", k.outliers_replaced}};
  nlohmann::json rom = nlohmann::json::object();
  for (const KinematicSignal& s : k.signals) {
    if (!StartsWith(s.name, "angle") && !StartsWith(s.name, "segment")) continue;
    if (StartsWith(s.name, "angvel") || StartsWith(s.name, "angacc")) continue;
    const double lo = Percentile(s.values, 0.05), hi = Percentile(s.values, 0.95);
    rom[s.name] = {{"p5", Num(lo)},
                   {"p95", Num(hi)},
                   {"range", Num(hi - lo)},
                   {"min", Num(Percentile(s.values, 0.0))},
                   {"max", Num(Percentile(s.values, 1.0))}};
  }
  j["range_of_motion_deg"] = rom;
  if (const KinematicSignal* d = k.Find("com_distance_m")) {
    const KinematicSignal* sp = k.Find("com_speed_m_s");
    j["centre_of_mass"] = {{"distance_m", Num(Percentile(d->values, 1.0))},
                           {"median_speed_m_s", Num(sp ? Percentile(sp->values, 0.5) : NAN)},
                           {"p95_speed_m_s", Num(sp ? Percentile(sp->values, 0.95) : NAN)}};
  }
  nlohmann::json reps = nlohmann::json::array();
  for (const Repetition& r : k.repetitions.repetitions) {
    reps.push_back({{"start_s", r.start_s},
                    {"peak_s", r.peak_s},
                    {"end_s", r.end_s},
                    {"range", r.range},
                    {"duration_s", r.duration_s},
                    {"up_s", r.up_s},
                    {"down_s", r.down_s}});
  }
  j["repetitions"] = {{"signal", k.repetitions.signal},
                      {"count", k.repetitions.repetitions.size()},
                      {"period_s", k.repetitions.period_s},
                      {"periodicity", k.repetitions.periodicity},
                      {"items", reps}};
  nlohmann::json events = nlohmann::json::array();
  for (const GaitEvent& e : k.gait.events) {
    events.push_back({{"time_s", e.time_s},
                      {"frame", e.frame},
                      {"foot", e.left ? "left" : "right"},
                      {"kind", e.kind == GaitEventKind::kFootStrike ? "strike" : "toe_off"}});
  }
  j["gait"] = {{"steps", k.gait.steps},
               {"cadence_spm", k.gait.cadence_spm},
               {"step_time_s", k.gait.step_time_s},
               {"stride_time_s", k.gait.stride_time_s},
               {"contact_time_s", k.gait.contact_time_s},
               {"flight_time_s", k.gait.flight_time_s},
               {"double_support_s", k.gait.double_support_s},
               {"events", events}};
  return j;
}

}  // namespace monokin::kinematics

// SPDX-License-Identifier: Apache-2.0
// Key moments as text: the moments.json timeline and the "instances" XML that sports
// video-analysis tools import (Hudl Sportscode's XML edit list layout; see README.md). The
// caller writes the files.
//
//   std::string json = MomentsJson(moments, meta);   // -> moments.json
//   std::string xml = MomentsXml(moments);           // -> moments.xml
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "monokin/core/moment.h"

namespace monokin::moments {

// One moment: {"type", "athletes": [ids], "label", "start_s", "peak_s", "end_s",
// "start_frame", "peak_frame", "end_frame", "values": {name: value}, "confidence"}.
// Times 3 decimals, values 4 significant decimals.
nlohmann::json KeyMomentToJson(const KeyMoment& m);

// The timeline: {"meta": meta (when not null), "moments": [...] in the given order,
// "counts": {type: count}}, pretty-printed with sorted keys.
std::string MomentsJson(std::span<const KeyMoment> moments,
                        const nlohmann::json& meta = nlohmann::json());

// <file><ALL_INSTANCES><instance>...</instance>...</ALL_INSTANCES><ROWS>...</ROWS></file>:
// one instance per moment (ID from 1, start/end in seconds, code = moment type, labels for the
// athletes, the detail, the confidence and each measured value), one row per code with a colour.
std::string MomentsXml(std::span<const KeyMoment> moments);

}  // namespace monokin::moments

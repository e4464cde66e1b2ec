// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/moments_outputs.h"

#include "monokin/moments/export.h"
#include "monokin/moments/moments.h"

namespace monokin::pipeline {

Result<std::vector<KeyMoment>> WriteMomentsOutputs(const std::vector<AthleteSeries>& series,
                                                   const std::vector<AthleteKinematics>& kinematics,
                                                   const moments::MomentsOptions& options,
                                                   const nlohmann::json& meta,
                                                   const std::string& out_dir) {
  MK_ASSIGN_OR_RETURN(std::vector<KeyMoment> found,
                      moments::DetectMoments(series, kinematics, options));
  MK_RETURN_IF_ERROR(
      output::WriteTextFileAtomic(out_dir + "/moments.json", moments::MomentsJson(found, meta)));
  MK_RETURN_IF_ERROR(
      output::WriteTextFileAtomic(out_dir + "/moments.xml", moments::MomentsXml(found)));
  return found;
}

}  // namespace monokin::pipeline

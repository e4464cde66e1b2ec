// SPDX-License-Identifier: Apache-2.0
// athletes/<id>.csv: one time series per track id, one row per frame the athlete is seen,
// flushed per row. A file is created (with its header) when its id first appears. Ids are
// never reused, but a crowd video can have thousands, so at most `max_open` files stay open
// (least recently written closed first) and a closed one is reopened in append mode.
//
// Columns come from a list, so a later stage can add its own:
//   auto cols = DefaultAthleteColumns();
//   cols.push_back({"speed_mps", [&](const FrameInfo& f, const Athlete& a) { return ...; }});
//   AthleteCsvWriter writer(std::move(cols));
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"
#include "monokin/output/line_file.h"

namespace monokin::output {

struct CsvColumn {
  std::string name;  // header text, with the unit as a suffix ("x_px", "t_s")
  // The cell for one athlete in one frame; must not contain a comma or a newline.
  std::function<std::string(const FrameInfo&, const Athlete&)> value;
};

// frame,t_s,x_px,y_px,w_px,h_px,score,cx_px,cy_px: frame index (0-based), pts in seconds
// (6 decimals), box (2 decimals), detection score (4 decimals), box centre (2 decimals).
std::vector<CsvColumn> DefaultAthleteColumns();

class AthleteCsvWriter {
 public:
  // Default open-file limit: well under the usual 1024 descriptors per process, which the
  // video decoder, models and the live server share.
  static constexpr std::size_t kDefaultMaxOpen = 64;

  explicit AthleteCsvWriter(std::vector<CsvColumn> columns = DefaultAthleteColumns(),
                            std::size_t max_open = kDefaultMaxOpen);

  // Creates `dir` (the athletes folder) if needed. kFailedPrecondition when it cannot.
  Status Open(const std::string& dir);
  // Appends one row to the file of each athlete with an id >= 0.
  Status Write(const FrameResult& result);
  // Closes every open file. Idempotent.
  Status Close();

  // Files created so far, as "<id>.csv", in order of creation.
  const std::vector<std::string>& created() const { return created_files_; }
  std::size_t open_count() const { return open_.size(); }

 private:
  struct OpenFile {
    detail::LineFile file;
    std::list<TrackId>::iterator lru_pos;
  };
  Result<detail::LineFile*> FileFor(TrackId id);

  std::vector<CsvColumn> columns_;
  std::size_t max_open_;
  std::string dir_;
  std::string header_;
  std::unordered_map<TrackId, OpenFile> open_;
  std::list<TrackId> lru_;  // front = most recently written
  std::unordered_set<TrackId> seen_;
  std::vector<std::string> created_files_;
};

}  // namespace monokin::output

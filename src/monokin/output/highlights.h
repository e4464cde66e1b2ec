// SPDX-License-Identifier: Apache-2.0
// Highlight clips of key moments: one file per moment (with pre- and post-roll) and a reel of
// them all with a caption per moment.
//
//   MK_RETURN_IF_ERROR(CutHighlights("match.mp4", moments, 2.0, 2.0, "out"));
//   // out/highlights/1_jump_7.mp4, out/highlights/2_contact_3-9.mp4, ..., out/highlights.mp4
#pragma once

#include <string>
#include <vector>

#include "monokin/core/moment.h"
#include "monokin/core/status.h"

namespace monokin::output {

// "<n>_<type>_<ids>.mp4" with n from 1 and ids joined by '-' (e.g. "2_contact_3-9.mp4").
std::string HighlightClipName(int n, const KeyMoment& moment);

// Frames [first, end) of a moment's clip in a video of `frame_count` frames at `fps`: the frames
// whose time index / fps lies in [start - pre_roll, end + post_roll), clamped to the video.
struct FrameRange {
  std::int64_t first = 0, end = 0;
  std::int64_t size() const { return end > first ? end - first : 0; }
};
FrameRange HighlightFrames(const KeyMoment& moment, double pre_roll_s, double post_roll_s,
                           double fps, std::int64_t frame_count);

// Writes out_dir/highlights/<n>_<type>_<ids>.mp4 for each moment (numbered in start order) and
// out_dir/highlights.mp4, the clips one after the other with a caption (number, type, athletes,
// time, main values) drawn on each frame. The clips come from one forward pass over the input
// (each frame decoded once, written to every clip covering it; frames between clips are only
// grabbed, or sought past with CAP_PROP_POS_MSEC when more than 5 s ahead) and the reel from a
// second pass on another thread (ranges may overlap, so it goes back when needed); a seek that
// lands wrongly falls back to reading from the start. Writes H.264 ('avc1'), else MPEG-4
// ('mp4v'). A moment entirely outside the video gets no clip (logged). kNotFound when the video
// is missing; kUnsupported when it cannot be decoded or no codec can write; kInvalidArgument for
// negative or non-finite rolls; kDataLoss when frames cannot be read back where expected.
Status CutHighlights(const std::string& video_path, const std::vector<KeyMoment>& moments,
                     double pre_roll_s, double post_roll_s, const std::string& out_dir);

}  // namespace monokin::output

// SPDX-License-Identifier: Apache-2.0
#include "monokin/video/detail/container_sniff.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace monokin::video::detail {
namespace {

constexpr std::size_t kSniffBytes = 256 * 1024;

std::uint32_t ReadLe32(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) return 0;
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i]));
  };
  return b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24;
}

std::uint32_t ReadBe32(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) return 0;
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i]));
  };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

// A FourCC made printable (non-printable bytes become '?').
std::string FourCc(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) return {};
  std::string out(s.substr(at, 4));
  for (char& c : out) {
    if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// AVI (RIFF): 'avih' holds dwTotalFrames as its fifth 32-bit field; the video stream's
// BITMAPINFOHEADER ('strf' after a 'vids' 'strh') holds biCompression at byte 16 of its body.
void SniffAvi(std::string_view head, ContainerGuess& g) {
  g.format = "avi";
  g.exact_frame_count = true;
  if (std::size_t p = head.find("avih"); p != std::string_view::npos && p + 28 <= head.size()) {
    g.header_frames = ReadLe32(head, p + 8 + 16);
  }
  std::size_t vids = std::string_view::npos;
  // 'strh' is followed by its 4-byte size, then the stream type.
  for (std::size_t p = head.find("strh"); p != std::string_view::npos;
       p = head.find("strh", p + 4)) {
    if (head.substr(p + 8, 4) == "vids") {
      vids = p;
      break;
    }
  }
  if (vids == std::string_view::npos) return;
  std::size_t strf = head.find("strf", vids);
  if (strf != std::string_view::npos) g.codec = FourCc(head, strf + 8 + 16);
}

// MP4/MOV: boxes are (size, type). The video track is the one whose 'hdlr' says 'vide'; its
// 'stsd' entry type is the codec and its 'stsz' sample_count the frame count.
void SniffMp4(std::string_view head, std::string_view tail, ContainerGuess& g) {
  g.format = "mp4";
  g.exact_frame_count = true;
  for (std::string_view s : {head, tail}) {
    std::size_t vide = s.find("vide");
    // 'hdlr' box: type, version/flags (4), pre_defined (4), then the handler type 'vide'.
    while (vide != std::string_view::npos && (vide < 12 || s.substr(vide - 12, 4) != "hdlr")) {
      vide = s.find("vide", vide + 4);
    }
    if (vide == std::string_view::npos) continue;
    if (std::size_t stsd = s.find("stsd", vide); stsd != std::string_view::npos) {
      g.codec = FourCc(s, stsd + 16);  // version/flags, entry_count, entry size, entry type
    }
    if (std::size_t stsz = s.find("stsz", vide); stsz != std::string_view::npos) {
      if (stsz + 16 <= s.size()) g.header_frames = ReadBe32(s, stsz + 12);
    }
    return;
  }
}

// Matroska/WebM: the CodecID element (0x86) holds a string such as "V_MPEG4/ISO/AVC".
void SniffMatroska(std::string_view head, ContainerGuess& g) {
  g.format = "matroska";
  for (std::size_t p = head.find("\x86"); p != std::string_view::npos;
       p = head.find("\x86", p + 1)) {
    if (p + 4 > head.size()) break;
    auto size_byte = static_cast<unsigned char>(head[p + 1]);
    if ((size_byte & 0x80) == 0) continue;  // only 1-byte sizes: codec ids are short
    std::size_t len = size_byte & 0x7F;
    std::string_view id = head.substr(p + 2, len);
    if (StartsWith(id, "V_")) {
      g.codec = std::string(id);
      return;
    }
  }
}

bool LooksLikeText(std::string_view head) {
  std::string_view s = head.substr(0, 512);
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u == '\n' || u == '\r' || u == '\t' || (u >= 0x20 && u != 0x7F);  // UTF-8 too
  });
}

}  // namespace

ContainerGuess SniffBytes(std::string_view head, std::string_view tail) {
  ContainerGuess g;
  if (StartsWith(head, "RIFF") && head.substr(8, 4) == "AVI ") {
    SniffAvi(head, g);
  } else if (head.size() >= 8 && (head.substr(4, 4) == "ftyp" || head.substr(4, 4) == "moov" ||
                                  head.substr(4, 4) == "mdat" || head.substr(4, 4) == "wide" ||
                                  head.substr(4, 4) == "free")) {
    SniffMp4(head, tail, g);
  } else if (StartsWith(head, "\x1A\x45\xDF\xA3")) {
    SniffMatroska(head, g);
  } else if (!head.empty() && head[0] == 0x47 && head.size() > 188 && head[188] == 0x47) {
    g.format = "mpegts";
  } else if (StartsWith(head, "FLV")) {
    g.format = "flv";
  } else if (StartsWith(head, "OggS")) {
    g.format = "ogg";
  } else if (StartsWith(head, "\x30\x26\xB2\x75")) {
    g.format = "asf";
  } else if (StartsWith(head, std::string_view("\x00\x00\x01\xBA", 4))) {
    g.format = "mpeg-ps";
  } else if (StartsWith(head, "YUV4MPEG2")) {
    g.format = "y4m";
  } else if (StartsWith(head, "GIF8")) {
    g.format = "gif";
  }
  if (g.format.empty()) g.looks_like_text = LooksLikeText(head);
  return g;
}

ContainerGuess SniffFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  std::string tail;
  if (head.size() == kSniffBytes) {
    in.clear();
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    const std::streamoff start =
        std::max<std::streamoff>(0, size - static_cast<std::streamoff>(kSniffBytes));
    in.seekg(start);
    tail.assign(static_cast<std::size_t>(size - start), '\0');
    in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    tail.resize(static_cast<std::size_t>(in.gcount()));
  }
  return SniffBytes(head, tail);
}

}  // namespace monokin::video::detail

// SPDX-License-Identifier: Apache-2.0
#include "monokin/video/detail/container_sniff.h"

#include <gtest/gtest.h>

#include <string>

namespace monokin::video::detail {
namespace {

std::string Le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}

std::string Be32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * (3 - i))) & 0xFF);
  return s;
}

TEST(ContainerSniffTest, ReadsAviFrameCountAndCodec) {
  std::string avi = "RIFF" + Le32(1000) + "AVI LIST" + Le32(200) + "hdrl";
  avi += "avih" + Le32(56) + Le32(40000) + Le32(0) + Le32(0) + Le32(0x10) + Le32(321) +
         std::string(36, '\0');
  avi += "LIST" + Le32(100) + "strl" + "strh" + Le32(56) + "vidsXVID" + std::string(48, '\0');
  avi += "strf" + Le32(40) + Le32(40) + Le32(64) + Le32(48) + std::string(4, '\0') + "DIVX" +
         std::string(20, '\0');
  const ContainerGuess g = SniffBytes(avi, "");
  EXPECT_EQ(g.format, "avi");
  EXPECT_TRUE(g.exact_frame_count);
  ASSERT_TRUE(g.header_frames.has_value());
  EXPECT_EQ(*g.header_frames, 321);
  EXPECT_EQ(g.codec, "DIVX");
}

TEST(ContainerSniffTest, ReadsMp4VideoTrackCodecAndSampleCount) {
  std::string mp4 = Be32(24) + "ftypisom" + std::string(12, '\0');
  mp4 += Be32(33) + "hdlr" + Be32(0) + Be32(0) + "soun" + std::string(13, '\0');  // audio first
  mp4 += Be32(33) + "hdlr" + Be32(0) + Be32(0) + "vide" + std::string(13, '\0');
  mp4 += Be32(100) + "stsd" + Be32(0) + Be32(1) + Be32(84) + "hvc1" + std::string(20, '\0');
  mp4 += Be32(20) + "stsz" + Be32(0) + Be32(0) + Be32(77);
  const ContainerGuess g = SniffBytes(mp4, "");
  EXPECT_EQ(g.format, "mp4");
  EXPECT_EQ(g.codec, "hvc1");
  ASSERT_TRUE(g.header_frames.has_value());
  EXPECT_EQ(*g.header_frames, 77);
}

TEST(ContainerSniffTest, FindsMp4IndexAtTheEnd) {
  const std::string head = Be32(24) + "ftypisom" + std::string(12, '\0') + Be32(9000) + "mdat";
  std::string tail = Be32(33) + "hdlr" + Be32(0) + Be32(0) + "vide" + std::string(13, '\0');
  tail += Be32(100) + "stsd" + Be32(0) + Be32(1) + Be32(84) + "avc1" + std::string(20, '\0');
  EXPECT_EQ(SniffBytes(head, tail).codec, "avc1");
}

TEST(ContainerSniffTest, ReadsMatroskaCodecId) {
  std::string mkv = "\x1A\x45\xDF\xA3";
  mkv += std::string(20, 'x') + "\x86\x8FV_MPEG4/ISO/AVC" + std::string(10, 'y');
  const ContainerGuess g = SniffBytes(mkv, "");
  EXPECT_EQ(g.format, "matroska");
  EXPECT_FALSE(g.exact_frame_count);
  EXPECT_EQ(g.codec, "V_MPEG4/ISO/AVC");
}

TEST(ContainerSniffTest, TextIsNotAContainer) {
  const ContainerGuess g = SniffBytes("frame,x,y\n1,2,3\n", "");
  EXPECT_TRUE(g.format.empty());
  EXPECT_TRUE(g.looks_like_text);
  const ContainerGuess binary = SniffBytes(std::string("\x01\x02\x03\xFF", 4), "");
  EXPECT_TRUE(binary.format.empty());
  EXPECT_FALSE(binary.looks_like_text);
}

}  // namespace
}  // namespace monokin::video::detail

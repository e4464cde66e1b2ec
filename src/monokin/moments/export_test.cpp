// SPDX-License-Identifier: Apache-2.0
#include "monokin/moments/export.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace monokin::moments {
namespace {

// A tiny XML reader (elements, text, the five predefined entities, an optional <?xml?>
// declaration; no attributes, comments or CDATA, which the export never writes). Returns null
// on any syntax error, including mismatched tags.
struct Node {
  std::string name, text;
  std::vector<std::unique_ptr<Node>> children;
  std::vector<const Node*> All(const std::string& n) const {
    std::vector<const Node*> out;
    for (const auto& c : children) {
      if (c->name == n) out.push_back(c.get());
    }
    return out;
  }
  const Node* One(const std::string& n) const {
    auto all = All(n);
    return all.size() == 1 ? all[0] : nullptr;
  }
};

class XmlReader {
 public:
  explicit XmlReader(const std::string& s) : s_(s) {}
  std::unique_ptr<Node> Document() {
    Skip();
    if (s_.compare(i_, 5, "<?xml") == 0) {
      const size_t e = s_.find("?>", i_);
      if (e == std::string::npos) return nullptr;
      i_ = e + 2;
    }
    Skip();
    auto root = Element();
    Skip();
    return root && i_ == s_.size() ? std::move(root) : nullptr;
  }

 private:
  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  std::string Name() {
    const size_t b = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) {
      ++i_;
    }
    return s_.substr(b, i_ - b);
  }
  bool Text(std::string& out) {
    while (i_ < s_.size() && s_[i_] != '<') {
      if (s_[i_] == '>') return false;
      if (s_[i_] == '&') {
        const size_t e = s_.find(';', i_);
        if (e == std::string::npos) return false;
        const std::string ent = s_.substr(i_ + 1, e - i_ - 1);
        if (ent == "amp")
          out += '&';
        else if (ent == "lt")
          out += '<';
        else if (ent == "gt")
          out += '>';
        else if (ent == "quot")
          out += '"';
        else if (ent == "apos")
          out += '\'';
        else
          return false;
        i_ = e + 1;
      } else {
        out += s_[i_++];
      }
    }
    return true;
  }
  std::unique_ptr<Node> Element() {
    if (i_ >= s_.size() || s_[i_] != '<') return nullptr;
    ++i_;
    auto n = std::make_unique<Node>();
    n->name = Name();
    if (n->name.empty() || i_ >= s_.size() || s_[i_] != '>') return nullptr;
    ++i_;
    while (true) {
      std::string text;
      if (!Text(text)) return nullptr;
      n->text += text;
      if (i_ >= s_.size()) return nullptr;
      if (s_.compare(i_, 2, "</") == 0) {
        i_ += 2;
        if (Name() != n->name || i_ >= s_.size() || s_[i_] != '>') return nullptr;
        ++i_;
        return n;
      }
      auto child = Element();
      if (!child) return nullptr;
      n->children.push_back(std::move(child));
    }
  }
  const std::string& s_;
  size_t i_ = 0;
};

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \n\t"), e = s.find_last_not_of(" \n\t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<KeyMoment> Sample() {
  KeyMoment jump;
  jump.type = "jump";
  jump.athletes = {3};
  jump.start_s = 1.25;
  jump.peak_s = 1.5;
  jump.end_s = 1.75;
  jump.start_frame = 37;
  jump.peak_frame = 45;
  jump.end_frame = 52;
  jump.values = {{"height_flight_m", 0.30656}, {"flight_time_s", 0.5}};
  jump.confidence = 0.9;
  KeyMoment contact;
  contact.type = "contact";
  contact.athletes = {2, 7};
  contact.label = "a<b & \"c\"";
  contact.start_s = 4.0;
  contact.peak_s = 4.1;
  contact.end_s = 4.3;
  contact.confidence = 0.5;
  KeyMoment jump2 = jump;
  jump2.athletes = {7};
  jump2.start_s = 6;
  jump2.end_s = 6.4;
  return {jump, contact, jump2};
}

TEST(MomentsExportTest, XmlParsesBackAsInstancesWithStartEndCodeAndLabels) {
  const std::vector<KeyMoment> moments = Sample();
  const std::string xml = MomentsXml(moments);
  XmlReader reader(xml);
  std::unique_ptr<Node> root = reader.Document();
  ASSERT_NE(root, nullptr) << xml;
  EXPECT_EQ(root->name, "file");
  const Node* all = root->One("ALL_INSTANCES");
  ASSERT_NE(all, nullptr);
  const auto instances = all->All("instance");
  ASSERT_EQ(instances.size(), moments.size());
  for (size_t i = 0; i < moments.size(); ++i) {
    const Node& inst = *instances[i];
    ASSERT_NE(inst.One("ID"), nullptr);
    EXPECT_EQ(std::stoi(inst.One("ID")->text), static_cast<int>(i + 1));
    EXPECT_NEAR(std::stod(inst.One("start")->text), moments[i].start_s, 1e-3);
    EXPECT_NEAR(std::stod(inst.One("end")->text), moments[i].end_s, 1e-3);
    EXPECT_EQ(inst.One("code")->text, moments[i].type);
    // Labels: one "athlete" group per athlete, plus detail, peak, confidence and values.
    std::vector<std::string> athletes;
    std::string detail;
    for (const Node* l : inst.All("label")) {
      ASSERT_NE(l->One("group"), nullptr);
      ASSERT_NE(l->One("text"), nullptr);
      if (l->One("group")->text == "athlete") athletes.push_back(l->One("text")->text);
      if (l->One("group")->text == "detail") detail = l->One("text")->text;
    }
    ASSERT_EQ(athletes.size(), moments[i].athletes.size());
    for (size_t a = 0; a < athletes.size(); ++a) {
      EXPECT_EQ(std::stoi(athletes[a]), moments[i].athletes[a]);
    }
    EXPECT_EQ(detail, moments[i].label);  // escaped and read back
  }
  // One row per code, in first-seen order, with 16-bit colours.
  const Node* rows = root->One("ROWS");
  ASSERT_NE(rows, nullptr);
  const auto r = rows->All("row");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]->One("code")->text, "jump");
  EXPECT_EQ(r[1]->One("code")->text, "contact");
  for (const Node* row : r) {
    for (const char* c : {"R", "G", "B"}) {
      ASSERT_NE(row->One(c), nullptr);
      const int v = std::stoi(row->One(c)->text);
      EXPECT_GE(v, 0);
      EXPECT_LE(v, 65535);
    }
  }
}

TEST(MomentsExportTest, XmlOfNoMomentsIsStillAValidFile) {
  const std::string xml = MomentsXml({});
  XmlReader reader(xml);
  std::unique_ptr<Node> root = reader.Document();
  ASSERT_NE(root, nullptr);
  ASSERT_NE(root->One("ALL_INSTANCES"), nullptr);
  EXPECT_TRUE(root->One("ALL_INSTANCES")->children.empty());
  EXPECT_EQ(Trim(root->One("ALL_INSTANCES")->text), "");
}

TEST(MomentsExportTest, TheReaderRejectsBrokenXml) {  // so that the test above can fail
  for (const std::string bad :
       {"<file><a></b></file>", "<file><a>x</a>", "<file>&bogus;</file>", "<file>a > b</file>"}) {
    XmlReader reader(bad);
    EXPECT_EQ(reader.Document(), nullptr) << bad;
  }
}

TEST(MomentsExportTest, JsonTimelineHasEveryMomentAndCounts) {
  const std::vector<KeyMoment> moments = Sample();
  const nlohmann::json meta = {{"version", "test"}};
  const nlohmann::json j = nlohmann::json::parse(MomentsJson(moments, meta));
  EXPECT_EQ(j.at("meta").at("version"), "test");
  ASSERT_EQ(j.at("moments").size(), 3u);
  const nlohmann::json& m = j.at("moments")[0];
  EXPECT_EQ(m.at("type"), "jump");
  EXPECT_EQ(m.at("athletes"), nlohmann::json::array({3}));
  EXPECT_DOUBLE_EQ(m.at("start_s").get<double>(), 1.25);
  EXPECT_EQ(m.at("peak_frame"), 45);
  EXPECT_DOUBLE_EQ(m.at("values").at("height_flight_m").get<double>(), 0.3066);
  EXPECT_EQ(j.at("moments")[1].at("athletes"), nlohmann::json::array({2, 7}));
  EXPECT_EQ(j.at("counts").at("jump"), 2);
  EXPECT_EQ(j.at("counts").at("contact"), 1);
  // No meta when none is given.
  EXPECT_FALSE(nlohmann::json::parse(MomentsJson(moments)).contains("meta"));
}

}  // namespace
}  // namespace monokin::moments

// SPDX-License-Identifier: Apache-2.0
// Stand-alone front end of RunMotEval until `monokin eval mot` is wired:
//   mot_eval --gt DIR --pred DIR [--seqmap FILE] [--out DIR] [--benchmark MOT17|MOT20|MOT15]
#include "monokin/eval/mot_eval.h"

#include <cstdio>
#include <string>

using namespace monokin;

int main(int argc, char** argv) {
  std::string gt, pred, out;
  eval::MotEvalOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--gt") {
      gt = value;
    } else if (flag == "--pred") {
      pred = value;
    } else if (flag == "--seqmap") {
      options.seqmap_path = value;
    } else if (flag == "--out") {
      out = value;
    } else if (flag == "--benchmark") {
      if (value == "MOT15") {
        options.preprocess.benchmark = eval::MotBenchmark::kMot15;
      } else if (value == "MOT20") {
        options.preprocess.benchmark = eval::MotBenchmark::kMot20;
      } else if (value != "MOT17" && value != "MOT16") {
        std::fprintf(stderr, "mot_eval: unknown benchmark '%s'\n", value.c_str());
        return 2;
      }
    } else {
      std::fprintf(stderr, "mot_eval: unknown flag '%s'\n", flag.c_str());
      return 2;
    }
  }
  if (gt.empty() || pred.empty()) {
    std::fprintf(stderr,
                 "usage: mot_eval --gt DIR --pred DIR [--seqmap FILE] [--out DIR] "
                 "[--benchmark MOT17|MOT20|MOT15]\n");
    return 2;
  }
  const auto report = eval::RunMotEval(gt, pred, options);
  if (!report.ok()) {
    std::fprintf(stderr, "mot_eval: %s\n", report.status().message().c_str());
    return ExitCodeFor(report.status().code());
  }
  std::fputs(report->table.c_str(), stdout);
  if (!out.empty()) {
    const Status s = eval::WriteMotEvalOutputs(*report, out);
    if (!s.ok()) {
      std::fprintf(stderr, "mot_eval: %s\n", s.message().c_str());
      return ExitCodeFor(s.code());
    }
  }
  return 0;
}

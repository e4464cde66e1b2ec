// SPDX-License-Identifier: Apache-2.0
// The Hampel filter's fixed-size windows four at a time in AVX registers: built with -mavx
// (CMakeLists.txt) and called only when the CPU has AVX (checked by the caller, Hampel). The same
// operations per window as the two-lane form in filters.cpp, so the same results.
#include "monokin/kinematics/hampel_lanes.h"

namespace monokin::kinematics {

int HampelAvx(int window, std::span<double> x, int before, double limit, bool causal) {
#if defined(__AVX__)
  switch (window) {
    case 5:
      return HampelLanes<5, 4>(x, before, limit, causal);
    case 7:
      return HampelLanes<7, 4>(x, before, limit, causal);
    case 9:
      return HampelLanes<9, 4>(x, before, limit, causal);
    case 11:
      return HampelLanes<11, 4>(x, before, limit, causal);
    case 13:
      return HampelLanes<13, 4>(x, before, limit, causal);
    default:
      break;
  }
#else
  (void)window, (void)x, (void)before, (void)limit, (void)causal;
#endif
  return -1;
}

}  // namespace monokin::kinematics

// SPDX-License-Identifier: Apache-2.0
// Functions built for AVX next to their baseline (SSE2) forms, chosen at run time: mark the AVX
// form with MONOKIN_KIN_AVX and call it only when CpuHasAvx(). Elsewhere than x86 the mark is
// empty and CpuHasAvx() false (the AVX forms are then plain code that is never called).
#pragma once

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define MONOKIN_KIN_AVX [[gnu::target("avx")]]
#else
#define MONOKIN_KIN_AVX
#endif

namespace monokin::kinematics {

inline bool CpuHasAvx() {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  static const bool avx = __builtin_cpu_supports("avx");
  return avx;
#else
  return false;
#endif
}

}  // namespace monokin::kinematics

// SPDX-License-Identifier: Apache-2.0
// The tracker's names for the project's one assignment solver, monokin/core/assignment.h (kept
// so that code written against monokin::track keeps compiling; new code includes the core
// header).
//
//   AssignmentResult r = SolveAssignment(cost, rows, cols, 0.7);  // cost = 1 - IoU, gate 0.7
#pragma once

#include "monokin/core/assignment.h"

namespace monokin::track {

using monokin::AssignmentObjective;
using monokin::AssignmentOptions;
using monokin::AssignmentResult;
using monokin::SolveAssignment;

}  // namespace monokin::track

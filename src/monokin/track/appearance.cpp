// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/appearance.h"

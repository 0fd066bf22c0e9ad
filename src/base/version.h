// The version of tmc. It is set in one place, `project(tmc VERSION ...)` in
// CMakeLists.txt, and reaches the code only through this function.
#pragma once

namespace tmc {

const char* version();

}  // namespace tmc

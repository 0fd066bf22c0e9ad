#include "base/version.h"

namespace tmc {

const char* version() { return TMC_VERSION; }

}  // namespace tmc

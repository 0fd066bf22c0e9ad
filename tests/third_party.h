// The path of a file under tests/third_party/ (TMC_FIXTURES_DIR): the test
// data that comes from outside tmc, in the repository so that a clone alone
// passes its tests. A missing file throws, which GoogleTest reports as the
// test's failure with the file's path, instead of a crash further on when
// a model that never loaded is used.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace tmc::testing_support {

inline std::string third_party(const std::string& relative) {
  std::string path = std::string(TMC_FIXTURES_DIR) + "/" + relative;
  if (!std::filesystem::is_regular_file(path)) {
    throw std::runtime_error("missing test fixture " + path +
                             " (tests/third_party/ is part of the repository: restore it with git checkout)");
  }
  return path;
}

}  // namespace tmc::testing_support

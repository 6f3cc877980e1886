// Expected compiler output: sluice: a key type needs a cereal serialize
// function
#define SLUICE_TEST_WITHOUT_SERIALIZE
#include "tests/compile_errors/key_type.hpp"

int main() {
  declare_job_keyed_by_customer();
}

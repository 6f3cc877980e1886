// Expected compiler output: sluice: a key type needs a hash
#define SLUICE_TEST_WITHOUT_HASH
#include "tests/compile_errors/key_type.hpp"

int main() {
  declare_job_keyed_by_customer();
}

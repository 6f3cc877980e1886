// Expected compiler output: sluice: a key type needs operator==
#define SLUICE_TEST_WITHOUT_EQUALITY
#include "tests/compile_errors/key_type.hpp"

int main() {
  declare_job_keyed_by_customer();
}

// A struct key with a hash, == and serialize compiles.
#include "tests/compile_errors/key_type.hpp"

int main() {
  declare_job_keyed_by_customer();
}

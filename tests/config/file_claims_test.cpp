#include "config/file_claims.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace sluice::config;
using sluice::testing::temp_dir;

namespace {

using conflict = std::optional<std::pair<size_t, size_t>>;

file_claim reads(std::string path) {
  return {std::move(path), 1, false, {}};
}

file_claim writes(std::string path, uint32_t instances = 1) {
  return {std::move(path), instances, true, {}};
}

file_claim table(std::string path, std::string name) {
  return {std::move(path), 1, true, std::move(name)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(file_claims_tests)

BOOST_AUTO_TEST_CASE(reading_one_file_twice_is_fine_writing_it_is_not) {
  temp_dir dir;
  auto in = dir.file("in.txt");
  BOOST_TEST(!find_conflict({reads(in), reads(in)}));
  BOOST_TEST((find_conflict({reads(in), writes(in)}) == conflict{{1, 0}}));
  BOOST_TEST((find_conflict({writes(dir.file("a")), writes(in),
                             writes(dir.file("./b/../in.txt"))})
              == conflict{{2, 1}}));
}

BOOST_AUTO_TEST_CASE(links_to_one_file_are_one_file) {
  temp_dir dir;
  auto in = dir.file("in.txt");
  std::ofstream{in} << "x\n";
  std::filesystem::create_symlink(in, dir.file("soft.txt"));
  std::filesystem::create_hard_link(in, dir.file("hard.txt"));
  BOOST_TEST((find_conflict({reads(in), writes(dir.file("soft.txt"))})
              == conflict{{1, 0}}));
  BOOST_TEST((find_conflict({reads(in), writes(dir.file("hard.txt"))})
              == conflict{{1, 0}}));
}

BOOST_AUTO_TEST_CASE(instances_of_a_sink_write_a_file_each) {
  temp_dir dir;
  auto out = dir.file("out.txt");
  BOOST_TEST((find_conflict({writes(out, 2), writes(dir.file("out-1.txt"))})
              == conflict{{1, 0}}));
  BOOST_TEST(!find_conflict({writes(out, 2), writes(dir.file("out-2.txt"))}));
  BOOST_TEST(!find_conflict({writes(out, 2), writes(dir.file("out-01.txt"))}));
  // The sink's own path is not one of its files.
  BOOST_TEST(!find_conflict({writes(out, 2), reads(out)}));
  BOOST_TEST(
    (find_conflict({writes(out, 3), writes(out, 2)}) == conflict{{1, 0}}));
  BOOST_TEST((find_conflict({writes(dir.file("out-1.txt"), 2),
                             writes(dir.file("out.txt"), 2)})
              == conflict{}));
  BOOST_TEST(
    (find_conflict({writes(dir.file("out"), 2), reads(dir.file("out-0"))})
     == conflict{{1, 0}}));
  // However many instances: the check costs no more.
  BOOST_TEST((find_conflict({writes(out, 4'000'000'000u),
                             reads(dir.file("out-3999999999.txt"))})
              == conflict{{1, 0}}));
}

BOOST_AUTO_TEST_CASE(databases_are_shared_one_table_each) {
  temp_dir dir;
  auto db = dir.file("out.db");
  BOOST_TEST(!find_conflict({table(db, "a"), table(db, "b")}));
  BOOST_TEST(
    (find_conflict({table(db, "a"), table(db, "a")}) == conflict{{1, 0}}));
  BOOST_TEST((find_conflict({table(db, "a"), writes(db)}) == conflict{{1, 0}}));
}

BOOST_AUTO_TEST_SUITE_END()

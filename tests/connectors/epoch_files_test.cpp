#include "connectors/epoch_files.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>

using namespace sluice;
using namespace sluice::connectors;
using protocol::checkpoint_id;
using sluice::testing::temp_dir;

namespace {

bool says(const std::runtime_error& e, const std::string& part) {
  return std::string{e.what()}.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(epoch_files_tests)

BOOST_AUTO_TEST_CASE(a_recovery_behind_a_published_epoch_is_refused) {
  temp_dir dir;
  {
    epoch_files files{dir.path().string(), "out-0"};
    files.write("a\n");
    static_cast<void>(files.stage(checkpoint_id{3}));
    files.write("b\n");
    static_cast<void>(files.stage(checkpoint_id{5}));
    files.publish(checkpoint_id{5});
    files.write("c\n"); // open, never staged
  }
  epoch_files files{dir.path().string(), "out-0"};
  BOOST_TEST(files.last_published() == 5u);
  // Another instance's files are not this one's fence.
  epoch_files other{dir.path().string(), "out-1"};
  BOOST_TEST(other.last_published() == 0u);
  BOOST_CHECK_EXCEPTION(files.recover(checkpoint_id{3}, false),
                        std::runtime_error, [](const std::runtime_error& e) {
                          return says(e, "file sink 'out-0' in '")
                                 && says(e, "committed checkpoint 5, but the "
                                            "job would resume from the older "
                                            "checkpoint 3");
                        });
  BOOST_CHECK_EXCEPTION(files.recover(std::nullopt, false), std::runtime_error,
                        [](const std::runtime_error& e) {
                          return says(e, "holds no checkpoint to resume from");
                        });
  BOOST_TEST(std::filesystem::exists(files.published(checkpoint_id{3})));
  BOOST_TEST(std::filesystem::exists(files.published(checkpoint_id{5})));
  // From the checkpoint it published last, or asked to start over, it goes
  // on.
  files.recover(checkpoint_id{5}, false);
  files.recover(std::nullopt, true);
}

BOOST_AUTO_TEST_SUITE_END()

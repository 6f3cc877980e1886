#include "protocol/string_output_archive.hpp"

#include "protocol/bounded_input_archive.hpp"

#include <boost/test/unit_test.hpp>
#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace sluice::protocol;

namespace {

enum class colour : uint8_t { red, green };

struct inner {
  colour c = colour::red;
  std::optional<uint64_t> maybe;

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(c, maybe);
  }

  bool operator==(const inner& other) const {
    return c == other.c && maybe == other.maybe;
  }
};

/// Every kind of field the engine's states and snapshots write.
struct composite {
  std::map<std::string, uint64_t> counts;
  std::vector<std::pair<int32_t, std::string>> pairs;
  std::vector<inner> nested;
  std::vector<uint32_t> plain; // written as one block of binary data
  double ratio = 0;
  bool flag = false;

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(counts, pairs, nested, plain, ratio, flag);
  }

  bool operator==(const composite& other) const {
    return counts == other.counts && pairs == other.pairs
           && nested == other.nested && plain == other.plain
           && ratio == other.ratio && flag == other.flag;
  }
};

composite sample() {
  composite x;
  for (int i = 0; i < 100; ++i)
    x.counts["key-" + std::to_string(i)] = static_cast<uint64_t>(i) * 7919;
  x.pairs = {{-1, ""}, {2, "two"}, {3, std::string(300, 'x')}};
  x.nested = {{colour::green, 42}, {colour::red, std::nullopt}};
  x.plain = {1, 2, 3, 0xffffffffu};
  x.ratio = 0.25;
  x.flag = true;
  return x;
}

} // namespace

CEREAL_CLASS_VERSION(inner, 3)
CEREAL_CLASS_VERSION(composite, 2)

BOOST_AUTO_TEST_SUITE(string_output_archive_tests)

BOOST_AUTO_TEST_CASE(writes_the_bytes_of_the_cereal_binary_archive) {
  auto x = sample();
  std::ostringstream os;
  {
    cereal::BinaryOutputArchive ar{os};
    ar(x, x, std::string{"tail"}); // the second x carries no version again
  }
  std::string bytes;
  {
    string_output_archive ar{bytes};
    ar(x, x, std::string{"tail"});
  }
  BOOST_TEST(bytes.size() == os.str().size());
  BOOST_TEST((bytes == os.str()));
}

BOOST_AUTO_TEST_CASE(appends_to_what_the_string_holds) {
  std::string bytes = "head";
  {
    string_output_archive ar{bytes};
    ar(uint32_t{0x01020304});
  } // the string holds its bytes once the archive is gone
  BOOST_TEST(bytes.size() == 8u);
  BOOST_TEST(bytes.substr(0, 4) == "head");
  BOOST_TEST(bytes[4] == '\x04'); // little endian, as cereal writes here
}

BOOST_AUTO_TEST_CASE(grows_past_any_initial_capacity) {
  // Fields larger than the spare room, and many small ones after them.
  std::vector<std::string> xs;
  for (int i = 0; i < 2000; ++i)
    xs.push_back(std::string(static_cast<size_t>(i % 300), 'a' + i % 26));
  std::ostringstream os;
  {
    cereal::BinaryOutputArchive ar{os};
    ar(xs);
  }
  std::string bytes;
  {
    string_output_archive ar{bytes};
    ar(xs);
  }
  BOOST_TEST((bytes == os.str()));
}

BOOST_AUTO_TEST_CASE(empty_containers_write_only_their_size) {
  // An empty vector's data() may be null: nothing may be copied from it.
  std::vector<uint32_t> none;
  std::string empty;
  std::string bytes;
  {
    string_output_archive ar{bytes};
    ar(none, empty);
  }
  BOOST_TEST(bytes == std::string(16, '\0')); // two sizes of zero
}

BOOST_AUTO_TEST_CASE(what_it_writes_the_bounded_archive_reads_back) {
  auto x = sample();
  std::string bytes;
  {
    string_output_archive ar{bytes};
    ar(x);
  }
  composite y;
  bounded_input_archive in{bytes};
  in(y);
  BOOST_TEST((y == x));
}

BOOST_AUTO_TEST_SUITE_END()

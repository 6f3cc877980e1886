#include "protocol/record_payload.hpp"

#include "protocol/describe.hpp"
#include "protocol/messages.hpp"
#include "tests/support/caf_printing.hpp"

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace sluice::protocol;

namespace {

/// Sends a batch through CAF's binary serialization, as between nodes.
batch over_the_wire(batch& x) {
  std::vector<char> bytes;
  caf::binary_serializer sink{nullptr, bytes};
  auto err = sink(x);
  BOOST_TEST_REQUIRE(!err, describe(err));
  batch result;
  caf::binary_deserializer source{nullptr, bytes};
  err = source(result);
  BOOST_TEST_REQUIRE(!err, describe(err));
  return result;
}

struct opaque {
  int x = 0;
  std::string text; // not trivially copyable, no cereal function
};

} // namespace

BOOST_AUTO_TEST_SUITE(record_payload_tests)

BOOST_AUTO_TEST_CASE(sole_owner_takes_the_records_without_copying) {
  std::vector<std::string> xs{"a", "b", "c"};
  auto* data = xs.data();
  auto payload = record_payload::of(std::move(xs));
  BOOST_TEST(payload.size() == 3u);
  auto taken = payload.take<std::string>();
  BOOST_TEST_REQUIRE(static_cast<bool>(taken));
  BOOST_TEST(taken->data() == data); // rule D6: moved, not copied
  BOOST_TEST(payload.empty());
}

BOOST_AUTO_TEST_CASE(shared_payload_is_copied_for_each_taker) {
  auto payload = record_payload::of(std::vector<int>{1, 2, 3});
  auto copy = payload; // as after a broadcast
  auto first = payload.take<int>();
  auto second = copy.take<int>();
  BOOST_TEST_REQUIRE(static_cast<bool>(first));
  BOOST_TEST_REQUIRE(static_cast<bool>(second));
  BOOST_TEST(*first == (std::vector<int>{1, 2, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(*second == (std::vector<int>{1, 2, 3}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(taking_the_wrong_type_is_an_error) {
  auto payload = record_payload::of(std::vector<int>{1});
  auto taken = payload.take<std::string>();
  BOOST_TEST_REQUIRE(!taken);
  BOOST_TEST(taken.error() == errc::type_mismatch);
  BOOST_TEST(describe(taken.error())
             == "batch holds int, expected std::string");
}

BOOST_AUTO_TEST_CASE(flat_records_cross_the_wire) {
  batch b{7, record_payload::of(std::vector<uint64_t>{1, 2, 3})};
  auto received = over_the_wire(b);
  BOOST_TEST(received.input == 7u);
  BOOST_TEST(!received.records.is_local());
  auto xs = received.records.take<uint64_t>();
  BOOST_TEST_REQUIRE(static_cast<bool>(xs));
  BOOST_TEST(*xs == (std::vector<uint64_t>{1, 2, 3}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cereal_records_cross_the_wire) {
  std::vector<std::pair<std::string, uint64_t>> counts{{"a", 1}, {"bb", 22}};
  batch b{1, record_payload::of(counts)};
  auto received = over_the_wire(b);
  auto xs = received.records.take<std::pair<std::string, uint64_t>>();
  BOOST_TEST_REQUIRE(static_cast<bool>(xs));
  BOOST_TEST((*xs == counts));
}

BOOST_AUTO_TEST_CASE(records_without_serialization_cannot_leave) {
  batch b{0, record_payload::of(std::vector<opaque>{{1, "x"}})};
  std::vector<char> bytes;
  caf::binary_serializer sink{nullptr, bytes};
  auto err = sink(b);
  BOOST_TEST_REQUIRE(static_cast<bool>(err));
  BOOST_TEST(err == errc::wire_format);
  BOOST_TEST(describe(err).find("cannot leave the process")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_payload_that_does_not_decode_is_an_error) {
  // Rule D7: a damaged payload is an error, never a silent drop. The
  // serialized batch starts with the input slot and the record count (4
  // bytes each, big endian); claiming 4 records for 3 must be caught.
  batch flat{0, record_payload::of(std::vector<uint32_t>{1, 2, 3})};
  std::vector<char> bytes;
  caf::binary_serializer sink{nullptr, bytes};
  BOOST_TEST_REQUIRE(!sink(flat));
  BOOST_TEST_REQUIRE(bytes[7] == 3);
  bytes[7] = 4;
  batch received;
  caf::binary_deserializer source{nullptr, bytes};
  BOOST_TEST_REQUIRE(!source(received));
  auto xs = received.records.take<uint32_t>();
  BOOST_TEST_REQUIRE(!xs);
  BOOST_TEST(xs.error() == errc::wire_format);
  BOOST_TEST(describe(xs.error())
             == "batch of unsigned int: truncated: 12 bytes for 4 records");
  // Strings through cereal: a string length far beyond the data.
  batch strings{0, record_payload::of(std::vector<std::string>{"hello"})};
  std::vector<char> text_bytes;
  caf::binary_serializer text_sink{nullptr, text_bytes};
  BOOST_TEST_REQUIRE(!text_sink(strings));
  // Payload: 'C', vector size (8 bytes), string size (8 bytes), "hello";
  // then the batch's producer worker (4 bytes).
  auto at = text_bytes.size() - 4 - 5 - 8;
  text_bytes[at + 6] = 0x7f;
  batch damaged;
  caf::binary_deserializer text_source{nullptr, text_bytes};
  BOOST_TEST_REQUIRE(!text_source(damaged));
  auto ys = damaged.records.take<std::string>();
  BOOST_TEST_REQUIRE(!ys);
  BOOST_TEST(ys.error() == errc::wire_format);
  BOOST_TEST(describe(ys.error()).find("bytes left") != std::string::npos,
             describe(ys.error()));
}

BOOST_AUTO_TEST_CASE(a_damaged_count_is_refused_before_anything_is_allocated) {
  // A vector of 2^40 numbers claimed in 8 bytes of payload: reading it must
  // fail at once, not try to allocate eight terabytes first.
  std::string bytes;
  {
    std::ostringstream os;
    cereal::BinaryOutputArchive ar{os};
    ar(
      cereal::make_size_tag(static_cast<cereal::size_type>(uint64_t{1} << 40)));
    uint64_t one = 1;
    ar(one);
    bytes = os.str();
  }
  std::vector<uint64_t> xs;
  bounded_input_archive in{bytes};
  BOOST_CHECK_THROW(in(xs), cereal::Exception);
  BOOST_TEST(xs.capacity() == 0u);
  // What fits the bytes reads as before.
  std::string ok;
  {
    std::ostringstream os;
    cereal::BinaryOutputArchive ar{os};
    ar(std::vector<uint64_t>{1, 2, 3}, std::string{"hello"});
    ok = os.str();
  }
  std::vector<uint64_t> ys;
  std::string text;
  bounded_input_archive good{ok};
  good(ys, text);
  BOOST_TEST((ys == std::vector<uint64_t>{1, 2, 3}));
  BOOST_TEST(text == "hello");
  BOOST_TEST(good.remaining() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

#include "state/snapshot_frame.hpp"

#include "protocol/describe.hpp"
#include "state/errc.hpp"
#include "state/snapshot.hpp"
#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

using namespace sluice;
using namespace sluice::state;

BOOST_AUTO_TEST_SUITE(snapshot_frame_tests)

BOOST_AUTO_TEST_CASE(crc32c_matches_the_standard_check_value) {
  // The CRC-32C check value of "123456789" (RFC 3720).
  BOOST_TEST(crc32c("123456789") == 0xe3069283u);
  BOOST_TEST(crc32c_portable("123456789") == 0xe3069283u);
}

BOOST_AUTO_TEST_CASE(hardware_and_table_crc32c_agree_at_every_length) {
  // Lengths around the eight-byte steps, and every alignment of the start.
  std::string bytes;
  for (int i = 0; i < 300; ++i)
    bytes.push_back(static_cast<char>(i * 37 + 11));
  for (size_t start = 0; start < 8; ++start)
    for (size_t n = 0; start + n <= bytes.size(); n += 7)
      BOOST_TEST_REQUIRE(crc32c({bytes.data() + start, n})
                         == crc32c_portable({bytes.data() + start, n}));
}

BOOST_AUTO_TEST_CASE(every_flipped_byte_is_detected) {
  instance_snapshot x;
  x.kind = protocol::snapshot_kind::delta;
  x.source_offset = 42;
  x.sections.push_back(state_section{"counts", protocol::snapshot_kind::delta,
                                     std::string(100, 'a')});
  auto framed = encode_snapshot(x);
  auto decoded = decode_snapshot(framed, "test");
  BOOST_TEST_REQUIRE(static_cast<bool>(decoded));
  BOOST_TEST(decoded->source_offset.value_or(0) == 42u);
  BOOST_TEST(decoded->sections.at(0).bytes == std::string(100, 'a'));
  for (size_t i = 0; i < framed.size(); ++i) {
    auto damaged = framed;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x10);
    auto result
      = decode_snapshot(damaged, "checkpoint 3, stage 's' instance 0");
    BOOST_TEST_REQUIRE(!result, "byte " << i << " flipped unnoticed");
    BOOST_TEST(result.error() == errc::corrupt_snapshot);
  }
}

BOOST_AUTO_TEST_CASE(snapshot_framed_in_place_equals_body_framed_after) {
  // encode_snapshot writes the body behind an open frame and closes it; the
  // stored bytes must be those of framing the encoded body afterwards.
  instance_snapshot x;
  x.kind = protocol::snapshot_kind::full;
  x.source_offset = 7;
  x.source_records = 1000;
  x.sink_transaction = "txn-3";
  x.sections.push_back(state_section{"counts", protocol::snapshot_kind::full,
                                     std::string(5000, 'c')});
  x.sections.push_back(
    state_section{"window", protocol::snapshot_kind::full, ""});
  auto framed = encode_snapshot(x);
  BOOST_TEST((framed == frame(to_bytes(x))));
  auto body = unframe(framed);
  BOOST_TEST_REQUIRE(static_cast<bool>(body));
  BOOST_TEST(body->size() == to_bytes(x).size());
  BOOST_TEST(framed_checksum(framed) == crc32c(*body));
}

BOOST_AUTO_TEST_CASE(damage_is_described) {
  auto framed = frame("body");
  auto describe = [](std::string bytes) {
    auto body = unframe(bytes);
    return body ? std::string{"intact"} : protocol::describe(body.error());
  };
  BOOST_TEST(describe(framed) == "intact");
  BOOST_TEST(describe(framed.substr(0, 10))
             == "payload of 10 bytes is shorter than its header");
  auto bad_magic = framed;
  bad_magic[0] = 'x';
  BOOST_TEST(describe(bad_magic)
             == "payload does not start with the snapshot magic number");
  auto newer = framed;
  newer[4] = 9;
  BOOST_TEST(describe(newer)
             == "payload has format version 9, this build reads up to 1");
  auto flipped = framed;
  flipped.back() = 'X';
  BOOST_TEST(describe(flipped).find("checksum mismatch") == 0u);
  BOOST_TEST(describe(framed + "!")
             == "payload claims 4 bytes of body but holds 5");
}

BOOST_AUTO_TEST_SUITE_END()

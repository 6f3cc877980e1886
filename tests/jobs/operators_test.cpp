#include "jobs/aggregate_instance.hpp"
#include "jobs/window_count_instance.hpp"
#include "state/snapshot.hpp"
#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

using namespace sluice;
using namespace sluice::jobs;
using namespace std::chrono_literals;

namespace {

/// An edge that keeps what the instance routes, for the test to read.
class capture_writer final : public protocol::edge_writer<record> {
public:
  explicit capture_writer(std::shared_ptr<std::vector<record>> into)
      : into_(std::move(into)) {}

  size_t num_channels() const override { return 1; }

  void route(std::vector<record>& records, protocol::channel_buffer<record>*,
             bool) override {
    into_->insert(into_->end(), records.begin(), records.end());
  }

private:
  std::shared_ptr<std::vector<record>> into_;
};

/// A router whose output lands in `into`.
std::unique_ptr<protocol::output_router<record>>
capturing(std::shared_ptr<std::vector<record>> into) {
  auto router = std::make_unique<protocol::output_router<record>>(1024);
  router->add_edge(std::make_unique<capture_writer>(std::move(into)));
  return router;
}

void feed(operators::operator_instance& op, std::vector<record> xs) {
  op.process(0, protocol::record_payload::of(std::move(xs)));
}

record rec(std::vector<field_value> xs) {
  return record{std::move(xs)};
}

/// Sorted, so that tests do not depend on hash map order.
std::vector<record> sorted(std::vector<record> xs) {
  std::sort(xs.begin(), xs.end(), [](const record& x, const record& y) {
    return x.fields < y.fields;
  });
  return xs;
}

/// The instance's states as a checkpoint stores them, decoded again.
state::instance_snapshot snapshot_of(operators::operator_instance& op,
                                     protocol::snapshot_kind kind) {
  state::instance_image image;
  image.kind = kind;
  op.states().take_images(kind, image);
  auto decoded = state::decode_snapshot(image.encode({}), "test");
  BOOST_TEST_REQUIRE(static_cast<bool>(decoded));
  return std::move(*decoded);
}

/// A processing-time clock the test moves.
struct manual_clock {
  std::shared_ptr<std::chrono::system_clock::time_point> now
    = std::make_shared<std::chrono::system_clock::time_point>(
      std::chrono::system_clock::time_point{1000s});

  window_count_instance::clock_function function() const {
    auto t = now;
    return [t] { return *t; };
  }

  void advance(std::chrono::milliseconds dt) { *now += dt; }
};

} // namespace

BOOST_AUTO_TEST_SUITE(operators_tests)

BOOST_AUTO_TEST_CASE(aggregates_emit_each_touched_key_once_per_batch) {
  auto out = std::make_shared<std::vector<record>>();
  aggregate_instance count{capturing(out), config::stage_type::count, 0, {}};
  feed(count, {rec({"a"}), rec({"b"}), rec({"a"})});
  BOOST_TEST(
    (sorted(*out)
     == std::vector<record>{rec({"a", int64_t{2}}), rec({"b", int64_t{1}})}));
  out->clear();
  feed(count, {rec({"a"})});
  BOOST_TEST((*out == std::vector<record>{rec({"a", int64_t{3}})}));
}

BOOST_AUTO_TEST_CASE(sum_min_and_max_keep_the_field_type) {
  auto out = std::make_shared<std::vector<record>>();
  std::vector<record> in{rec({"x", int64_t{5}, 1.5}),
                         rec({"x", int64_t{-2}, 4.0}),
                         rec({"y", int64_t{7}, -1.0})};
  aggregate_instance sum{capturing(out), config::stage_type::sum, 0, 1};
  feed(sum, in);
  BOOST_TEST(
    (sorted(*out)
     == std::vector<record>{rec({"x", int64_t{3}}), rec({"y", int64_t{7}})}));
  out->clear();
  aggregate_instance real_sum{capturing(out), config::stage_type::sum, 0, 2};
  feed(real_sum, in);
  BOOST_TEST(
    (sorted(*out) == std::vector<record>{rec({"x", 5.5}), rec({"y", -1.0})}));
  out->clear();
  aggregate_instance min{capturing(out), config::stage_type::min, 0, 1};
  feed(min, in);
  BOOST_TEST(
    (sorted(*out)
     == std::vector<record>{rec({"x", int64_t{-2}}), rec({"y", int64_t{7}})}));
  out->clear();
  aggregate_instance max{capturing(out), config::stage_type::max, 0, 2};
  feed(max, in);
  BOOST_TEST(
    (sorted(*out) == std::vector<record>{rec({"x", 4.0}), rec({"y", -1.0})}));
}

BOOST_AUTO_TEST_CASE(an_aggregate_goes_on_from_its_restored_state) {
  auto out = std::make_shared<std::vector<record>>();
  aggregate_instance before{capturing(out), config::stage_type::count, 0, {}};
  feed(before, {rec({"a"}), rec({"a"}), rec({"b"})});
  auto snap = snapshot_of(before, protocol::snapshot_kind::full);
  aggregate_instance after{capturing(out), config::stage_type::count, 0, {}};
  BOOST_TEST_REQUIRE(!after.states().restore({snap}, "count"));
  out->clear();
  feed(after, {rec({"a"})});
  BOOST_TEST((*out == std::vector<record>{rec({"a", int64_t{3}})}));
}

BOOST_AUTO_TEST_CASE(a_window_closes_when_processing_time_leaves_it) {
  manual_clock clock;
  auto out = std::make_shared<std::vector<record>>();
  window_count_instance windows{capturing(out), 0, 10s, clock.function()};
  BOOST_TEST((windows.timer_period() == std::chrono::nanoseconds{1s}));
  feed(windows, {rec({"a"}), rec({"b"}), rec({"a"})});
  clock.advance(5s);
  windows.on_timer();
  BOOST_TEST(out->empty()); // still inside [1000s, 1010s)
  feed(windows, {rec({"a"})});
  clock.advance(5s);
  windows.on_timer();
  BOOST_TEST(
    (sorted(*out)
     == std::vector<record>{rec({int64_t{1000000}, "a", int64_t{3}}),
                            rec({int64_t{1000000}, "b", int64_t{1}})}));
  // The next window starts empty.
  out->clear();
  feed(windows, {rec({"b"})});
  clock.advance(10s);
  feed(windows, {rec({"c"})}); // a later batch closes the window before it
  BOOST_TEST(
    (*out == std::vector<record>{rec({int64_t{1010000}, "b", int64_t{1}})}));
  // The end of the input closes the open window early.
  out->clear();
  windows.finish();
  BOOST_TEST(
    (*out == std::vector<record>{rec({int64_t{1020000}, "c", int64_t{1}})}));
}

BOOST_AUTO_TEST_CASE(a_window_survives_a_restore) {
  manual_clock clock;
  auto out = std::make_shared<std::vector<record>>();
  window_count_instance before{capturing(out), 0, 10s, clock.function()};
  feed(before, {rec({"a"}), rec({"b"})});
  std::vector<state::instance_snapshot> chain{
    snapshot_of(before, protocol::snapshot_kind::full)};
  feed(before, {rec({"a"})});
  chain.push_back(snapshot_of(before, protocol::snapshot_kind::delta));
  // The instance fails here; a new one restores the chain and sees the
  // records after the checkpoint again.
  window_count_instance after{capturing(out), 0, 10s, clock.function()};
  BOOST_TEST_REQUIRE(!after.states().restore(chain, "windows"));
  feed(after, {rec({"b"})});
  clock.advance(10s);
  after.on_timer();
  BOOST_TEST(
    (sorted(*out)
     == std::vector<record>{rec({int64_t{1000000}, "a", int64_t{2}}),
                            rec({int64_t{1000000}, "b", int64_t{2}})}));
  // Closing deleted the keys; a delta after it restores an empty window.
  chain.push_back(snapshot_of(after, protocol::snapshot_kind::delta));
  out->clear();
  window_count_instance later{capturing(out), 0, 10s, clock.function()};
  BOOST_TEST_REQUIRE(!later.states().restore(chain, "windows"));
  later.finish();
  BOOST_TEST(out->empty());
}

BOOST_AUTO_TEST_SUITE_END()

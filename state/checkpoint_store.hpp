#pragma once

#include "protocol/checkpoint_id.hpp"
#include "protocol/checkpoint_tracker.hpp"
#include "state/sqlite_db.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::state {

/// A completed checkpoint as the store lists it.
struct checkpoint_info {
  protocol::checkpoint_id id{};
  protocol::snapshot_kind kind = protocol::snapshot_kind::full;
  protocol::checkpoint_id base{}; ///< First checkpoint of its chain.
  int64_t started_ms = 0;         ///< Milliseconds since the epoch.
  int64_t completed_ms = 0;
  uint64_t bytes = 0; ///< Payload bytes its own snapshots take.
};

/// A stage instance that stored a snapshot.
struct stored_instance {
  std::string stage;
  uint32_t instance = 0;
};

/// The SQLite database of one job (rule S1): checkpoints, their snapshots,
/// source offsets and sink transactions. A checkpoint is completed only by
/// the transaction that marks it so (S2). Not thread-safe: one store actor
/// owns it while a job runs.
class checkpoint_store {
public:
  /// Opens or creates the store at `path`.
  [[nodiscard]] static caf::expected<checkpoint_store>
  open(const std::string& path);

  /// Removes what checkpoints that never completed left behind (a crash
  /// between a snapshot and the completing transaction). Call it before a
  /// job runs on the store, never while one does.
  [[nodiscard]] caf::error discard_incomplete();

  /// Records that checkpoint `plan.id` started.
  [[nodiscard]] caf::error begin(const protocol::checkpoint_plan& plan,
                                 int64_t now_ms);

  /// Stores one instance's framed snapshot of `id`, with a source's offset
  /// or a sink's pre-committed transaction, in one transaction.
  [[nodiscard]] caf::error
  put_snapshot(protocol::checkpoint_id id, const std::string& stage,
               uint32_t instance, protocol::snapshot_kind kind,
               const std::string& payload, std::optional<uint64_t> offset,
               const std::optional<std::string>& sink_transaction);

  /// Marks `id` completed and its sink transactions committed, in one
  /// transaction; then keeps the newest `retain` completed checkpoints and
  /// the chains they need, deleting the rest. Fails when `id` is not
  /// pending or builds on a checkpoint that did not complete. Once `id`
  /// completed it reports success: a failed deletion of old checkpoints is
  /// kept in `retention_error()`.
  [[nodiscard]] caf::error complete(protocol::checkpoint_id id, int64_t now_ms,
                                    size_t retain);

  /// Why the last `complete` could not delete old checkpoints; none if it
  /// could.
  const caf::error& retention_error() const noexcept {
    return retention_error_;
  }

  /// Deletes every checkpoint after `id` (all of them for 0): a job
  /// resumed from `id` continues a history in which they never happened.
  [[nodiscard]] caf::error discard_after(protocol::checkpoint_id id);

  /// Deletes everything of a checkpoint that will not complete.
  [[nodiscard]] caf::error abort(protocol::checkpoint_id id);

  /// Completed checkpoints, newest first.
  [[nodiscard]] caf::expected<std::vector<checkpoint_info>> completed();

  /// The highest checkpoint id the store ever recorded (0 if none), also
  /// when that checkpoint was deleted since: new checkpoints continue after
  /// it, so that no id means two different epochs to a sink.
  [[nodiscard]] caf::expected<uint64_t> last_id();

  /// Records the encoded shape of the job whose checkpoints the store
  /// holds from now on (rule S6), replacing the one before.
  [[nodiscard]] caf::error record_shape(const std::string& shape);

  /// The encoded shape recorded last; none in a store written before
  /// shapes were recorded.
  [[nodiscard]] caf::expected<std::optional<std::string>> shape();

  /// The instances that stored snapshots for `id`.
  [[nodiscard]] caf::expected<std::vector<stored_instance>>
  instances(protocol::checkpoint_id id);

  /// The framed payloads an instance needs to restore `id`: its full base
  /// snapshot, then every delta up to `id`, in order.
  [[nodiscard]] caf::expected<std::vector<std::string>>
  chain(protocol::checkpoint_id id, const std::string& stage,
        uint32_t instance);

  /// Overwrites a stored payload: for tests that damage snapshots.
  [[nodiscard]] caf::error replace_payload(protocol::checkpoint_id id,
                                           const std::string& stage,
                                           uint32_t instance,
                                           const std::string& payload);

  const std::string& path() const noexcept { return db_.path(); }

private:
  explicit checkpoint_store(sqlite_db db) : db_(std::move(db)) {}

  [[nodiscard]] caf::error apply_retention(size_t retain);

  /// Fails unless every checkpoint of `id`'s chain before it completed.
  [[nodiscard]] caf::error chain_complete(protocol::checkpoint_id id);

  [[nodiscard]] caf::error delete_checkpoint(int64_t id);

  sqlite_db db_;
  caf::error retention_error_;
};

} // namespace sluice::state

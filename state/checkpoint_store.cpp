#include "state/checkpoint_store.hpp"

#include "state/errc.hpp"
#include "state/snapshot_frame.hpp"

#include <algorithm>
#include <set>

namespace sluice::state {

namespace {

using protocol::checkpoint_id;
using protocol::snapshot_kind;
using protocol::to_integer;

constexpr const char* schema = R"(
CREATE TABLE IF NOT EXISTS checkpoints(
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK(status IN ('pending', 'completed')),
  kind TEXT NOT NULL CHECK(kind IN ('full', 'delta')),
  base INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  completed_ms INTEGER,
  bytes INTEGER);
CREATE TABLE IF NOT EXISTS snapshots(
  checkpoint INTEGER NOT NULL,
  stage TEXT NOT NULL,
  instance INTEGER NOT NULL,
  format INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK(kind IN ('full', 'delta')),
  base INTEGER NOT NULL,
  payload BLOB NOT NULL,
  checksum INTEGER NOT NULL,
  PRIMARY KEY(checkpoint, stage, instance));
CREATE TABLE IF NOT EXISTS source_offsets(
  checkpoint INTEGER NOT NULL,
  stage TEXT NOT NULL,
  instance INTEGER NOT NULL,
  "offset" INTEGER NOT NULL,
  PRIMARY KEY(checkpoint, stage, instance));
CREATE TABLE IF NOT EXISTS sink_transactions(
  sink TEXT NOT NULL,
  instance INTEGER NOT NULL,
  checkpoint INTEGER NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('pre-committed', 'committed')),
  payload BLOB NOT NULL,
  PRIMARY KEY(sink, instance, checkpoint));
CREATE TABLE IF NOT EXISTS store_meta(
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS job_shape(
  id INTEGER PRIMARY KEY CHECK(id = 1),
  shape BLOB NOT NULL);
)";

const char* kind_text(snapshot_kind k) {
  return k == snapshot_kind::full ? "full" : "delta";
}

snapshot_kind kind_of(const std::string& text) {
  return text == "full" ? snapshot_kind::full : snapshot_kind::delta;
}

int64_t as_int(checkpoint_id id) {
  return static_cast<int64_t>(to_integer(id));
}

} // namespace

caf::expected<checkpoint_store>
checkpoint_store::open(const std::string& path) {
  auto db = sqlite_db::open(path);
  if (!db)
    return std::move(db.error());
  if (auto err = db->exec(schema))
    return err;
  return checkpoint_store{std::move(*db)};
}

caf::error checkpoint_store::discard_incomplete() {
  auto select
    = db_.prepare("SELECT id FROM checkpoints WHERE status = 'pending'");
  if (!select)
    return std::move(select.error());
  std::vector<int64_t> pending;
  for (;;) {
    auto row = select->step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      break;
    pending.push_back(select->column_int(0));
  }
  // Rows of a checkpoint whose 'begin' never landed or that was aborted
  // while snapshots were on their way, too.
  return in_transaction(db_, [&]() -> caf::error {
    for (auto id : pending)
      if (auto err = delete_checkpoint(id))
        return err;
    for (auto table : {"snapshots", "source_offsets", "sink_transactions"})
      if (auto err = db_.exec(std::string{"DELETE FROM "} + table
                              + " WHERE checkpoint NOT IN (SELECT id FROM "
                                "checkpoints)"))
        return err;
    return caf::none;
  });
}

caf::error checkpoint_store::begin(const protocol::checkpoint_plan& plan,
                                   int64_t now_ms) {
  return in_transaction(db_, [&]() -> caf::error {
    auto stmt = db_.prepare("INSERT OR REPLACE INTO checkpoints(id, status, "
                            "kind, base, started_ms) VALUES(?, 'pending', ?, "
                            "?, ?)");
    if (!stmt)
      return std::move(stmt.error());
    if (auto err = stmt->bind(1, as_int(plan.id))
                     .bind(2, kind_text(plan.kind))
                     .bind(3, as_int(plan.base))
                     .bind(4, now_ms)
                     .run())
      return err;
    // Ids are never used twice, not even after the checkpoints that had
    // them were deleted: sinks fence their commits by checkpoint id.
    auto high = db_.prepare(
      "INSERT INTO store_meta(key, value) VALUES('highest_checkpoint', ?) ON "
      "CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value)");
    if (!high)
      return std::move(high.error());
    return high->bind(1, as_int(plan.id)).run();
  });
}

caf::error checkpoint_store::put_snapshot(
  checkpoint_id id, const std::string& stage, uint32_t instance,
  snapshot_kind kind, const std::string& payload,
  std::optional<uint64_t> offset,
  const std::optional<std::string>& sink_transaction) {
  return in_transaction(db_, [&]() -> caf::error {
    // A snapshot of a checkpoint aborted meanwhile finds no checkpoint row
    // and inserts nothing, nor does its offset or transaction: they belong
    // to no checkpoint that can complete.
    auto stmt = db_.prepare(
      "INSERT OR REPLACE INTO snapshots(checkpoint, stage, instance, format, "
      "kind, base, payload, checksum) SELECT ?, ?, ?, ?, ?, base, ?, ? FROM "
      "checkpoints WHERE id = ?");
    if (!stmt)
      return std::move(stmt.error());
    // Framed by this process a moment ago: its header's checksum is right.
    int64_t checksum = framed_checksum(payload);
    if (auto err = stmt->bind(1, as_int(id))
                     .bind(2, stage)
                     .bind(3, int64_t{instance})
                     .bind(4, int64_t{snapshot_format})
                     .bind(5, kind_text(kind))
                     .bind_blob(6, payload)
                     .bind(7, checksum)
                     .bind(8, as_int(id))
                     .run())
      return err;
    if (offset) {
      auto off = db_.prepare(
        "INSERT OR REPLACE INTO source_offsets(checkpoint, stage, instance, "
        "\"offset\") SELECT id, ?, ?, ? FROM checkpoints WHERE id = ?");
      if (!off)
        return std::move(off.error());
      if (auto err = off->bind(1, stage)
                       .bind(2, int64_t{instance})
                       .bind(3, static_cast<int64_t>(*offset))
                       .bind(4, as_int(id))
                       .run())
        return err;
    }
    if (sink_transaction) {
      auto tx = db_.prepare(
        "INSERT OR REPLACE INTO sink_transactions(sink, instance, checkpoint, "
        "status, payload) SELECT ?, ?, id, 'pre-committed', ? FROM "
        "checkpoints WHERE id = ?");
      if (!tx)
        return std::move(tx.error());
      if (auto err = tx->bind(1, stage)
                       .bind(2, int64_t{instance})
                       .bind_blob(3, *sink_transaction)
                       .bind(4, as_int(id))
                       .run())
        return err;
    }
    return caf::none;
  });
}

caf::error checkpoint_store::chain_complete(checkpoint_id id) {
  auto links = db_.prepare(
    "SELECT t.id - t.base, (SELECT COUNT(*) FROM checkpoints c WHERE c.id >= "
    "t.base AND c.id < t.id AND c.status = 'completed') FROM checkpoints t "
    "WHERE t.id = ?");
  if (!links)
    return std::move(links.error());
  links->bind(1, as_int(id));
  auto row = links->step();
  if (!row)
    return std::move(row.error());
  if (*row && links->column_int(0) != links->column_int(1))
    return caf::make_error(errc::storage_failed,
                           db_.path() + ": checkpoint "
                             + std::to_string(to_integer(id))
                             + " builds on a checkpoint that did not "
                               "complete");
  return caf::none;
}

caf::error checkpoint_store::complete(checkpoint_id id, int64_t now_ms,
                                      size_t retain) {
  auto err = in_transaction(db_, [&]() -> caf::error {
    auto stmt = db_.prepare(
      "UPDATE checkpoints SET status = 'completed', completed_ms = ?, bytes = "
      "(SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM snapshots WHERE "
      "checkpoint = ?) WHERE id = ? AND status = 'pending'");
    if (!stmt)
      return std::move(stmt.error());
    if (auto e
        = stmt->bind(1, now_ms).bind(2, as_int(id)).bind(3, as_int(id)).run())
      return e;
    // Only a pending checkpoint completes: one aborted, removed or already
    // completed must not report success.
    if (db_.changes() != 1)
      return caf::make_error(errc::storage_failed,
                             db_.path() + ": checkpoint "
                               + std::to_string(to_integer(id))
                               + " is not pending, it cannot complete");
    // A delta completes only on a chain whose every link completed.
    if (auto broken = chain_complete(id))
      return broken;
    auto tx = db_.prepare("UPDATE sink_transactions SET status = 'committed' "
                          "WHERE checkpoint = ?");
    if (!tx)
      return std::move(tx.error());
    return tx->bind(1, as_int(id)).run();
  });
  if (err)
    return err;
  // The checkpoint completed whatever happens now: a failed clean-up is
  // only noted, and the next completion tries again.
  retention_error_ = apply_retention(retain);
  return caf::none;
}

caf::error checkpoint_store::discard_after(checkpoint_id id) {
  auto stmt = db_.prepare("SELECT id FROM checkpoints WHERE id > ?");
  if (!stmt)
    return std::move(stmt.error());
  stmt->bind(1, as_int(id));
  std::vector<int64_t> later;
  for (;;) {
    auto row = stmt->step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      break;
    later.push_back(stmt->column_int(0));
  }
  return in_transaction(db_, [&]() -> caf::error {
    for (auto k : later)
      if (auto err = delete_checkpoint(k))
        return err;
    return caf::none;
  });
}

caf::error checkpoint_store::abort(checkpoint_id id) {
  return in_transaction(db_, [&] { return delete_checkpoint(as_int(id)); });
}

caf::error checkpoint_store::delete_checkpoint(int64_t id) {
  for (auto table : {"snapshots", "source_offsets", "sink_transactions"}) {
    auto stmt = db_.prepare(std::string{"DELETE FROM "} + table
                            + " WHERE checkpoint = ?");
    if (!stmt)
      return std::move(stmt.error());
    if (auto err = stmt->bind(1, id).run())
      return err;
  }
  auto stmt = db_.prepare("DELETE FROM checkpoints WHERE id = ?");
  if (!stmt)
    return std::move(stmt.error());
  return stmt->bind(1, id).run();
}

caf::error checkpoint_store::apply_retention(size_t retain) {
  auto all = completed();
  if (!all)
    return std::move(all.error());
  if (all->size() <= retain)
    return caf::none;
  // Keep the newest `retain` and every checkpoint their chains run through.
  std::set<uint64_t> keep;
  for (size_t i = 0; i < std::min(retain, all->size()); ++i) {
    auto& c = (*all)[i];
    for (auto k = to_integer(c.base); k <= to_integer(c.id); ++k)
      keep.insert(k);
  }
  return in_transaction(db_, [&]() -> caf::error {
    for (auto& c : *all)
      if (keep.count(to_integer(c.id)) == 0)
        if (auto err = delete_checkpoint(as_int(c.id)))
          return err;
    return caf::none;
  });
}

caf::expected<std::vector<checkpoint_info>> checkpoint_store::completed() {
  auto stmt = db_.prepare("SELECT id, kind, base, started_ms, completed_ms, "
                          "bytes FROM checkpoints WHERE status = 'completed' "
                          "ORDER BY id DESC");
  if (!stmt)
    return std::move(stmt.error());
  std::vector<checkpoint_info> result;
  for (;;) {
    auto row = stmt->step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      return result;
    checkpoint_info info;
    info.id = checkpoint_id{static_cast<uint64_t>(stmt->column_int(0))};
    info.kind = kind_of(stmt->column_text(1));
    info.base = checkpoint_id{static_cast<uint64_t>(stmt->column_int(2))};
    info.started_ms = stmt->column_int(3);
    info.completed_ms = stmt->column_int(4);
    info.bytes = static_cast<uint64_t>(stmt->column_int(5));
    result.push_back(info);
  }
}

caf::error checkpoint_store::record_shape(const std::string& shape) {
  auto stmt
    = db_.prepare("INSERT OR REPLACE INTO job_shape(id, shape) VALUES(1, ?)");
  if (!stmt)
    return std::move(stmt.error());
  return stmt->bind_blob(1, shape).run();
}

caf::expected<std::optional<std::string>> checkpoint_store::shape() {
  auto stmt = db_.prepare("SELECT shape FROM job_shape WHERE id = 1");
  if (!stmt)
    return std::move(stmt.error());
  auto row = stmt->step();
  if (!row)
    return std::move(row.error());
  if (!*row)
    return std::optional<std::string>{};
  return std::optional<std::string>{stmt->column_blob(0)};
}

caf::expected<uint64_t> checkpoint_store::last_id() {
  auto stmt = db_.prepare(
    "SELECT MAX((SELECT COALESCE(MAX(id), 0) FROM checkpoints), (SELECT "
    "COALESCE(MAX(value), 0) FROM store_meta WHERE key = "
    "'highest_checkpoint'))");
  if (!stmt)
    return std::move(stmt.error());
  auto row = stmt->step();
  if (!row)
    return std::move(row.error());
  return static_cast<uint64_t>(stmt->column_int(0));
}

caf::expected<std::vector<stored_instance>>
checkpoint_store::instances(checkpoint_id id) {
  auto stmt = db_.prepare("SELECT stage, instance FROM snapshots WHERE "
                          "checkpoint = ? ORDER BY stage, instance");
  if (!stmt)
    return std::move(stmt.error());
  stmt->bind(1, as_int(id));
  std::vector<stored_instance> result;
  for (;;) {
    auto row = stmt->step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      return result;
    result.push_back(stored_instance{
      stmt->column_text(0), static_cast<uint32_t>(stmt->column_int(1))});
  }
}

caf::expected<std::vector<std::string>>
checkpoint_store::chain(checkpoint_id id, const std::string& stage,
                        uint32_t instance) {
  auto stmt = db_.prepare(
    "SELECT s.checkpoint, s.payload, target.base FROM snapshots s, "
    "checkpoints c, "
    "checkpoints target WHERE target.id = ?1 AND c.id = s.checkpoint AND "
    "c.status = 'completed' AND s.stage = ?2 AND s.instance = ?3 AND "
    "s.checkpoint BETWEEN target.base AND target.id ORDER BY s.checkpoint");
  if (!stmt)
    return std::move(stmt.error());
  stmt->bind(1, as_int(id)).bind(2, stage).bind(3, int64_t{instance});
  std::vector<std::string> result;
  std::vector<int64_t> ids;
  int64_t base = 0;
  for (;;) {
    auto row = stmt->step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      break;
    ids.push_back(stmt->column_int(0));
    result.push_back(stmt->column_blob(1));
    base = stmt->column_int(2);
  }
  auto what = "checkpoint " + std::to_string(to_integer(id)) + ", stage '"
              + stage + "' instance " + std::to_string(instance);
  if (result.empty() || ids.back() != as_int(id))
    return caf::make_error(errc::snapshot_not_found, what + ": no snapshot");
  // The chain starts at its full snapshot: deltas alone restore nothing
  // whole.
  if (ids.front() != base)
    return caf::make_error(errc::snapshot_not_found,
                           what
                             + ": the chain misses its full snapshot, "
                               "checkpoint "
                             + std::to_string(base));
  // Every link of the chain must be there: a gap would skip changes.
  for (size_t i = 1; i < ids.size(); ++i)
    if (ids[i] != ids[i - 1] + 1)
      return caf::make_error(errc::snapshot_not_found,
                             what + ": the chain misses checkpoint "
                               + std::to_string(ids[i - 1] + 1));
  return result;
}

caf::error checkpoint_store::replace_payload(checkpoint_id id,
                                             const std::string& stage,
                                             uint32_t instance,
                                             const std::string& payload) {
  auto stmt = db_.prepare("UPDATE snapshots SET payload = ? WHERE checkpoint "
                          "= ? AND stage = ? AND instance = ?");
  if (!stmt)
    return std::move(stmt.error());
  return stmt->bind_blob(1, payload)
    .bind(2, as_int(id))
    .bind(3, stage)
    .bind(4, int64_t{instance})
    .run();
}

} // namespace sluice::state

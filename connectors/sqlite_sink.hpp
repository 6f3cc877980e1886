#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"
#include "protocol/checkpoint_id.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

struct sqlite3;

namespace sluice::connectors {

/// The SQLite type of a column.
enum class sqlite_type : uint8_t { integer, real, text };

struct sqlite_column {
  std::string name;
  sqlite_type type = sqlite_type::text;
};

/// One value of a row; any alternative fits any column (SQLite's typing).
using sqlite_value = std::variant<int64_t, double, std::string>;

using sqlite_row = std::vector<sqlite_value>;

/// The table a SQLite sink writes.
struct sqlite_table {
  /// The database file; created when missing.
  std::string path;
  /// Created when missing, with these columns. Names are plain
  /// identifiers (letters, digits, '_').
  std::string name;
  std::vector<sqlite_column> columns;
  /// Columns of the primary key: a row replaces the row with the same key
  /// (a changelog becomes its latest state). Empty: rows are appended.
  std::vector<std::string> key;
};

/// Writes the rows of one sink instance to a SQLite table. With
/// checkpoints, exactly once through two-phase commit (rules C4, C5):
///
/// * rows of the epoch in progress are staged in `sluice_staged_<table>`,
///   marked as pending, and marked with the checkpoint's id at pre-commit,
///   durably but invisibly;
/// * commit moves every staged epoch up to the checkpoint into the table
///   and writes the fence row (sink, instance, checkpoint) into
///   `sluice_sink_commits` in one transaction; a commit at or below the
///   fence does nothing, so repeating one is harmless;
/// * a restored instance drops what it staged after the restored
///   checkpoint and commits that checkpoint again.
///
/// Runs inside the instance's actor; failures throw `std::runtime_error`
/// naming the file, which fails the instance.
class sqlite_table_writer {
public:
  /// Opens the database (WAL, synchronous=FULL) and creates the tables.
  /// `sink` names the sink within the database (job and stage).
  sqlite_table_writer(sqlite_table table, std::string sink, uint32_t instance);

  ~sqlite_table_writer();

  sqlite_table_writer(const sqlite_table_writer&) = delete;
  sqlite_table_writer& operator=(const sqlite_table_writer&) = delete;

  /// Writes rows at once, in one transaction (jobs without checkpoints).
  void write(const std::vector<sqlite_row>& rows);

  /// Stages rows of the epoch in progress, so that memory stays bounded
  /// between checkpoints; they stay pending until `pre_commit`.
  void stage(const std::vector<sqlite_row>& rows);

  /// Ends the epoch of checkpoint `id`: stages `rows` and marks every
  /// pending row with `id`, in one durable transaction.
  void pre_commit(protocol::checkpoint_id id,
                  const std::vector<sqlite_row>& rows);

  /// Makes every staged epoch up to `id` visible, with the fence row, in
  /// one transaction; nothing when the fence is at `id` or beyond.
  void commit(protocol::checkpoint_id id);

  /// A fresh start: forgets this instance's staged rows and its fence.
  /// Refused (rule S7) when a fence exists, unless `start_over`: the user
  /// asked to start from the beginning.
  void start_fresh(bool start_over);

  /// A restart from checkpoint `id`: drops what was staged after it and
  /// commits it (it may not have been committed before the failure).
  /// Refused (rule S7) when the fence is beyond `id`: the rows committed
  /// since would be written again.
  void recover(protocol::checkpoint_id id);

  /// The checkpoint of the fence row; 0 when there is none.
  uint64_t fence();

  const sqlite_table& table() const noexcept { return table_; }

private:
  enum class row_target { table, staging };

  void open();
  void exec(const std::string& sql);
  void insert(row_target to, const std::vector<sqlite_row>& rows);
  [[noreturn]] void fail(const std::string& what);
  /// "SQLite sink 'job/out' instance 0 on table 't' in 'out.db'".
  std::string description() const;

  sqlite_table table_;
  std::string sink_;
  uint32_t instance_;
  sqlite3* db_ = nullptr;
  std::string staged_;        ///< Name of the staging table.
  std::string insert_now_;    ///< Inserts a row into the table.
  std::string insert_staged_; ///< Inserts a row, pending, into staging.
  std::string column_list_;   ///< "a", "b", ...
};

/// A sink writing one row per record, `ToRow(const T&) -> sqlite_row`, to
/// a table; one writer per instance.
template <class T, class ToRow>
struct write_sqlite {
  using record_type = T;

  sqlite_table table;
  ToRow to_row;

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context& ctx) const;
};

template <class T, class ToRow>
class sqlite_sink_instance final : public operators::operator_instance {
public:
  /// Rows staged at once while an epoch is open; more wait in memory.
  static constexpr size_t stage_every = 4096;

  sqlite_sink_instance(sqlite_table table, ToRow to_row,
                       const operators::instance_context& ctx)
      : table_(std::move(table)), to_row_(std::move(to_row)),
        sink_(ctx.job + "/" + ctx.stage), instance_(ctx.instance),
        checkpointing_(ctx.checkpointing), start_over_(ctx.start_over) {}

  void open(const std::optional<operators::restored_from>& restored) override {
    writer_ = std::make_unique<sqlite_table_writer>(table_, sink_, instance_);
    if (restored)
      writer_->recover(restored->id);
    else
      writer_->start_fresh(start_over_ || !checkpointing_);
  }

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<T>(payload);
    rows_.reserve(rows_.size() + records.size());
    operators::for_each_record(
      records, [this](const T& x) { rows_.push_back(to_row_(x)); });
    if (!checkpointing_) {
      writer_->write(rows_);
      rows_.clear();
    } else if (rows_.size() >= stage_every) {
      writer_->stage(rows_);
      rows_.clear();
    }
  }

  std::optional<std::string> pre_commit(protocol::checkpoint_id id) override {
    writer_->pre_commit(id, rows_);
    rows_.clear();
    return "table " + table_.name + " in " + table_.path;
  }

  void commit(protocol::checkpoint_id id) override { writer_->commit(id); }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  sqlite_table table_;
  ToRow to_row_;
  std::string sink_;
  uint32_t instance_;
  bool checkpointing_;
  bool start_over_;
  std::unique_ptr<sqlite_table_writer> writer_;
  std::vector<sqlite_row> rows_;
};

template <class T, class ToRow>
std::unique_ptr<operators::operator_instance>
write_sqlite<T, ToRow>::make_instance(
  const operators::instance_context& ctx) const {
  return std::make_unique<sqlite_sink_instance<T, ToRow>>(table, to_row, ctx);
}

} // namespace sluice::connectors

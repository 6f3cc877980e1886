#pragma once

#include "protocol/checkpoint_id.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sluice::connectors {

/// The files of one instance of a transactional file sink (rule T1):
///
///   DIR/.staging/NAME.part             the open epoch, being written
///   DIR/.staging/NAME.ID.pending       an epoch staged for checkpoint ID
///   DIR/NAME-ID.txt                    an epoch published: committed
///
/// Staging flushes and syncs the open file, then renames it; publishing
/// renames again and syncs the directory. A rename is atomic, so a file
/// under DIR is complete, and a crash at any point leaves each epoch either
/// staged or published, never half of either. Throws naming the file on any
/// I/O failure (a full disk, say).
class epoch_files {
public:
  /// `name` is "STAGE-INSTANCE".
  epoch_files(std::string directory, std::string name);
  ~epoch_files();
  epoch_files(const epoch_files&) = delete;
  epoch_files& operator=(const epoch_files&) = delete;

  /// Appends to the open epoch.
  void write(const std::string& bytes);

  /// Closes the open epoch as the one of checkpoint `id`: durable, not
  /// visible. Returns the staged file's name, or nothing for an empty
  /// epoch (no file).
  std::optional<std::string> stage(protocol::checkpoint_id id);

  /// Publishes every staged epoch up to `id`, oldest first. Publishing an
  /// epoch again is a no-op.
  void publish(protocol::checkpoint_id id);

  /// After a restart from checkpoint `id` (none: a fresh start): publishes
  /// what `id` covers and deletes every staged or open epoch after it,
  /// whose records will come again. Refused (rule S7) when an epoch after
  /// `id` was published already, unless this is a fresh start the user
  /// asked for (`start_over`).
  void recover(std::optional<protocol::checkpoint_id> id, bool start_over);

  /// The newest checkpoint whose epoch was published; 0 if none.
  uint64_t last_published() const;

  /// Publishes the open epoch without a checkpoint (a job without
  /// checkpoints ends).
  void publish_open(const std::string& label);

  /// The published file of checkpoint `id`.
  std::string published(protocol::checkpoint_id id) const;

private:
  std::string pending(protocol::checkpoint_id id) const;
  void open_epoch();
  void close_epoch();

  std::string dir_;
  std::string staging_;
  std::string name_;
  std::string part_;
  int fd_ = -1;
  uint64_t written_ = 0;
};

} // namespace sluice::connectors

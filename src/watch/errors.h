// The error kinds the watch module reports (Status::kind()): stable, machine-readable
// words that API clients, tests and the CLI match on.
#pragma once

namespace charchive::watch_error {

inline constexpr char kFolderInData[] = "watch_folder_in_data";   // the folder holds or is inside the data dir
inline constexpr char kFolderMissing[] = "watch_folder_missing";  // no such folder
inline constexpr char kFolderNotAbsolute[] = "watch_folder_not_absolute";
inline constexpr char kFolderNotDirectory[] = "watch_folder_not_directory";
inline constexpr char kInotify[] = "inotify_failed";  // the kernel refused a watch (limits)
inline constexpr char kUnreadable[] = "unreadable";   // a file could not be read

}  // namespace charchive::watch_error

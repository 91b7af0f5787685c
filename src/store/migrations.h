// The archive's schema as numbered migrations, applied in order at open inside
// one transaction each; `schema_migrations` records what has been applied.
// Never edit a released migration: add the next number.
#pragma once

#include "store/sqlite.h"

namespace charchive {

// Applies every migration newer than the database's version.
Status ApplyMigrations(Database& db);

// The newest migration number this build knows.
int LatestSchemaVersion();

}  // namespace charchive

// The archive's schema as numbered migrations, applied in order at open inside
// one transaction each; `schema_migrations` records what has been applied. A
// migration is SQL or a C++ step over the database (migration 6 rehashes
// every card). Never edit a released migration: add the next number.
#pragma once

#include "store/sqlite.h"

namespace charchive {

// Applies every migration newer than the database's version.
Status ApplyMigrations(Database& db);

// Applies the migrations newer than the database's version up to `version`
// (tests build databases of an older schema with it).
Status ApplyMigrationsUpTo(Database& db, int version);

// The newest migration number this build knows.
int LatestSchemaVersion();

}  // namespace charchive

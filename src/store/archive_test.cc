#include "store/archive.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <thread>

#include "card/content_hash.h"
#include "card/errors.h"
#include "card/placeholder_png.h"
#include "store/card_repository.h"
#include "store/errors.h"
#include "testing/test_cards.h"
#include "util/inflate.h"

namespace charchive {
namespace {

using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::ReadFixture;
using testing::TempDir;

// The whole download, read `piece` bytes at a time from wherever it starts.
std::string ReadAll(const Download& download, uint64_t piece = 1u << 30) {
  std::string out;
  for (uint64_t at = 0; at < download.size(); at += piece) {
    Status read = download.WriteTo(at, std::min(piece, download.size() - at), [&](std::string_view b) {
      out.append(b);
      return true;
    });
    EXPECT_TRUE(read.ok()) << read.ToString();
  }
  return out;
}

size_t CountFiles(const std::filesystem::path& dir) {
  size_t n = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Archive::Open(dir_.path().string());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    archive_ = std::move(opened).value();
  }

  CardId Import(const std::string& bytes, const std::string& name) {
    ImportResult r = archive_->ImportBytes(bytes, name);
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_TRUE(r.id.has_value());
    return r.id.value_or(0);
  }

  int64_t Total(const std::string& q = "") {
    ListQuery query;
    query.q = q;
    auto page = archive_->List(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->total : -1;
  }

  // Writes rows straight into the database: many cards at once, where
  // importing each would be slow.
  void Sql(const std::string& sql) {
    auto db = archive_->pool().Acquire();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    Status done = (*db)->Exec(sql);
    ASSERT_TRUE(done.ok()) << done.ToString();
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(ArchiveTest, ImportsTheFixtureOnceAndReportsDuplicates) {
  std::string png = ReadFixture("default_Seraphina.png");
  CardId id = Import(png, "default_Seraphina.png");
  ImportResult again = archive_->ImportBytes(png, "copy.png");
  ASSERT_TRUE(again.status.ok());
  EXPECT_FALSE(again.id.has_value());
  EXPECT_EQ(again.duplicate_of, id);
  EXPECT_EQ(Total(), 1);

  auto record = archive_->Get(id);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->name, "Seraphina");
  EXPECT_EQ(record->spec, "v3");
  EXPECT_EQ(record->format, "png");
  EXPECT_TRUE(record->has_lorebook);
  EXPECT_EQ(record->lorebook_entries, 4);
  EXPECT_GT(record->token_estimate, 100);
  // The imported file is kept byte for byte.
  auto stored = ReadFile(dir_.File("files/" + record->file_name), 1u << 30);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, png);
  EXPECT_EQ(Total("protective"), 1);  // a word of its description
  EXPECT_EQ(Total("protec"), 1);      // prefix search
}

TEST_F(ArchiveTest, ListFiltersSortsAndPages) {
  for (int i = 0; i < 12; ++i) {
    Json doc = MakeV2Card("Card " + std::to_string(i), "Description number " + std::to_string(i));
    doc["data"]["tags"] = i % 2 ? Json{"odd", "shared"} : Json{"even", "shared"};
    if (i == 3) doc["data"]["creator"] = "special";
    Import(MakeCardPng(doc), "c" + std::to_string(i) + ".png");
  }
  ListQuery q;
  q.tags = {"odd"};
  EXPECT_EQ(archive_->List(q)->total, 6);
  q.tags = {"odd", "shared"};
  EXPECT_EQ(archive_->List(q)->total, 6);
  q.exclude_tags = {"odd"};
  EXPECT_EQ(archive_->List(q)->total, 0);
  q = ListQuery();
  q.creator = "SPECIAL";
  EXPECT_EQ(archive_->List(q)->total, 1);
  q.tags = {"odd"};
  EXPECT_EQ(archive_->List(q)->total, 1);  // card 3
  q.tags = {"even"};
  EXPECT_EQ(archive_->List(q)->total, 0);
  q = ListQuery();
  q.tags = {"shared", "even"};
  q.exclude_tags = {"odd"};
  auto evens = archive_->List(q);
  EXPECT_EQ(evens->total, 6);
  EXPECT_EQ(evens->items.size(), 6u);
  q = ListQuery();
  q.sort = SortKey::kName;
  q.descending = false;
  q.limit = 5;
  q.page = 2;
  auto page = archive_->List(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 12);
  ASSERT_EQ(page->items.size(), 5u);
  EXPECT_EQ(page->items[0].name, "Card 3");  // Card 0, 1, 10, 11, 2 | 3 ...
  auto tags = archive_->Tags();
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->front().tag, "shared");
  EXPECT_EQ(tags->front().count, 12);

  q = ListQuery();
  q.q = "\"unbalanced";
  auto bad = archive_->List(q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
}

TEST_F(ArchiveTest, RelevanceRanksTheBetterMatchFirst) {
  Import(MakeCardPng(MakeV2Card("Passing", "A baker who once saw a comet.")), "a.png");
  Import(MakeCardPng(MakeV2Card("Obsessed", "Comet hunter. Comet maps, comet logs, comet dreams.")), "b.png");
  Import(MakeCardPng(MakeV2Card("Unrelated", "A fisherman.")), "c.png");
  ListQuery q;
  q.q = "comet";
  q.sort = SortKey::kRelevance;
  auto page = archive_->List(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].name, "Obsessed");
  q.tags = {"fantasy"};  // with another filter the count joins the cards
  EXPECT_EQ(archive_->List(q)->total, 2);
}

TEST_F(ArchiveTest, EditVersionRestoreAndSearchStayInStep) {
  CardId id = Import(MakeCardPng(MakeV2Card("Editable", "An old lighthouse keeper.")), "e.png");
  std::string first_hash = archive_->Get(id)->content_hash;
  EXPECT_EQ(Total("lighthouse"), 1);

  auto edited = archive_->UpdateData(id, Json{{"description", "A retired zeppelin pilot."}});
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_NE(edited->content_hash, first_hash);
  EXPECT_EQ(Total("zeppelin"), 1);
  EXPECT_EQ(Total("lighthouse"), 0);
  auto versions = archive_->Versions(id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].reason, "edit");
  EXPECT_EQ((*versions)[1].reason, "import");
  EXPECT_EQ((*versions)[1].content_hash, first_hash);

  auto restored = archive_->RestoreVersion(id, (*versions)[1].id);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->content_hash, first_hash);
  EXPECT_EQ(Total("lighthouse"), 1);
  EXPECT_EQ(Total("zeppelin"), 0);
  EXPECT_EQ(archive_->Versions(id)->front().reason, "restore");

  // A wrong type changes nothing.
  auto wrong = archive_->UpdateData(id, Json{{"tags", "not a list"}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(archive_->Versions(id)->size(), 3u);
  EXPECT_EQ(archive_->Version(id, 999999).status().code(), StatusCode::kNotFound);
}

TEST_F(ArchiveTest, ConcurrentEditsOfOneCardLoseNoUpdate) {
  CardId id = Import(MakeCardPng(MakeV2Card("Shared", "Edited by two writers.")), "shared.png");
  constexpr int kEdits = 100;
  auto writer = [&](const std::string& field) {
    for (int i = 1; i <= kEdits; ++i) {
      auto r = archive_->UpdateData(id, Json{{field, field + " " + std::to_string(i)}});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  };
  std::thread a(writer, "scenario"), b(writer, "personality");
  a.join();
  b.join();
  Json data = Json::parse(archive_->Get(id)->raw_json)["data"];
  EXPECT_EQ(data["scenario"], "scenario 100");
  EXPECT_EQ(data["personality"], "personality 100");
  EXPECT_EQ(archive_->Versions(id)->size(), 1u + 2 * kEdits);  // every edit is a version
}

TEST_F(ArchiveTest, ExportsCurrentContentInEveryFormat) {
  CardId id = Import(ReadFixture("default_Seraphina.png"), "s.png");
  ASSERT_TRUE(archive_->UpdateData(id, Json{{"scenario", "A new scenario."}}).ok());
  std::string hash = archive_->Get(id)->content_hash;
  for (CardFormat format : {CardFormat::kPng, CardFormat::kJson, CardFormat::kCharx}) {
    auto exported = archive_->StreamExport(id, format);
    ASSERT_TRUE(exported.ok()) << exported.status().ToString();
    EXPECT_EQ(exported->file_name(), std::string("Seraphina.") + CardFormatName(format));
    auto back = LoadCardBytes(ReadAll(*exported));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(ContentHash(back->card), hash);
  }
  auto image = archive_->Image(id);
  ASSERT_TRUE(image.ok());
  auto thumb = archive_->ThumbnailPath(id);
  ASSERT_TRUE(thumb.ok()) << thumb.status().ToString();
  auto jpeg = ReadFile(*thumb, 1u << 20);
  ASSERT_TRUE(jpeg.ok());
  EXPECT_EQ(jpeg->substr(0, 2), "\xFF\xD8");
}

// What the PNG export was when it was built in memory from the stored file.
std::string InMemoryPngExport(const std::string& stored, const std::string& current_json) {
  auto loaded = LoadCardBytes(stored);
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  loaded->card = *Card::FromJson(current_json);
  auto png = SaveCardBytes(*loaded, CardFormat::kPng, CardSpec::kV3);
  EXPECT_TRUE(png.ok()) << png.status().ToString();
  return *png;
}

TEST_F(ArchiveTest, StreamedPngExportIsTheInMemoryExport) {
  std::string idat;
  WalkPngChunks(PlaceholderPng(), CrcCheck::kAllChunks, [&](const PngChunk& c) {
    if (c.type == "IDAT") idat = std::string(c.raw);
    return true;
  });
  std::string b64 = Base64Encode(MakeV2Card("Stored").dump());
  auto with_chunks = [&](const std::string& keyword, const std::string& payload, const std::string& type) {
    // A second IDAT and a comment after the image, then the card chunk.
    std::string png = testing::MakePngWithText(keyword, payload, type);
    size_t at = png.find(idat) + idat.size();
    std::string comment;
    AppendPngChunk(comment, "tEXt", std::string("Comment") + '\0' + "after the image");
    return png.substr(0, at) + idat + comment + png.substr(at);
  };
  std::vector<std::string> pngs = {
      ReadFixture("default_Seraphina.png"),
      MakeCardPng(MakeV2Card("Chara Only"), "chara"),
      MakeCardPng(MakeV2Card("Ccv3 Only"), "ccv3"),
      with_chunks("chara", std::string(1, '\0') + DeflateZlib(b64), "zTXt"),
      with_chunks("ccv3", std::string("\0\0", 2) + "en" + '\0' + '\0' + Base64Encode(MakeV2Card("Too").dump()), "iTXt"),
  };
  for (size_t i = 0; i < pngs.size(); ++i) {
    SCOPED_TRACE(i);
    CardId id = Import(pngs[i], "card" + std::to_string(i) + ".png");
    ASSERT_TRUE(archive_->UpdateData(id, Json{{"scenario", "Edited " + std::to_string(i)}}).ok());
    auto record = archive_->Get(id);
    std::string expected = InMemoryPngExport(pngs[i], record->raw_json);
    auto download = archive_->StreamExport(id, CardFormat::kPng);
    ASSERT_TRUE(download.ok()) << download.status().ToString();
    EXPECT_EQ(download->content_type(), "image/png");
    EXPECT_EQ(download->size(), expected.size());
    EXPECT_TRUE(ReadAll(*download) == expected);
    EXPECT_TRUE(ReadAll(*download, 1000) == expected);  // in ranges, as for a Range request
    auto image = archive_->StreamImage(id);
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    EXPECT_TRUE(ReadAll(*image) == pngs[i]);  // the stored file, card chunks and all
    EXPECT_TRUE(ReadAll(*image) == *archive_->Image(id));
  }
}

TEST_F(ArchiveTest, ImagesOfCardsThatAreNotPngs) {
  Json doc = MakeV2Card("Plain");
  CardId json_card = Import(doc.dump(), "plain.json");
  EXPECT_EQ(archive_->StreamImage(json_card).status().kind(), "no_image");
  std::string png = ReadFixture("default_Seraphina.png");
  auto charx = SaveCardBytes(*LoadCardBytes(png), CardFormat::kCharx, CardSpec::kV3);
  ASSERT_TRUE(charx.ok());
  CardId charx_card = Import(*charx, "s.charx");
  auto icon = archive_->StreamImage(charx_card);
  ASSERT_TRUE(icon.ok()) << icon.status().ToString();
  EXPECT_TRUE(ReadAll(*icon) == png);  // the main icon, as exported
  // A PNG export of a JSON card is the placeholder image with the card.
  auto exported = archive_->StreamExport(json_card, CardFormat::kPng);
  ASSERT_TRUE(exported.ok());
  auto back = LoadCardBytes(ReadAll(*exported));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->card.name(), "Plain");
}

TEST_F(ArchiveTest, ACharxCardKeepsItsFormatAndAssetsThroughANewImageAndAClone) {
  std::string png = ReadFixture("default_Seraphina.png");
  auto charx = SaveCardBytes(*LoadCardBytes(png), CardFormat::kCharx, CardSpec::kV3);
  ASSERT_TRUE(charx.ok());
  CardId id = Import(*charx, "s.charx");
  auto before = archive_->Get(id);
  auto assets_before = LoadCardBytes(ReadAll(*archive_->StreamExport(id, CardFormat::kCharx)))->assets;

  auto replaced = archive_->ReplaceImage(id, PlaceholderPng());
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ(replaced->format, "charx");
  EXPECT_EQ(replaced->content_hash, before->content_hash);
  EXPECT_TRUE(ReadAll(*archive_->StreamImage(id)) == PlaceholderPng());
  auto after = LoadCardBytes(ReadAll(*archive_->StreamExport(id, CardFormat::kCharx)));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->assets.size(), assets_before.size());
  EXPECT_EQ(archive_->Versions(id)->size(), 2u);

  auto clone = archive_->Clone(id, "");
  ASSERT_TRUE(clone.ok()) << clone.status().ToString();
  EXPECT_EQ(clone->name, "Seraphina (copy)");
  EXPECT_EQ(clone->format, "charx");
  EXPECT_EQ(clone->image_hash, replaced->image_hash);
  EXPECT_TRUE(archive_->Doctor()->consistent());
}

TEST_F(ArchiveTest, DownloadsUnderWayOutliveTheCardsFile) {
  std::string png = ReadFixture("default_Seraphina.png");
  CardId id = Import(png, "s.png");
  std::string expected = InMemoryPngExport(png, archive_->Get(id)->raw_json);
  std::string file = archive_->Get(id)->file_name;
  auto download = archive_->StreamExport(id, CardFormat::kPng);
  auto image = archive_->StreamImage(id);
  ASSERT_TRUE(download.ok() && image.ok());
  std::string first;
  ASSERT_TRUE(download
                  ->WriteTo(0, 100,
                            [&](std::string_view b) {
                              first.append(b);
                              return true;
                            })
                  .ok());
  ASSERT_TRUE(archive_->Delete(id).ok());
  ASSERT_FALSE(std::filesystem::exists(dir_.File("files/" + file)));
  std::string rest;
  ASSERT_TRUE(download
                  ->WriteTo(100, download->size() - 100,
                            [&](std::string_view b) {
                              rest.append(b);
                              return true;
                            })
                  .ok());
  EXPECT_TRUE(first + rest == expected);
  EXPECT_TRUE(ReadAll(*image) == png);
  EXPECT_EQ(archive_->StreamExport(id, CardFormat::kPng).status().code(), StatusCode::kNotFound);
}

TEST_F(ArchiveTest, DeleteRemovesRowFileAndVersions) {
  CardId id = Import(MakeCardPng(MakeV2Card("Doomed")), "d.png");
  std::string file = archive_->Get(id)->file_name;
  ASSERT_TRUE(archive_->Delete(id).ok());
  EXPECT_EQ(archive_->Get(id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(archive_->Versions(id).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("files/" + file)));
  EXPECT_EQ(archive_->Delete(id).code(), StatusCode::kNotFound);
  EXPECT_TRUE(archive_->Doctor()->consistent());
}

TEST_F(ArchiveTest, TrashedCardLeavesListsAndSearchButKeepsFilesAndVersions) {
  Json doc = MakeV2Card("Trashy", "A card on its way out.");
  doc["data"]["tags"] = Json::array({"binned"});
  std::string png = MakeCardPng(doc);
  CardId id = Import(png, "t.png");
  CardId kept = Import(MakeCardPng(MakeV2Card("Keeper")), "k.png");
  std::string file = archive_->Get(id)->file_name;
  ASSERT_TRUE(archive_->Trash(id).ok());

  EXPECT_EQ(Total(), 1);
  EXPECT_EQ(Total("Trashy"), 0);
  ListQuery tagged;
  tagged.tags = {"binned"};
  EXPECT_EQ(archive_->List(tagged)->total, 0);
  EXPECT_TRUE(archive_->Tags()->empty() || archive_->Tags()->front().tag != "binned");
  EXPECT_EQ(*archive_->CardIds(), std::vector<CardId>{kept});
  auto record = archive_->Get(id);
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(record->trashed_at.has_value());
  EXPECT_TRUE(std::filesystem::exists(dir_.File("files/" + file)));
  EXPECT_EQ(archive_->Versions(id)->size(), 1u);
  auto trash = archive_->ListTrash(10);
  ASSERT_TRUE(trash.ok());
  EXPECT_EQ(trash->total, 1);
  ASSERT_EQ(trash->items.size(), 1u);
  EXPECT_EQ(trash->items[0].id, id);

  // Nothing changes a trashed card, and nothing sends it anywhere.
  EXPECT_EQ(archive_->UpdateData(id, Json{{"description", "edited"}}).status().kind(), store_error::kTrashed);
  EXPECT_EQ(archive_->SetFavorite(id, true).status().kind(), store_error::kTrashed);
  EXPECT_EQ(archive_->Snapshot(id).status().kind(), store_error::kTrashed);
  EXPECT_EQ(archive_->Trash(id).kind(), store_error::kTrashed);
  EXPECT_EQ(archive_->Get(id)->content_hash, record->content_hash);
  // The same file imported again is a new card, not a duplicate of one in the trash.
  ImportResult again = archive_->ImportBytes(png, "again.png");
  ASSERT_TRUE(again.id.has_value()) << again.status.ToString();
  ASSERT_TRUE(archive_->Delete(*again.id).ok());
}

TEST_F(ArchiveTest, RestoreBringsATrashedCardBackWhole) {
  Json doc = MakeV2Card("Returner", "Back from the bin.");
  doc["data"]["tags"] = Json::array({"boomerang"});
  CardId id = Import(MakeCardPng(doc), "r.png");
  ASSERT_TRUE(archive_->Trash(id).ok());
  auto restored = archive_->RestoreFromTrash(id);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_FALSE(restored->trashed_at.has_value());
  EXPECT_EQ(Total(), 1);
  EXPECT_EQ(Total("Returner"), 1);
  ListQuery tagged;
  tagged.tags = {"boomerang"};
  EXPECT_EQ(archive_->List(tagged)->total, 1);
  EXPECT_EQ(archive_->ListTrash(10)->total, 0);
  EXPECT_EQ(archive_->RestoreFromTrash(id).status().kind(), store_error::kNotTrashed);
  EXPECT_EQ(archive_->RestoreFromTrash(id + 100).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(archive_->UpdateData(id, Json{{"description", "edited"}}).ok());
}

TEST_F(ArchiveTest, EmptyTrashDeletesOnlyTrashedCardsForGood) {
  CardId gone = Import(MakeCardPng(MakeV2Card("Gone")), "g.png");
  CardId stays = Import(MakeCardPng(MakeV2Card("Stays")), "s.png");
  std::string file = archive_->Get(gone)->file_name;
  ASSERT_TRUE(archive_->Trash(gone).ok());
  EXPECT_EQ(*archive_->EmptyTrash(), 1);
  EXPECT_EQ(archive_->Get(gone).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("files/" + file)));
  EXPECT_TRUE(archive_->Get(stays).ok());
  EXPECT_EQ(Total(), 1);  // the count kept by triggers counted the trashed card out once
  EXPECT_EQ(*archive_->EmptyTrash(), 0);
  EXPECT_TRUE(archive_->Doctor()->consistent());
}

TEST_F(ArchiveTest, BadInputChangesNothing) {
  std::string png = ReadFixture("default_Seraphina.png");
  std::string huge = testing::MakePngWithText("chara", std::string(60u << 20, 'A'));
  std::vector<std::pair<std::string, std::string>> bad = {
      {"truncated.png", png.substr(0, png.size() / 2)},
      {"nocard.png", PlaceholderPng()},
      {"huge.png", huge},
      {"invalid.json", "{\"name\": "},
      {"notacard.json", "{\"hello\": 1}"},
      {"garbage.bin", "\x01\x02\x03"},
      {"traversal.charx", testing::RawZip({{"card.json", MakeV2Card("Zip").dump()}, {"../../evil.txt", "x"}})},
  };
  for (const auto& [name, bytes] : bad) {
    ImportResult r = archive_->ImportBytes(bytes, name);
    EXPECT_FALSE(r.status.ok()) << name;
    EXPECT_EQ(r.status.code(), StatusCode::kInvalidInput) << name;
    EXPECT_FALSE(r.id.has_value());
  }
  EXPECT_EQ(Total(), 0);
  EXPECT_EQ(CountFiles(dir_.path() / "files"), 0u);
  EXPECT_EQ(CountFiles(dir_.path() / "staging"), 0u);
  auto report = archive_->Doctor();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->consistent());
  EXPECT_EQ(report->cards, 0);
}

TEST_F(ArchiveTest, OpenRecoversStagedFilesOfDeadProcesses) {
  // A dead importer's leftovers: one staged file no row names.
  std::string dead = dir_.File("staging/4194000-deadbeef.png");
  ASSERT_TRUE(WriteFileAtomic(dead, "half an import").ok());
  archive_.reset();
  auto reopened = Archive::Open(dir_.path().string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_FALSE(std::filesystem::exists(dead));
  auto report = (*reopened)->Doctor();
  EXPECT_EQ(report->recovered_deleted, 1);
  EXPECT_TRUE(report->consistent());
}

TEST_F(ArchiveTest, DoctorFindsOrphansAndMissingFiles) {
  CardId id = Import(MakeCardPng(MakeV2Card("Watched")), "w.png");
  std::string file = archive_->Get(id)->file_name;
  ASSERT_TRUE(WriteFileAtomic(dir_.File("files/stray.png"), "x").ok());
  std::filesystem::remove(dir_.File("files/" + file));
  auto report = archive_->Doctor();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->integrity_ok);
  EXPECT_FALSE(report->consistent());
  EXPECT_EQ(report->orphan_files, std::vector<std::string>{"stray.png"});
  EXPECT_EQ(report->missing_files, std::vector<std::string>{file});
}

TEST_F(ArchiveTest, BatchSkipsDuplicatesWithinTheBatch) {
  std::string a = MakeCardPng(MakeV2Card("Twin"));
  std::vector<PreparedImport> batch;
  batch.push_back(archive_->PrepareImport(a, "one.png"));
  batch.push_back(archive_->PrepareImport(a, "two.png"));
  batch.push_back(archive_->PrepareImport("nope", "three.txt"));
  auto results = archive_->CommitImports(std::move(batch));
  ASSERT_EQ(results.size(), 3u);
  ASSERT_TRUE(results[0].id.has_value());
  EXPECT_EQ(results[1].duplicate_of, results[0].id);
  EXPECT_EQ(results[2].status.kind(), "unknown_format");
  EXPECT_EQ(Total(), 1);
  EXPECT_EQ(CountFiles(dir_.path() / "staging"), 0u);
  EXPECT_TRUE(archive_->Doctor()->consistent());
}

// A ranked search counts its matches from the ranked candidates when they are
// fewer than the candidates ranked, and with a count past them, on an empty
// page, and with filters; every total is exact.
TEST_F(ArchiveTest, ARankedSearchTotalIsExactWithFewOrManyMatches) {
  Sql(R"sql(
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700)
INSERT INTO cards(id, name, spec, format, content_hash, file_name, file_size, created_at, updated_at)
  SELECT 100 + i, 'Bulk ' || i, 'v2', 'png', 'h' || i, 'f' || i || '.png', 1, '2026-12-01', '2026-12-01' FROM n;
INSERT INTO card_tags(card_id, tag) SELECT id, 'few' FROM cards WHERE id IN (101, 102, 103);
INSERT INTO cards_fts(rowid, name, description)
  SELECT id, name, CASE WHEN id IN (101, 102, 103) THEN 'common rare' ELSE 'common' END FROM cards;
)sql");
  auto total = [&](const std::string& words, std::vector<std::string> tags, int64_t page, size_t items) {
    ListQuery q;
    q.q = words;
    q.sort = SortKey::kRelevance;
    q.tags = std::move(tags);
    q.page = page;
    auto listed = archive_->List(q);
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    if (!listed.ok()) return int64_t{-1};
    EXPECT_EQ(listed->items.size(), items) << words << " page " << page;
    EXPECT_FALSE(listed->total_capped);
    return listed->total;
  };
  EXPECT_EQ(total("rare", {}, 1, 3), 3);
  EXPECT_EQ(total("rare", {}, 2, 0), 3);
  EXPECT_EQ(total("common", {}, 1, 50), 700);
  EXPECT_EQ(total("common", {}, 11, 50), 700);  // past the ranked window, newest first
  EXPECT_EQ(total("common", {}, 15, 0), 700);
  EXPECT_EQ(total("common", {"few"}, 1, 3), 3);
  ListQuery bad;
  bad.q = "\"unclosed";
  bad.sort = SortKey::kRelevance;
  auto refused = archive_->List(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().kind(), store_error::kBadQuery);
}

// Relevance ranks a window of the newest matches and the pages past it go on
// newest first: paging through 700 matches shows each once, whatever the page
// size (a window of 250 rounds up to 260 for pages of 20; one page of 500).
TEST_F(ArchiveTest, PagingARankedSearchShowsEveryMatchOnce) {
  Sql(R"sql(
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700)
INSERT INTO cards(id, name, spec, format, content_hash, file_name, file_size, created_at, updated_at)
  SELECT 100 + i, 'Bulk ' || i, 'v2', 'png', 'h' || i, 'f' || i || '.png', 1, '2026-12-01', '2026-12-01' FROM n;
INSERT INTO cards_fts(rowid, name, description)
  SELECT id, name, substr('common common common common common ', 1, 7 * (1 + id % 5)) FROM cards;
INSERT INTO card_tags(card_id, tag) SELECT id, 'bulk' FROM cards;
)sql");
  for (int64_t limit : {50, 20, 500, 7}) {
    for (bool filtered : {false, true}) {
      std::set<CardId> seen;
      size_t shown = 0;
      for (int64_t page = 1; page <= 701 / limit + 1; ++page) {
        ListQuery q;
        q.q = "common";
        q.sort = SortKey::kRelevance;
        if (filtered) q.tags = {"bulk"};
        q.page = page;
        q.limit = limit;
        auto listed = archive_->List(q);
        ASSERT_TRUE(listed.ok()) << listed.status().ToString();
        EXPECT_EQ(listed->total, 700);
        for (const auto& c : listed->items) seen.insert(c.id);
        shown += listed->items.size();
      }
      EXPECT_EQ(shown, 700u) << "limit " << limit << (filtered ? " filtered" : "");
      EXPECT_EQ(seen.size(), 700u) << "limit " << limit << (filtered ? " filtered" : "");
    }
  }
}

// Past kCountCap matches a filtered count stops ("10,000+"), a search's past
// kSearchCountCap ("1,000+"); the unfiltered total stays exact, kept by
// migration 12's triggers through inserts and deletes. The extra rows are
// written by SQL: 10,001 imports would be slow.
TEST_F(ArchiveTest, FilteredCountsStopAtTheCapAndTheTotalStaysExact) {
  CardId imported = Import(MakeCardPng(MakeV2Card("Kept", "common words")), "kept.png");
  Sql(R"sql(
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO cards(id, name, spec, format, content_hash, file_name, file_size, created_at, updated_at)
  SELECT 100 + i, 'Bulk ' || i, 'v2', 'png', 'h' || i, 'f' || i || '.png', 1, '2026-12-01', '2026-12-01' FROM n;
INSERT INTO card_tags(card_id, tag) SELECT id, 'bulk' FROM cards WHERE id >= 100;
INSERT INTO cards_fts(rowid, name, description) SELECT id, name, 'common words' FROM cards WHERE id >= 100;
)sql");
  EXPECT_EQ(Total(), 10001);
  ListQuery q;
  q.q = "common";
  auto searched = archive_->List(q);
  ASSERT_TRUE(searched.ok());
  EXPECT_EQ(searched->total, card_repository::kSearchCountCap);
  EXPECT_TRUE(searched->total_capped);
  EXPECT_EQ(searched->items.size(), 50u);
  q = ListQuery();
  q.tags = {"bulk"};
  auto tagged = archive_->List(q);
  EXPECT_EQ(tagged->total, 10000);  // exactly the cap: not capped
  EXPECT_FALSE(tagged->total_capped);
  q.tags.clear();
  q.exclude_tags = {"bulk"};
  EXPECT_EQ(archive_->List(q)->total, 1);
  ASSERT_TRUE(archive_->Delete(imported).ok());
  auto all = archive_->List(ListQuery());
  EXPECT_EQ(all->total, 10000);
  EXPECT_FALSE(all->total_capped);
}

}  // namespace
}  // namespace charchive

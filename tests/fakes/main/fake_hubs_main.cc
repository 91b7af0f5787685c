// fake_hubs: FakeChub, FakeCharacterTavern, FakeCardsHub or FakeArchitect as a
// program, for the shell and browser suites. `fake_hubs chub|ct|cardshub|architect
// [--port N] [--page-cap N]` prints "listening PORT" and serves until SIGTERM or
// SIGINT; hub cards are added and faults switched on through its /_control routes
// (tests/fakes/fake_hub_server.h); Architect's cards are edited through its own API,
// as a user of Architect would (on a random port: --port does not apply).
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "tests/fakes/fake_architect.h"
#include "tests/fakes/fake_cardshub.h"
#include "tests/fakes/fake_character_tavern.h"
#include "tests/fakes/fake_chub.h"

int main(int argc, char** argv) {
  if (argc < 2 || (std::strcmp(argv[1], "chub") != 0 && std::strcmp(argv[1], "ct") != 0 &&
                   std::strcmp(argv[1], "cardshub") != 0 && std::strcmp(argv[1], "architect") != 0)) {
    std::fprintf(stderr, "usage: fake_hubs chub|ct|cardshub|architect [--port N] [--page-cap N]\n");
    return 2;
  }
  int port = 0, page_cap = 500;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--port") == 0)
      port = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--page-cap") == 0)
      page_cap = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "fake_hubs: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start
  if (std::strcmp(argv[1], "architect") == 0) {
    charchive::testing::FakeArchitect architect;
    std::printf("listening %d\n", architect.port());
    std::fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
    return 0;
  }
  std::unique_ptr<charchive::testing::FakeHubServer> hub;
  if (std::strcmp(argv[1], "chub") == 0) {
    hub = std::make_unique<charchive::testing::FakeChub>(port, page_cap);
  } else if (std::strcmp(argv[1], "cardshub") == 0) {
    hub = std::make_unique<charchive::testing::FakeCardsHub>(port);
  } else {
    hub = std::make_unique<charchive::testing::FakeCharacterTavern>(port);
  }
  if (hub->port() <= 0) {
    std::fprintf(stderr, "fake_hubs: cannot listen on port %d\n", port);
    return 1;
  }
  std::printf("listening %d\n", hub->port());
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  return 0;
}

#include "interrupt.h"

#include <signal.h>

#include <csignal>

namespace tediag::collector {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;  // the signal that asked us to stop, or 0
struct sigaction g_old_int {};
struct sigaction g_old_term {};

extern "C" void OnInterrupt(int signal) {
  if (g_interrupted) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  g_interrupted = signal;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupted = 0;
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: poll() returns at once
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

bool Interrupted() { return g_interrupted != 0; }

std::string InterruptName() { return g_interrupted == SIGTERM ? "SIGTERM" : "Ctrl-C"; }

}  // namespace tediag::collector

// Ctrl-C and SIGTERM during `tediag collect`. The first one asks the session to stop collecting
// and finish the bundle; a second one gets the signal's default action (the bundle folder still
// holds every line written so far, and its manifest says "collecting"). The flag is the
// collector's one piece of global state: a signal handler can set nothing else.
#pragma once

#include <string>

namespace tediag::collector {

// While one lives, SIGINT and SIGTERM set the flag Interrupted() reads (and interrupt poll()).
// Not reentrant: one per process at a time. Restores the previous handlers when destroyed.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// True once SIGINT or SIGTERM arrived under the current guard.
bool Interrupted();

// How the manifest names what stopped us: "Ctrl-C" or "SIGTERM".
std::string InterruptName();

}  // namespace tediag::collector

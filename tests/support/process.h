// process.h — starting and stopping helper processes from tests (the mccig
// binary, database servers), without a shell.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace mccig::testing {

// Starts argv[0] (a full path) with the current environment plus `env`
// ("NAME=value" entries, which win). Throws when it cannot start.
inline pid_t Spawn(std::vector<std::string> argv, const std::vector<std::string>& env = {},
                   const std::string& output_file = "") {
  std::vector<std::string> envs = env;
  for (char** e = environ; *e != nullptr; ++e) envs.emplace_back(*e);  // first match wins
  std::vector<char*> args, envp;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!output_file.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, output_file.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  }
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

// Waits for the process; its exit code, or 128 + signal.
inline int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs a command to completion; its exit code.
inline int RunCommand(std::vector<std::string> argv, const std::string& output_file = "") {
  return WaitExit(Spawn(std::move(argv), {}, output_file));
}

// A whole file (a process's output); empty when it does not exist.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace mccig::testing

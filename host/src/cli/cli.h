// cli.h — the mccig command line: one binary, one subcommand per role.
//
//   mccig serve  [--config FILE]   the HTTP gateway
//   mccig run    [--config FILE]   gateway and worker in one process (local default)
//   mccig config check FILE        validate a config, plugins included; exit 2 on error
//   mccig version
//
// --config defaults to $MCCIG_CONFIG, else config/mccig.yaml. Exit codes: 0
// success, 1 runtime failure, 2 bad usage or bad config.
#pragma once

namespace mccig::cli {

int Main(int argc, char** argv);

}  // namespace mccig::cli

// main.cpp — the mccig binary; everything lives in cli/.
#include "cli/cli.h"

int main(int argc, char** argv) {
  return mccig::cli::Main(argc, argv);
}

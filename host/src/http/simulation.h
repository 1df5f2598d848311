// simulation.h — X-Simulate-Failure, honoured in simulation mode only.
//
// In simulation mode a request may ask the worker to fail its events (the
// retry → dead-letter path, shown live): "worker" (or "true"). Any other
// value is a 400; outside simulation mode the header is ignored.
#pragma once

#include <mccig/sdk/result.h>

#include "admission/admission.h"
#include "http/request.h"
#include "http/server_context.h"

namespace mccig::http {

inline constexpr const char* kSimulateHeader = "X-Simulate-Failure";

inline sdk::Result<admission::AdmitOptions> SimulationOptions(const ServerContext& context,
                                                              const Request& request) {
  admission::AdmitOptions options;
  if (!context.simulation_mode || !request.Has(kSimulateHeader)) return options;
  const std::string value = request.Get(kSimulateHeader);
  if (value != "worker" && value != "true") {
    return sdk::Error{
        "invalid_header", std::string(kSimulateHeader) + " must be \"worker\" (or \"true\")", {}};
  }
  options.simulate_worker_failure = true;
  return options;
}

}  // namespace mccig::http

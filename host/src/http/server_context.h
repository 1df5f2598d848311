// server_context.h — what request handlers share: the plugin registry, the
// admission stage and the limits. The registry is swapped atomically on
// reload; each request takes its own reference, so a request that started on
// the old registry finishes on it.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

#include "admission/admission.h"
#include "plugins/plugin_registry.h"

namespace mccig::http {

struct ServerContext {
  std::atomic<std::shared_ptr<const plugins::PluginRegistry>> registry{};
  admission::Admission* admission = nullptr;  // not owned; outlives the server
  std::size_t body_limit_bytes = 1 << 20;
};

}  // namespace mccig::http

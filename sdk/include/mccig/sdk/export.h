// export.h — MCCIG_PLUGIN(Class): turns a plain class into a loadable plugin.
//
// The class provides:
//   static mccig::sdk::PluginInfo Describe();
// and optionally:
//   explicit Class(const mccig::sdk::PluginContext&);   // else default-constructed
//   mccig::sdk::Result<mccig::sdk::NormalizedEvent>
//       Normalize(const nlohmann::json& payload, const mccig::sdk::PluginInfo&) const;
//                                                 // else NormalizeByMapping
//   mccig::sdk::Status Verify(const mccig::sdk::RequestView&) const;  // else none
//
// The adapter below is instantiated inside the plugin, so the try/catch that
// turns an exception into an Error runs on the plugin's side of the boundary.
// Use the macro once per .so, at namespace scope.
#pragma once

#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <boost/dll/alias.hpp>

#include "mccig/sdk/abi.h"
#include "mccig/sdk/normalize.h"
#include "mccig/sdk/plugin.h"

namespace mccig::sdk::detail {

inline Error ExceptionToError(std::string_view what) {
  return Error::Plugin("plugin threw: " + std::string(what));
}

template <typename Fn>
auto Guard(Fn&& fn) noexcept -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return ExceptionToError(e.what());
  } catch (...) {
    return ExceptionToError("unknown exception");
  }
}

template <typename P>
class PluginAdapter final : public ChannelPlugin {
 public:
  PluginAdapter(PluginInfo info, const PluginContext& context)
      : info_(std::move(info)), impl_(Construct(context)) {}

  const PluginInfo& Info() const noexcept override { return info_; }

  Result<NormalizedEvent> Normalize(const nlohmann::json& payload) const noexcept override {
    return Guard([&]() -> Result<NormalizedEvent> {
      if constexpr (requires { impl_.Normalize(payload, info_); }) {
        return impl_.Normalize(payload, info_);
      } else {
        return NormalizeByMapping(payload, info_.mapping);
      }
    });
  }

  bool HasVerifier() const noexcept override {
    return requires(const P& p, const RequestView& r) {
      p.Verify(r);
    };
  }

  Status Verify(const RequestView& request) const noexcept override {
    return Guard([&]() -> Status {
      if constexpr (requires { impl_.Verify(request); }) {
        return impl_.Verify(request);
      } else {
        return OkStatus();
      }
    });
  }

 private:
  static P Construct(const PluginContext& context) {
    if constexpr (std::is_constructible_v<P, const PluginContext&>) {
      return P(context);
    } else {
      return P();
    }
  }

  PluginInfo info_;
  P impl_;
};

template <typename P>
Result<PluginInfo> Describe() noexcept {
  return Guard([]() -> Result<PluginInfo> { return P::Describe(); });
}

template <typename P>
Result<PluginPtr> Create(const nlohmann::json& options, const HostServices& host) noexcept {
  return Guard([&]() -> Result<PluginPtr> {
    PluginInfo info = P::Describe();
    PluginContext context{options, Logger(host, info.name)};
    return PluginPtr(std::make_unique<PluginAdapter<P>>(std::move(info), context));
  });
}

template <typename P>
constexpr PluginDescriptor MakeDescriptor() {
  return PluginDescriptor{kAbiVersion, kJsonVersion, &Describe<P>, &Create<P>};
}

}  // namespace mccig::sdk::detail

#define MCCIG_PLUGIN(PluginClass)                                         \
  namespace {                                                             \
  const ::mccig::sdk::PluginDescriptor mccig_plugin_descriptor_instance = \
      ::mccig::sdk::detail::MakeDescriptor<PluginClass>();                \
  }                                                                       \
  BOOST_DLL_ALIAS(mccig_plugin_descriptor_instance, mccig_plugin_descriptor)

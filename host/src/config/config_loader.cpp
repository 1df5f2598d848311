// config_loader.cpp — YAML → Config, every error collected with its key path.
//
// Reader walks the document with one small helper per value type; each helper
// records an error and leaves the default in place when the value is wrong,
// so one pass reports everything. Environment overrides run after the file,
// and tenants inherit the global rate limit after both.
#include "config/config_loader.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

extern char** environ;

namespace mccig::config {
namespace fs = std::filesystem;
namespace {

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

std::optional<int64_t> ParseInt(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (errno != 0 || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> ParseBool(const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  return std::nullopt;
}

std::string Range(int64_t min, int64_t max) {
  if (max == std::numeric_limits<int64_t>::max()) return "an integer >= " + std::to_string(min);
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

// Converts a YAML subtree to JSON (plugin options travel as JSON to plugins).
// Scalars become numbers or booleans when they read as one; quoted scalars
// stay strings.
nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = YamlToJson(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(YamlToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string text = node.Scalar();
      if (node.Tag() == "!") return text;  // quoted
      if (auto b = ParseBool(text); b && text != "1" && text != "0") return *b;
      if (auto i = ParseInt(text)) return *i;
      if (auto d = ParseDouble(text)) return *d;
      return text;
    }
    default:
      return nullptr;
  }
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void Error(const YAML::Node& at, const std::string& path, const std::string& message) {
    std::string where = file_;
    if (at.IsDefined() && at.Mark().line >= 0) where += ":" + std::to_string(at.Mark().line + 1);
    errors_.push_back({where + ": " + path, message});
  }
  void EnvError(const std::string& var, const std::string& message) {
    errors_.push_back({"environment: " + var, message});
  }

  // True when `node` is a mapping (or absent); reports keys not in `allowed`.
  bool Section(const YAML::Node& node, const std::string& path,
               std::initializer_list<const char*> allowed) {
    if (!node.IsDefined() || node.IsNull()) return false;
    if (!node.IsMap()) {
      Error(node, path, "must be a mapping");
      return false;
    }
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      bool known = false;
      for (const char* a : allowed) known = known || key == a;
      if (!known)
        Error(kv.first, Join(path, key), "unknown key (expected one of: " + List(allowed) + ")");
    }
    return true;
  }

  void Int(const YAML::Node& parent, const std::string& path, const char* key, int64_t& out,
           int64_t min, int64_t max = std::numeric_limits<int64_t>::max()) {
    const YAML::Node node = parent[key];
    if (!node.IsDefined()) return;
    const auto v = node.IsScalar() ? ParseInt(node.Scalar()) : std::nullopt;
    if (!v || *v < min || *v > max)
      return Error(node, Join(path, key), "must be " + Range(min, max));
    out = *v;
  }

  template <typename T>
  void Int(const YAML::Node& parent, const std::string& path, const char* key, T& out, int64_t min,
           int64_t max) {
    int64_t v = static_cast<int64_t>(out);
    Int(parent, path, key, v, min, max);
    out = static_cast<T>(v);
  }

  void Positive(const YAML::Node& parent, const std::string& path, const char* key, double& out) {
    const YAML::Node node = parent[key];
    if (!node.IsDefined()) return;
    const auto v = node.IsScalar() ? ParseDouble(node.Scalar()) : std::nullopt;
    if (!v || *v <= 0) return Error(node, Join(path, key), "must be a number > 0");
    out = *v;
  }

  void Bool(const YAML::Node& parent, const std::string& path, const char* key, bool& out) {
    const YAML::Node node = parent[key];
    if (!node.IsDefined()) return;
    const auto v = node.IsScalar() ? ParseBool(node.Scalar()) : std::nullopt;
    if (!v) return Error(node, Join(path, key), "must be true or false");
    out = *v;
  }

  void String(const YAML::Node& parent, const std::string& path, const char* key,
              std::string& out) {
    const YAML::Node node = parent[key];
    if (!node.IsDefined()) return;
    if (!node.IsScalar() || node.Scalar().empty()) {
      return Error(node, Join(path, key), "must be a non-empty string");
    }
    out = node.Scalar();
  }

  // A list of SHA-256 digests (64 hex digits), or a single one.
  void DigestList(const YAML::Node& parent, const std::string& path, const char* key,
                  std::vector<std::string>& out) {
    const YAML::Node node = parent[key];
    if (!node.IsDefined() || node.IsNull()) return;
    const auto add = [&](const YAML::Node& item, const std::string& where) {
      std::string text = item.IsScalar() ? item.Scalar() : "";
      for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const bool hex =
          text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
      if (!hex) {
        return Error(item, where,
                     "must be a SHA-256 digest (64 hex digits): run `mccig key new` and copy "
                     "its sha256 line");
      }
      out.push_back(text);
    };
    if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        add(node[i], Join(path, key) + "[" + std::to_string(i) + "]");
      }
    } else {
      add(node, Join(path, key));
    }
  }

  std::vector<ConfigError> Take() { return std::move(errors_); }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  static std::string List(std::initializer_list<const char*> items) {
    std::string out;
    for (const char* i : items) out += (out.empty() ? "" : ", ") + std::string(i);
    return out;
  }

  std::string file_;
  std::vector<ConfigError> errors_;
};

void ReadListen(Reader& r, const YAML::Node& server, Config& c) {
  const YAML::Node node = server["listen"];
  if (!node.IsDefined()) return;
  const std::string text = node.IsScalar() ? node.Scalar() : "";
  const auto colon = text.rfind(':');
  const auto port = colon == std::string::npos ? std::nullopt : ParseInt(text.substr(colon + 1));
  if (colon == 0 || !port || *port < 0 || *port > 65535) {
    return r.Error(node, "server.listen", "must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  c.listen_host = text.substr(0, colon);
  c.port = static_cast<uint16_t>(*port);
}

void ReadServer(Reader& r, const YAML::Node& root, Config& c) {
  const YAML::Node s = root["server"];
  if (!r.Section(s, "server",
                 {"listen", "body_limit_bytes", "threads", "io_threads", "max_queued",
                  "max_connections", "public_base_url", "read_timeout_ms"})) {
    return;
  }
  ReadListen(r, s, c);
  r.String(s, "server", "public_base_url", c.public_base_url);
  r.Int(s, "server", "read_timeout_ms", c.read_timeout_ms, 100, 600'000);
  if (!c.public_base_url.empty()) {
    const std::string& u = c.public_base_url;
    if ((!u.starts_with("http://") && !u.starts_with("https://")) || u.ends_with("/")) {
      r.Error(s["public_base_url"], "server.public_base_url",
              "must be scheme://host[:port][/prefix] without a trailing slash, e.g. "
              "https://gateway.example.com");
    }
  }
  r.Int(s, "server", "body_limit_bytes", c.body_limit_bytes, 1024, int64_t{1} << 30);
  r.Int(s, "server", "threads", c.http_threads, 1, 1024);
  r.Int(s, "server", "io_threads", c.http_io_threads, 0, 64);
  r.Int(s, "server", "max_queued", c.http_max_queued, 1, 1 << 20);
  r.Int(s, "server", "max_connections", c.http_max_connections, 1, 1 << 20);
}

void ReadBulkIngest(Reader& r, const YAML::Node& root, Config& c) {
  const YAML::Node b = root["batch"];
  if (r.Section(b, "batch", {"max_events", "max_body_bytes"})) {
    r.Int(b, "batch", "max_events", c.batch_max_events, 1, 100'000);
    r.Int(b, "batch", "max_body_bytes", c.batch_max_body_bytes, 1024, int64_t{1} << 30);
  }
  const YAML::Node s = root["stream"];
  if (r.Section(s, "stream",
                {"enabled", "max_connections", "idle_timeout_ms", "max_message_bytes",
                 "max_in_flight"})) {
    r.Bool(s, "stream", "enabled", c.stream_enabled);
    r.Int(s, "stream", "max_connections", c.stream_max_connections, 1, 1'000'000);
    r.Int(s, "stream", "idle_timeout_ms", c.stream_idle_timeout_ms, 1000, 86'400'000);
    r.Int(s, "stream", "max_message_bytes", c.stream_max_message_bytes, 1024, int64_t{1} << 30);
    r.Int(s, "stream", "max_in_flight", c.stream_max_in_flight, 1, 100'000);
  }
}

void ReadRateLimit(Reader& r, const YAML::Node& node, const std::string& path, RateLimit& out) {
  if (!r.Section(node, path, {"capacity", "refill_per_second"})) return;
  r.Int(node, path, "capacity", out.capacity, 1);
  r.Positive(node, path, "refill_per_second", out.refill_per_second);
}

void ReadServices(Reader& r, const YAML::Node& root, Config& c) {
  if (r.Section(root["redis"], "redis", {"url"}))
    r.String(root["redis"], "redis", "url", c.redis_url);
  if (r.Section(root["postgres"], "postgres", {"url"})) {
    r.String(root["postgres"], "postgres", "url", c.database_url);
  }
  if (r.Section(root["idempotency"], "idempotency", {"ttl_seconds"})) {
    r.Int(root["idempotency"], "idempotency", "ttl_seconds", c.idempotency_ttl_seconds, 1);
  }
  ReadRateLimit(r, root["rate_limit"], "rate_limit", c.rate_limit);
  const YAML::Node w = root["worker"];
  if (r.Section(
          w, "worker",
          {"concurrency", "backlog_consumers", "copy_sessions", "max_retries", "base_backoff_ms",
           "max_backoff_ms", "batch_size", "visibility_timeout_ms", "linger_ms", "scheduling"})) {
    r.Int(w, "worker", "concurrency", c.worker_concurrency, 1, 64);
    r.Int(w, "worker", "backlog_consumers", c.worker_backlog_consumers, 0, 64);
    r.Int(w, "worker", "copy_sessions", c.worker_copy_sessions, 1, 64);
    r.Int(w, "worker", "max_retries", c.worker_max_retries, 0, 100);
    r.Int(w, "worker", "base_backoff_ms", c.worker_base_backoff_ms, 1, 3'600'000);
    r.Int(w, "worker", "max_backoff_ms", c.worker_max_backoff_ms, 1, 3'600'000);
    r.Int(w, "worker", "batch_size", c.worker_batch_size, 1, 10'000);
    r.Int(w, "worker", "visibility_timeout_ms", c.worker_visibility_timeout_ms, 100, 86'400'000);
    r.Int(w, "worker", "linger_ms", c.worker_linger_ms, 0, 1000);
    std::string scheduling = "batch";
    r.String(w, "worker", "scheduling", scheduling);
    if (scheduling == "normal") {
      c.worker_batch_scheduling = false;
    } else if (scheduling != "batch") {
      r.Error(w["scheduling"], "worker.scheduling", "must be batch or normal");
    }
  }
  if (r.Section(root["auth"], "auth", {"mode", "admin_token_sha256"})) {
    std::string mode = "api_key";
    r.String(root["auth"], "auth", "mode", mode);
    if (mode == "none") {
      c.auth_mode = AuthMode::kNone;
    } else if (mode != "api_key") {
      r.Error(root["auth"]["mode"], "auth.mode", "must be api_key or none");
    }
    r.DigestList(root["auth"], "auth", "admin_token_sha256", c.admin_token_sha256);
  }
  if (r.Section(root["internal_endpoints"], "internal_endpoints", {"enabled"})) {
    r.Bool(root["internal_endpoints"], "internal_endpoints", "enabled", c.internal_endpoints);
  }
  if (r.Section(root["cors"], "cors", {"enabled", "origin"})) {
    r.Bool(root["cors"], "cors", "enabled", c.cors_enabled);
    r.String(root["cors"], "cors", "origin", c.cors_origin);
  }
  if (r.Section(root["simulation"], "simulation", {"enabled"})) {
    r.Bool(root["simulation"], "simulation", "enabled", c.simulation_mode);
  }
  if (r.Section(root["log"], "log", {"level", "format"})) {
    r.String(root["log"], "log", "level", c.log_level);
    r.String(root["log"], "log", "format", c.log_format);
  }
}

void ReadPlugins(Reader& r, const YAML::Node& root, const fs::path& plugin_dir, Config& c) {
  const YAML::Node list = root["plugins"];
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence())
    return r.Error(list, "plugins", "must be a list of {name, path, options}");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node p = list[i];
    const std::string key = "plugins[" + std::to_string(i) + "]";
    if (!p.IsMap()) {
      r.Error(p, key, "must be a mapping with name, path and options");
      continue;
    }
    r.Section(p, key, {"name", "path", "options"});
    PluginEntry entry{.key = key};
    if (!p["name"].IsDefined()) r.Error(p, key + ".name", "required");
    if (!p["path"].IsDefined()) r.Error(p, key + ".path", "required");
    r.String(p, key, "name", entry.name);
    r.String(p, key, "path", entry.path);
    if (!entry.path.empty() && fs::path(entry.path).is_relative()) {
      entry.path = (plugin_dir / entry.path).lexically_normal().string();
    }
    const YAML::Node options = p["options"];
    if (options.IsDefined() && !options.IsNull() && !options.IsMap()) {
      r.Error(options, key + ".options", "must be a mapping of option names to values");
    } else if (options.IsDefined()) {
      entry.options = YamlToJson(options);
    }
    c.plugins.push_back(std::move(entry));
  }
}

// signing_secrets: {<plugin>: {auth_token: "…"} | {auth_token_env: VAR}}.
// The _env form keeps the secret out of the file.
void ReadSigningSecrets(Reader& r, const YAML::Node& node, const std::string& path,
                        const Environment& env, Tenant& tenant) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) return r.Error(node, path, "must map plugin names to {auth_token_env: VAR}");
  for (const auto& kv : node) {
    const std::string plugin = kv.first.as<std::string>();
    const std::string where = path + "." + plugin;
    if (!r.Section(kv.second, where, {"auth_token", "auth_token_env"})) {
      r.Error(kv.second, where, "must be {auth_token_env: VAR} or {auth_token: \"…\"}");
      continue;
    }
    std::string secret, var;
    r.String(kv.second, where, "auth_token", secret);
    r.String(kv.second, where, "auth_token_env", var);
    if (!var.empty()) {
      const auto it = env.find(var);
      if (it == env.end() || it->second.empty()) {
        r.Error(kv.second["auth_token_env"], where + ".auth_token_env",
                "the environment variable " + var + " is not set");
        continue;
      }
      secret = it->second;
    }
    if (secret.empty()) {
      r.Error(kv.second, where, "needs auth_token_env (or auth_token)");
      continue;
    }
    tenant.signing_secrets[plugin] = secret;
  }
}

// Tenants are read after the environment so they inherit the final default.
void ReadTenants(Reader& r, const YAML::Node& root, const Environment& env, Config& c) {
  const YAML::Node list = root["tenants"];
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence()) return r.Error(list, "tenants", "must be a list of {id, rate_limit}");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node t = list[i];
    const std::string key = "tenants[" + std::to_string(i) + "]";
    if (!t.IsMap()) {
      r.Error(t, key, "must be a mapping with id and rate_limit");
      continue;
    }
    r.Section(t, key, {"id", "rate_limit", "api_keys_sha256", "signing_secrets"});
    Tenant tenant{.id = "", .rate_limit = c.rate_limit};
    r.String(t, key, "id", tenant.id);
    if (!t["id"].IsDefined()) {
      r.Error(t, key + ".id", "required");
    } else if (!IsIdentifier(tenant.id)) {
      r.Error(t["id"], key + ".id", "must be 1-64 letters, digits, '.', '_' or '-'");
    } else if (!seen.insert(tenant.id).second) {
      r.Error(t["id"], key + ".id", "duplicate tenant id '" + tenant.id + "'");
    }
    ReadRateLimit(r, t["rate_limit"], key + ".rate_limit", tenant.rate_limit);
    r.DigestList(t, key, "api_keys_sha256", tenant.api_key_sha256);
    ReadSigningSecrets(r, t["signing_secrets"], key + ".signing_secrets", env, tenant);
    c.tenants.push_back(std::move(tenant));
  }
}

void ApplyEnvironment(Reader& r, const Environment& env, Config& c) {
  const auto get = [&](const char* name) -> const std::string* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : &it->second;
  };
  const auto integer = [&](const char* name, auto& out, int64_t min, int64_t max) {
    if (const std::string* v = get(name)) {
      const auto parsed = ParseInt(*v);
      if (!parsed || *parsed < min || *parsed > max) {
        return r.EnvError(name, "must be " + Range(min, max) + ", got '" + *v + "'");
      }
      out = static_cast<std::remove_reference_t<decltype(out)>>(*parsed);
    }
  };
  const auto boolean = [&](const char* name, bool& out) {
    if (const std::string* v = get(name)) {
      const auto parsed = ParseBool(*v);
      if (!parsed) return r.EnvError(name, "must be true or false, got '" + *v + "'");
      out = *parsed;
    }
  };
  const auto string = [&](const char* name, std::string& out) {
    if (const std::string* v = get(name)) {
      if (v->empty()) return r.EnvError(name, "must not be empty");
      out = *v;
    }
  };
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  integer("PORT", c.port, 0, 65535);
  string("REDIS_URL", c.redis_url);
  string("DATABASE_URL", c.database_url);
  integer("IDEMPOTENCY_TTL_SECONDS", c.idempotency_ttl_seconds, 1, kMax);
  integer("RATE_LIMIT_CAPACITY", c.rate_limit.capacity, 1, kMax);
  if (const std::string* v = get("RATE_LIMIT_REFILL_RATE")) {
    const auto parsed = ParseDouble(*v);
    if (!parsed || *parsed <= 0) {
      r.EnvError("RATE_LIMIT_REFILL_RATE", "must be a number > 0, got '" + *v + "'");
    } else {
      c.rate_limit.refill_per_second = *parsed;
    }
  }
  integer("WORKER_MAX_RETRIES", c.worker_max_retries, 0, 100);
  integer("WORKER_BASE_BACKOFF_MS", c.worker_base_backoff_ms, 1, 3'600'000);
  integer("WORKER_CONCURRENCY", c.worker_concurrency, 1, 64);
  integer("WORKER_COPY_SESSIONS", c.worker_copy_sessions, 1, 64);
  boolean("ENABLE_INTERNAL_ENDPOINTS", c.internal_endpoints);
  boolean("ENABLE_CORS", c.cors_enabled);
  string("CORS_ORIGIN", c.cors_origin);
  boolean("ENABLE_SIMULATION_MODE", c.simulation_mode);
  string("LOG_LEVEL", c.log_level);
  string("LOG_FORMAT", c.log_format);
  string("LISTEN_HOST", c.listen_host);
}

void CheckSemantics(Reader& r, Config& c) {
  static const std::set<std::string> kLevels = {"trace", "debug",    "info", "warn",
                                                "error", "critical", "off"};
  if (!kLevels.contains(c.log_level)) {
    r.Error(
        YAML::Node(), "log.level",
        "must be one of trace, debug, info, warn, error, critical, off; got '" + c.log_level + "'");
  }
  if (c.log_format != "json" && c.log_format != "text") {
    r.Error(YAML::Node(), "log.format", "must be json or text; got '" + c.log_format + "'");
  }
  if (!c.redis_url.starts_with("redis://") && !c.redis_url.starts_with("unix://")) {
    r.Error(YAML::Node(), "redis.url",
            "must be redis://[:password@]host:port[/db] or unix:///path/to/socket");
  }
  if (!c.database_url.starts_with("postgresql://") && !c.database_url.starts_with("postgres://")) {
    r.Error(YAML::Node(), "postgres.url", "must be a postgresql:// connection URL");
  }
}

fs::path PluginDir(Reader& r, const YAML::Node& root, const fs::path& file,
                   const Environment& env) {
  const fs::path base = file.parent_path();
  if (const auto it = env.find("MCCIG_PLUGIN_DIR"); it != env.end() && !it->second.empty()) {
    return fs::path(it->second);
  }
  std::string dir;
  r.String(root, "", "plugin_dir", dir);
  if (dir.empty()) return base;
  return fs::path(dir).is_absolute() ? fs::path(dir) : base / dir;
}

}  // namespace

Environment ProcessEnvironment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

LoadResult LoadConfig(const std::string& path, const Environment& env) {
  LoadResult result;
  result.config.source = path;
  Reader r(path);
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    result.errors.push_back({path, "cannot read the file"});
    return result;
  } catch (const YAML::ParserException& e) {
    result.errors.push_back(
        {path + ":" + std::to_string(e.mark.line + 1), "not valid YAML: " + e.msg});
    return result;
  }
  if (!root.IsNull() && !root.IsMap()) {
    result.errors.push_back({path, "must be a YAML mapping at the top level"});
    return result;
  }
  Config& c = result.config;
  r.Section(root, "",
            {"server", "batch", "stream", "redis", "postgres", "idempotency", "rate_limit",
             "worker", "auth", "internal_endpoints", "cors", "simulation", "log", "plugin_dir",
             "plugins", "tenants"});
  ReadServer(r, root, c);
  ReadBulkIngest(r, root, c);
  ReadServices(r, root, c);
  ReadPlugins(r, root, PluginDir(r, root, fs::absolute(path), env), c);
  ApplyEnvironment(r, env, c);
  ReadTenants(r, root, env, c);
  CheckSemantics(r, c);
  result.errors = r.Take();
  return result;
}

std::string FormatErrors(const std::vector<ConfigError>& errors) {
  std::ostringstream out;
  for (const ConfigError& e : errors) out << e.where << ": " << e.message << "\n";
  return out.str();
}

}  // namespace mccig::config

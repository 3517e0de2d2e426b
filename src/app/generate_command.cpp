#include "app/generate_command.h"

#include <zip.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "api/api_context.h"
#include "app/job_handlers.h"
#include "jobs/job_engine.h"
#include "store/store.h"
#include "util/log.h"
#include "util/strings.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {
namespace fs = std::filesystem;

namespace {
std::optional<JobRow> waitForJob(Store& store, const std::string& id, double timeoutSeconds = 600) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutSeconds);
  while (std::chrono::steady_clock::now() < end) {
    auto j = store.getJob(id);
    if (!j) return std::nullopt;
    if (j->status == JobStatus::finished || j->status == JobStatus::failed) return j;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return store.getJob(id);
}

// Queues a job whose id is stored under `jobIdKey` in the session, as the API routes do.
std::string enqueueWithPayload(Store& store, const std::string& sid, const std::string& type, OrderedJson input,
                               const std::string& resultKey, const std::string& jobIdKey,
                               const std::optional<std::string>& payload) {
  NewJob nj;
  nj.sessionId = sid;
  nj.type = type;
  nj.input = std::move(input);
  if (!resultKey.empty()) nj.resultKey = resultKey;
  nj.jobIdKey = jobIdKey;
  nj.payload = payload;
  auto id = enqueueJob(store, nj);
  if (!id) throw std::runtime_error("the temporary session disappeared");
  return *id;
}

void unzipTo(const std::string& zipBytes, const fs::path& dir) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(zipBytes.data(), zipBytes.size(), 0, &err);
  zip_t* za = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
  if (!za) {
    if (src) zip_source_free(src);
    throw std::runtime_error("cannot read the package archive");
  }
  zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), 0);
    zip_stat_t st;
    if (!name || zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    std::string safe = name;
    if (safe.find("..") != std::string::npos || safe.empty() || safe[0] == '/') continue;
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    if (!f) continue;
    std::string data(static_cast<size_t>(st.size), '\0');
    zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    std::ofstream out(dir / safe, std::ios::binary);
    out << data;
  }
  zip_close(za);
}

// Progress lines on stderr (the summary table goes to stdout).
struct Progress {
  void step(const std::string& text) { std::fprintf(stderr, "%s\n", text.c_str()); }
};
}  // namespace

int runGenerate(const Config& baseConfig, const GenerateOptions& opts) {
  Progress progress;
  if (opts.files.empty()) {
    std::fprintf(stderr, "connector-gen generate: give at least one documentation file\n");
    return 2;
  }
  for (const auto& f : opts.files)
    if (!fs::is_regular_file(f)) {
      std::fprintf(stderr, "connector-gen generate: %s is not a readable file\n", f.c_str());
      return 2;
    }
  fs::path outDir = opts.outputDir.empty() ? fs::path("connector") : fs::path(opts.outputDir);
  fs::create_directories(outDir);
  fs::path tmp = fs::temp_directory_path() / ("connector-gen-" + newUuid());
  fs::create_directories(tmp);
  auto started = std::chrono::steady_clock::now();
  int exitCode = 0;
  {
    Config c = baseConfig;
    auto store = openStore((tmp / "generate.db").string(), 4);
    store->migrate();
    ApiSettings settings;
    settings.maxUploadBytes = c.maxUploadBytes;
    settings.chunkTokens = static_cast<size_t>(c.chunkTokens);
    settings.maxExtractedTextBytes = c.maxExtractedTextBytes;
    JobRegistry registry;
    registerJobHandlers(registry, settings);
    WorkerPoolOptions wo;
    wo.threads = 2;
    wo.pollMicros = 5'000;
    wo.ownerPrefix = "generate";
    WorkerPool pool(*store, registry, wo);
    pool.start();
    std::string sid = newUuid();
    store->createSession(sid, nowMicros());

    // 1. Ingestion.
    std::vector<std::pair<std::string, std::string>> uploads;  // file, job id
    for (const auto& f : opts.files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string bytes = ss.str();
      std::string docId = newUuid();
      std::string name = fs::path(f).filename().string();
      OrderedJson input = {{"docId", docId}, {"filename", name}, {"contentType", ""}, {"size", bytes.size()},
                           {"sha256", sha256Hex(bytes)}, {"skipCache", false}, {"replaceAll", false}};
      if (bytes.size() > c.maxUploadBytes) {
        progress.step(fmt::format("[ingest] {}: too large ({} bytes, limit {})", name, bytes.size(), c.maxUploadBytes));
        exitCode = 1;
        continue;
      }
      uploads.emplace_back(name, enqueueWithPayload(*store, sid, "documentation.processUpload", input, "",
                                                    "documentation.processUpload_" + docId + "_job_id", bytes));
    }
    pool.notify();
    for (const auto& [name, id] : uploads) {
      auto j = waitForJob(*store, id);
      if (!j || j->status != JobStatus::finished) {
        progress.step(fmt::format("[ingest] {}: FAILED: {}", name, j && !j->errors.empty() ? j->errors[0] : "no result"));
        exitCode = 1;
      } else {
        progress.step(fmt::format("[ingest] {}: {} chunks ({})", name, j->result->value("chunks_processed", 0),
                                  j->result->value("content_type", "")));
      }
    }
    // 2-4. Digester, codegen and package in one package job.
    progress.step("[digest+codegen] extracting the model and generating scripts …");
    std::string pkgJob = enqueueWithPayload(*store, sid, "codegen.getPackage", OrderedJson::object(), "packageOutput",
                                            "packageJobId", std::nullopt);
    pool.notify();
    auto pkg = waitForJob(*store, pkgJob, 1800);
    pool.stop();
    if (!pkg || pkg->status != JobStatus::finished) {
      progress.step("[package] FAILED: " + (pkg && !pkg->errors.empty() ? join(pkg->errors, "; ") : std::string("no result")));
      exitCode = 1;
    } else {
      auto zip = store->getJobPayload(pkgJob);
      if (!zip) throw std::runtime_error("the package archive is missing");
      {
        std::ofstream out(outDir / "connector.zip", std::ios::binary);
        out << *zip;
      }
      unzipTo(*zip, outDir);
      // Summary table.
      auto data = store->getSessionData(sid);
      const OrderedJson& r = *pkg->result;
      std::printf("\n%-28s %10s %10s %8s\n", "Object class", "attributes", "endpoints", "scripts");
      std::map<std::string, std::pair<int, int>> perClass;  // ok, failed
      for (const auto& s : r["scriptsReport"]) {
        std::string file = s.value("file", "");
        std::string cls = file.substr(0, file.find('.'));
        (s.value("ok", false) ? perClass[cls].first : perClass[cls].second)++;
      }
      if (auto it = data.find("objectClassesOutput"); it != data.end() && it->second.contains("objectClasses")) {
        for (const auto& c : it->second["objectClasses"]) {
          std::string name = c.value("name", "");
          std::string oc = toLower(name);
          size_t attrs = 0, eps = 0;
          if (auto a = data.find(oc + "AttributesOutput"); a != data.end() && a->second.contains("attributes"))
            attrs = a->second["attributes"].size();
          if (auto e = data.find(oc + "EndpointsOutput"); e != data.end() && e->second.contains("endpoints"))
            eps = e->second["endpoints"].size();
          auto pc = perClass[name];
          std::printf("%-28s %10zu %10zu %4d ok%s\n", name.substr(0, 28).c_str(), attrs, eps, pc.first,
                      pc.second ? fmt::format(", {} FAILED", pc.second).c_str() : "");
        }
      }
      size_t relations = 0, auths = 0;
      if (auto it = data.find("relationsOutput"); it != data.end() && it->second.contains("relations"))
        relations = it->second["relations"].size();
      if (auto it = data.find("authOutput"); it != data.end() && it->second.contains("auth")) auths = it->second["auth"].size();
      int failed = r.value("failedValidation", 0);
      std::printf("\nrelations: %zu   auth methods: %zu   scripts: %d (%d failed validation)\n", relations, auths,
                  r.value("scripts", 0), failed);
      for (const auto& e : pkg->errors) std::printf("note: %s\n", e.c_str());
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::printf("package written to %s (connector.zip, %zu bytes) in %.2f s\n", outDir.string().c_str(), zip->size(), secs);
      if (failed) exitCode = 1;
    }
  }
  if (!opts.keepDatabase) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
  } else {
    std::fprintf(stderr, "database kept at %s\n", (tmp / "generate.db").c_str());
  }
  return exitCode;
}
}  // namespace cg

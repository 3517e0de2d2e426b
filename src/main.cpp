// connector-gen: command-line entry point (serve | worker | migrate | version).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/config.h"
#include "app/generate_command.h"
#include "app/service.h"
#include "util/log.h"

extern char** environ;

int main(int argc, char** argv) {
  using namespace cg;
  Config config;
  try {
    config = configFromEnvironment(environ);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "connector-gen: configuration error: %s\n", e.what());
    return 2;
  }

  CLI::App app{"connector-gen: turns API documentation into midPoint connector scripts"};
  app.require_subcommand(1);
  auto addDb = [&](CLI::App* cmd) {
    cmd->add_option("--database-url", config.databaseUrl,
                    "postgresql://… or a SQLite file path (env DATABASE__URL; empty: ./data/connector-gen.db)");
    cmd->add_option("--log-level", config.logLevel, "debug|info|warning|error (env LOGGING__LEVEL)");
  };
  auto* serve = app.add_subcommand("serve", "Run the HTTP service (and job workers)");
  addDb(serve);
  serve->add_option("--host", config.host, "Listen address (env APP__HOST)");
  serve->add_option("--port", config.port, "Listen port (env APP__PORT)");
  serve->add_option("--workers", config.workers, "Job worker threads, 0 = none (env APP__WORKERS)");
  serve->add_option("--io-threads", config.ioThreads, "HTTP io threads, 0 = one per core (env APP__IO_THREADS)");
  serve->add_option("--max-body-bytes", config.maxBodyBytes, "Request body limit (env APP__MAX_BODY_BYTES)");
  serve->add_flag("--access-log,!--no-access-log", config.accessLog, "One JSON line per request (env LOGGING__ACCESS_LOG)");
  auto* worker = app.add_subcommand("worker", "Run job workers only (share the database with other processes)");
  addDb(worker);
  worker->add_option("--workers", config.workers, "Worker threads (env APP__WORKERS)");
  auto* migrate = app.add_subcommand("migrate", "Apply database migrations and exit");
  addDb(migrate);
  app.add_subcommand("version", "Print the version");
  GenerateOptions genOpts;
  auto* generate = app.add_subcommand("generate", "Documentation files → connector package, in-process (no server needed)");
  generate->add_option("files", genOpts.files, "OpenAPI/SCIM/SQL/HTML/Markdown/PDF/DOCX files")->required();
  generate->add_option("-o,--output", genOpts.outputDir, "Output directory (default ./connector)");
  generate->add_flag("--keep-database", genOpts.keepDatabase, "Keep the temporary SQLite database");
  generate->add_option("--log-level", config.logLevel, "debug|info|warning|error (default warning)");
  auto* routes = app.add_subcommand("routes", "Print the HTTP route table as JSON (method, path)");
  auto* jobs = app.add_subcommand("jobs", "Job administration");
  jobs->require_subcommand(1);
  auto* enqueue = jobs->add_subcommand("enqueue", "Queue jobs of a type for a session (operations and tests)");
  addDb(enqueue);
  std::string jobSession, jobType, jobInput = "{}";
  int jobCount = 1;
  bool createSession = false;
  enqueue->add_option("--session", jobSession, "Session id")->required();
  enqueue->add_option("--type", jobType, "Job type, e.g. system.sleep")->required();
  enqueue->add_option("--input", jobInput, "Job input as JSON");
  enqueue->add_option("--count", jobCount, "How many jobs");
  enqueue->add_flag("--create-session", createSession, "Create the session if it does not exist");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  log::setLevel(log::parseLevel(config.logLevel));
  try {
    if (serve->parsed()) return runServe(config);
    if (worker->parsed()) {
      if (config.workers < 1) config.workers = 1;
      return runWorker(config);
    }
    if (migrate->parsed()) return runMigrate(config);
    if (generate->parsed()) {
      if (generate->count("--log-level") == 0) log::setLevel(log::Level::warning);
      return runGenerate(config, genOpts);
    }
    if (routes->parsed()) return printRoutes(config);
    if (enqueue->parsed()) return enqueueJobs(config, jobSession, jobType, jobInput, jobCount, createSession);
    std::printf("connector-gen %s\n", config.version.c_str());
    return 0;
  } catch (const std::exception& e) {
    log::error("fatal", {{"error", e.what()}});
    std::fprintf(stderr, "connector-gen: %s\n", e.what());
    return 1;
  }
}
